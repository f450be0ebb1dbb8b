package io.ecsbluegreen.notify;

import io.ecsbluegreen.config.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the {@link Notifier} from {@code bluegreen.notify.*}, checking every receiver first: all
 * problems are reported at once, naming the property, never a header's value.
 */
public final class Receivers {

    /** Receiver names: they become metric labels and thread names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** {@code arn:aws:sns:REGION:ACCOUNT:NAME}, in any partition; FIFO topics end in {@code .fifo}. */
    static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\\.fifo)");
    static final int MAX_ATTEMPTS = 100;
    static final int MAX_QUEUE = 1_000_000;

    private Receivers() {}

    /**
     * The notifier for {@code config}, not yet started.
     *
     * @param snsClients the SNS client of a region (called only for SNS receivers)
     * @throws IllegalArgumentException listing every misconfigured receiver
     */
    public static Notifier fromConfig(OperatorConfig.Notify config, MeterRegistry registry,
                                      Function<String, SnsClient> snsClients, Sleeper sleeper) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Receiver> receivers = new ArrayList<>();
        List<OperatorConfig.Webhook> webhooks = config.webhooks();
        for (int i = 0; i < webhooks.size(); i++) {
            OperatorConfig.Webhook w = webhooks.get(i);
            String at = "bluegreen.notify.webhooks[" + i + "]";
            int before = problems.size();
            common(w, at, names, problems);
            URI url = w.url();
            if (!url.isAbsolute() || url.getHost() == null
                    || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
                problems.add(at + ".url: an http or https URL with a host is needed, not " + safe(url));
            }
            Map<String, String> headers = new LinkedHashMap<>(w.headers());
            w.headerFiles().forEach((header, file) -> {
                if (headers.containsKey(header)) {
                    problems.add(at + ".header-files." + header + ": the header is also in headers");
                }
                try {
                    headers.put(header, Files.readString(file).strip());
                } catch (IOException e) {
                    problems.add(at + ".header-files." + header + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                }
            });
            try {
                WebhookTransport.checkHeaders(headers);
            } catch (IllegalArgumentException e) {
                problems.add(at + ".headers: " + e.getMessage());
            }
            EventFilter filter = filter(w, at, problems);
            if (problems.size() > before) continue;
            receivers.add(new Receiver(w.name(), "webhook", filter,
                    new WebhookTransport(url, w.format(), headers, w.timeout()), settings(w), sleeper, registry));
        }
        List<OperatorConfig.Sns> topics = config.sns();
        for (int i = 0; i < topics.size(); i++) {
            OperatorConfig.Sns s = topics.get(i);
            String at = "bluegreen.notify.sns[" + i + "]";
            int before = problems.size();
            common(s, at, names, problems);
            Matcher arn = TOPIC_ARN.matcher(s.topicArn());
            if (!arn.matches()) {
                problems.add(at + ".topic-arn: not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME): " + s.topicArn());
            }
            EventFilter filter = filter(s, at, problems);
            if (problems.size() > before) continue;
            String region = s.region().filter(r -> !r.isBlank()).orElse(arn.group(1));
            receivers.add(new Receiver(s.name(), "sns", filter,
                    new SnsTransport(snsClients.apply(region), s.topicArn(), s.timeout()), settings(s), sleeper, registry));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid notification receivers:\n  " + String.join("\n  ", problems));
        }
        return new Notifier(receivers, config.drainTimeout());
    }

    private static void common(OperatorConfig.Receiver r, String at, Set<String> names, List<String> problems) {
        if (!NAME.matcher(r.name()).matches()) {
            problems.add(at + ".name: 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit: " + r.name());
        } else if (!names.add(r.name())) {
            problems.add(at + ".name: another receiver is named " + r.name());
        }
        if (!positive(r.timeout())) problems.add(at + ".timeout must be positive: " + r.timeout());
        if (r.maxAttempts() < 1 || r.maxAttempts() > MAX_ATTEMPTS) {
            problems.add(at + ".max-attempts must be 1 to " + MAX_ATTEMPTS + ": " + r.maxAttempts());
        }
        if (r.queueCapacity() < 1 || r.queueCapacity() > MAX_QUEUE) {
            problems.add(at + ".queue-capacity must be 1 to " + MAX_QUEUE + ": " + r.queueCapacity());
        }
        if (!positive(r.backoffBase())) problems.add(at + ".backoff-base must be positive: " + r.backoffBase());
        if (r.backoffMax().compareTo(r.backoffBase()) < 0) {
            problems.add(at + ".backoff-max " + r.backoffMax() + " is below backoff-base " + r.backoffBase());
        }
    }

    private static EventFilter filter(OperatorConfig.Receiver r, String at, List<String> problems) {
        try {
            return EventFilter.of(r.events().orElse(List.of()), r.services().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    private static Receiver.Settings settings(OperatorConfig.Receiver r) {
        return new Receiver.Settings(r.queueCapacity(), r.maxAttempts(), Backoff.of(r.backoffBase(), r.backoffMax()));
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** A URL as safe to print: without path, query or user info. */
    private static String safe(URI url) {
        return url.getScheme() == null ? "(no scheme)" : url.getScheme() + "://" + (url.getHost() == null ? "" : url.getHost()) + "/...";
    }
}
