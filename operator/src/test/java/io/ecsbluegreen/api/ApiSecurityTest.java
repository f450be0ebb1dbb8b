package io.ecsbluegreen.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's HTTP surface driven as an attacker would, byte for byte over a socket (no client library
 * that tidies the path): every spelling of a command's path, every changing method, with the token absent,
 * wrong and right; cross-origin requests as a browser sends them; foreign {@code Host} names as DNS
 * rebinding sends them. A request refused reaches no resource: the command resource's own answers
 * ("applies in phase", "accepted for") never appear in a refused answer. The threat model is docs/security.md.
 */
@QuarkusTest
class ApiSecurityTest {

    @TestHTTPResource("/")
    URL base;

    /** A service of the test profile's source (examples/), so the command resource would answer for it. */
    static final String COMMAND = "/api/v1/services/greeter/abort";

    enum Token {
        ABSENT(null), WRONG("Bearer not-the-token"), RIGHT("Bearer " + AuthorizedRequests.TOKEN);

        final String header;

        Token(String header) {
            this.header = header;
        }
    }

    /** How a path spelling must fare when it carries the right token. */
    enum Spelling { ROUTED, REFUSED, MALFORMED, READ_ONLY, NOT_FOUND }

    static Stream<Arguments> spellings() {
        Map<String, Spelling> paths = new LinkedHashMap<>();
        paths.put(COMMAND, Spelling.ROUTED);
        paths.put("/api/v1/sources/refresh", Spelling.ROUTED);
        // Confirming a held source's removals un-holds it: nothing is held here, so the right token gets a 409.
        paths.put("/api/v1/sources/confirm", Spelling.ROUTED);
        paths.put("/api/v1/sources/confirm;x=1", Spelling.REFUSED);
        paths.put("/api/v1/sources;/confirm", Spelling.REFUSED);
        String[] segments = COMMAND.substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            String[] s = segments.clone();
            s[i] = s[i] + ";x=1";
            paths.put("/" + String.join("/", s), Spelling.REFUSED);
            s = segments.clone();
            s[i] = s[i] + ";";
            paths.put("/" + String.join("/", s), Spelling.REFUSED);
        }
        paths.put("/api;/v1/sources/refresh", Spelling.REFUSED);
        paths.put("/%61pi/v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/api/v1/services/greeter/%61bort", Spelling.REFUSED);
        paths.put("/api%2Fv1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/api/v1/services/greeter%2Fabort", Spelling.REFUSED);
        paths.put("/api/v1/services/gr%65eter/abort", Spelling.REFUSED);
        paths.put("/api/v1/services/greeter/abort%3Bx=1", Spelling.REFUSED);
        paths.put("/api/./v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/api/v1/../v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/q/../api/v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/q/health/../../api/v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/api/v1/services/greeter/abort/.", Spelling.REFUSED);
        paths.put("/api/v1/services/%2e%2e/greeter/abort", Spelling.REFUSED);
        paths.put("//api/v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/api//v1/services/greeter/abort", Spelling.REFUSED);
        paths.put("/api/v1/services//greeter/abort", Spelling.REFUSED);
        paths.put("/api\\v1\\services\\greeter\\abort", Spelling.MALFORMED);
        paths.put("http://127.0.0.1" + COMMAND, Spelling.REFUSED);
        paths.put("/API/v1/services/greeter/abort", Spelling.NOT_FOUND);
        paths.put("/Api/V1/services/greeter/abort", Spelling.NOT_FOUND);
        paths.put("/api/v1/services/greeter/ABORT", Spelling.NOT_FOUND);
        paths.put("/q/health", Spelling.READ_ONLY);
        paths.put("/", Spelling.NOT_FOUND);
        List<Arguments> rows = new ArrayList<>();
        for (var path : paths.entrySet()) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                for (Token token : Token.values()) rows.add(Arguments.of(method, path.getKey(), token, path.getValue()));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} with the token {2}")
    @MethodSource("spellings")
    void noSpellingOfAChangingRequestReachesAResourceWithoutTheToken(String method, String path, Token token, Spelling spelling) throws IOException {
        Answer answer = send(method, path, headers(token, Map.of()));
        if (spelling == Spelling.MALFORMED) {
            // Refused by the HTTP parser itself before any handler runs: no body, no content type, nothing
            // to sniff and nothing routed, whatever the token.
            assertThat(answer.status).as(answer.toString()).isEqualTo(400);
            assertThat(answer.body).isEmpty();
            assertThat(answer.headers).doesNotContainKey("content-type");
            return;
        }
        if (token != Token.RIGHT) {
            assertThat(answer.status).as(answer.toString()).isIn(400, 401);
            assertThat(answer.body).doesNotContain("applies in phase", "accepted for");
        } else if (spelling == Spelling.REFUSED) {
            assertThat(answer.status).as(answer.toString()).isEqualTo(400);
            assertThat(answer.body).contains("plain path");
        } else if (spelling == Spelling.ROUTED && method.equals("POST")) {
            assertThat(answer.status).as(answer.toString()).isIn(200, 202, 409);
        } else if (spelling == Spelling.READ_ONLY) {
            // health answers every method with the same read; with the token it changes nothing either way
            assertThat(answer.status).as(answer.toString()).isIn(200, 404, 405);
            assertThat(answer.body).doesNotContain("applies in phase", "accepted for");
        } else {
            // the right token on a path or method no resource serves: nothing to reach
            assertThat(answer.status).as(answer.toString()).isIn(404, 405);
        }
        assertThat(answer.headers).containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    void aCrossSiteSimpleRequestFromAWebPageIsRefusedEvenWithTheToken() throws IOException {
        // What a malicious page's <form> or fetch(..., {mode: 'no-cors'}) makes a browser send.
        Map<String, String> browser = Map.of("Content-Type", "text/plain", "Origin", "http://evil.example",
                "Sec-Fetch-Site", "cross-site");
        Answer withoutToken = send("POST", COMMAND, headers(Token.ABSENT, browser));
        assertThat(withoutToken.status).isEqualTo(403);
        assertThat(withoutToken.body).contains("cross-origin");
        assertThat(send("POST", COMMAND, headers(Token.RIGHT, browser)).status).isEqualTo(403);
        assertThat(send("POST", COMMAND, headers(Token.RIGHT, Map.of("Origin", "http://evil.example"))).status).isEqualTo(403);
        assertThat(send("POST", COMMAND, headers(Token.RIGHT, Map.of("Origin", "null"))).status).isEqualTo(403);
        assertThat(send("POST", COMMAND, headers(Token.RIGHT, Map.of("Sec-Fetch-Site", "same-site"))).status).isEqualTo(403);
        assertThat(send("POST", COMMAND, headers(Token.RIGHT, Map.of("Origin", "http://127.0.0.1:1"))).status)
                .as("another port is another origin").isEqualTo(403);
    }

    @Test
    void theDashboardsOwnSameOriginRequestsPassWithTheToken() throws IOException {
        String self = "http://127.0.0.1:" + base.getPort();
        Answer answer = send("POST", COMMAND, headers(Token.RIGHT, Map.of("Origin", self, "Sec-Fetch-Site", "same-origin")));
        assertThat(answer.status).as(answer.toString()).isEqualTo(409);
        assertThat(answer.body).contains("applies in phase");
        Answer withoutToken = send("POST", COMMAND, headers(Token.ABSENT, Map.of("Origin", self, "Sec-Fetch-Site", "same-origin")));
        assertThat(withoutToken.status).isEqualTo(401);
    }

    @Test
    void aForeignHostNameIsRefusedSoDnsRebindingReachesNothing() throws IOException {
        for (String host : List.of("evil.example", "evil.example:" + base.getPort(), "localhost.evil.example", "127.0.0.1.nip.io")) {
            Answer read = send("GET", "/api/v1/services", Map.of("Host", host));
            assertThat(read.status).as(host).isEqualTo(403);
            assertThat(read.body).contains("allowed-hosts").doesNotContain("greeter");
            assertThat(send("POST", COMMAND, Map.of("Host", host, "Authorization", Token.RIGHT.header)).status).as(host).isEqualTo(403);
        }
        for (String host : List.of("localhost:" + base.getPort(), "LOCALHOST", "localhost.", "127.0.0.1:" + base.getPort(), "[::1]:" + base.getPort())) {
            assertThat(send("GET", "/api/v1/services", Map.of("Host", host)).status).as(host).isEqualTo(200);
        }
        assertThat(send("GET", "/api/v1/services", Map.of()).status).as("no Host at all").isEqualTo(400);
    }

    @Test
    void readsStayOpenAndEveryAnswerForbidsContentSniffing() throws IOException {
        for (String path : List.of("/api/v1/services", "/q/health", "/q/metrics", "/app.js", "/", "/nope")) {
            Answer answer = send("GET", path, headers(Token.ABSENT, Map.of()));
            assertThat(answer.status).as(path).isIn(200, 404);
            assertThat(answer.headers).as(path).containsEntry("x-content-type-options", "nosniff");
        }
    }

    @Test
    void controlCharactersInARefusedValueAreEscapedInTheAnswer() throws IOException {
        // NEL (0x85) is a C1 control the HTTP parser lets through as obs-text; a terminal may act on it.
        Answer answer = send("POST", COMMAND, Map.of("Host", "127.0.0.1", "Origin", "http://e\u0085vil"));
        assertThat(answer.status).isEqualTo(403);
        assertThat(answer.body).doesNotContain("\u0085").contains("\\\\x85");
    }

    /** The command resource answers 404 for a service the source has not loaded yet. */
    private static volatile boolean loaded;

    @BeforeEach
    void theSourceHasLoadedTheService() {
        if (loaded) return;
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> send("GET", "/api/v1/services/greeter", headers(Token.RIGHT, Map.of())).status == 200);
        loaded = true;
    }

    private Map<String, String> headers(Token token, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:" + base.getPort());
        if (token.header != null) h.put("Authorization", token.header);
        h.putAll(extra);
        return h;
    }

    record Answer(int status, Map<String, String> headers, String body) {}

    /** One HTTP/1.1 request written byte for byte; the answer read until the server closes. */
    private Answer send(String method, String target, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            request.append("Connection: close\r\nContent-Length: 0\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) answerHeaders.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            return new Answer(status, answerHeaders, end < 0 ? "" : text.substring(end + 4));
        }
    }
}
