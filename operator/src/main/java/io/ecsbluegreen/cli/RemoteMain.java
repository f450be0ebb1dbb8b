package io.ecsbluegreen.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The entry point of the small CLI jar ({@code target/bluegreen-cli.jar}) for the commands that only talk
 * to a running operator: {@code status}, {@code promote}, {@code abort}, {@code retry}, {@code sources}.
 * It loads a handful of the project's classes ({@link ServiceCommands}, {@link SourceCommands},
 * {@link OperatorClient} over a plain socket, {@link Json}, {@code text.Escapes}) and nothing of Quarkus,
 * CDI, Jackson or the JDK's HTTP clients, about 750 classes in all against 1,100 with
 * {@code HttpURLConnection}, almost all of them from the AppCDS archive {@code bin/bluegreen} makes on
 * first use, so a command costs about 0.05 s of CPU above the bare JVM. Output and exit codes are those
 * of {@link Main#dispatch}, which runs the same classes.
 */
public final class RemoteMain {
    private RemoteMain() {}

    /** The commands this entry point answers; {@code bin/bluegreen} routes exactly these here. */
    static final String COMMANDS = "status promote abort retry sources";

    public static void main(String... args) {
        // asked first, also by the training run, so that the archive holds the console's classes
        boolean terminal = System.console() != null;
        if (args.length == 1 && args[0].equals("--train")) {
            System.exit(train());
        }
        System.exit(run(args, System.out, System.err, terminal));
    }

    /** Runs one remote command; {@code terminal} says whether a watch may redraw in place. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        String command = args.length == 0 ? "" : args[0];
        return switch (command) {
            case "status" -> new ServiceCommands(out, err, Duration.ofSeconds(2), terminal).status(rest);
            case "promote", "abort", "retry" -> new ServiceCommands(out, err, Duration.ofSeconds(2), terminal).command(command, rest);
            case "sources" -> new SourceCommands(out, err).run(rest);
            default -> {
                err.println("bluegreen: this entry point answers " + COMMANDS + "; see bluegreen help");
                yield 2;
            }
        };
    }

    /**
     * The training run for the AppCDS archive: the classes a real {@code status} and {@code promote} load,
     * against a one-file answer served on a loopback port, with the output thrown away. Returns 0 when
     * both ran.
     */
    static int train() {
        String services = "[{\"name\":\"train\",\"phase\":\"Shifting\",\"state\":\"READY\",\"activeRevision\":\"r-1\","
                + "\"desiredRevision\":\"r-2\",\"productionWeights\":{\"r-1\":80,\"r-2\":20},\"testWeights\":{\"r-2\":100},"
                + "\"step\":1,\"steps\":4,\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"message\":null,\"hold\":null}]";
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answer(server, services), "train-server");
            answering.setDaemon(true);
            answering.start();
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            String api = "http://127.0.0.1:" + server.getLocalPort();
            int status = run(new String[] {"status", "--api", api, "--token", "t"}, sink, sink, false);
            int watch = run(new String[] {"status", "--watch", "--redraw", "--watch-rounds", "1", "--api", api}, sink, sink, false);
            int promote = run(new String[] {"promote", "train", "--api", api, "--token", "t"}, sink, sink, false);
            // an https address against the plain answer, which hangs up on the ClientHello: the TLS stack's
            // set-up (default context, trust store, ClientHello) runs, so its classes are in the archive too
            int https = run(new String[] {"status", "--api", "https://127.0.0.1:" + server.getLocalPort()}, sink, sink, false);
            ServiceCommands.detail(Json.parse("{\"name\":\"train\",\"state\":\"READY\",\"status\":{\"phase\":\"Steady\"}}"), java.time.Instant.now());
            return status == 0 && watch == 0 && promote == 1 && https != 0 ? 0 : 1;
        } catch (IOException e) {
            System.err.println("bluegreen: the training run failed: " + e);
            return 1;
        }
    }

    /** Answers every request with the listing: promote gets a 200 it reports as refused, which is enough to train. */
    private static void answer(ServerSocket server, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int served = 0; served < 16; served++) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                // read the request head up to its blank line; the training requests carry no body
                int matched = 0;
                boolean first = true;
                while (matched < 4) {
                    int c = in.read();
                    if (c < 0) break;
                    // a TLS handshake record (the https training request): hang up, the client's handshake fails at once
                    if (first && c == 0x16) break;
                    first = false;
                    matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
                }
                if (matched < 4) continue;
                OutputStream o = s.getOutputStream();
                o.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + bytes.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(bytes);
                o.flush();
            } catch (IOException e) {
                return;
            }
        }
    }
}
