package io.ecsbluegreen.sim.lambda;

import io.ecsbluegreen.sim.SimClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A simulated Lambda function: its {@code $LATEST} version, the versions published from it and its
 * aliases. Tests configure it fluently:
 *
 * <pre>{@code
 * LambdaFunction hook = sim.lambda().register("pre-traffic", handler).timeout(Duration.ofSeconds(10));
 * String v1 = hook.publishVersion();
 * hook.alias("live", v1);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LambdaFunction {

    /** The qualifier of the unpublished, editable version. */
    public static final String LATEST = "$LATEST";

    private static final Pattern ALIAS = Pattern.compile("(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}");

    private final String name;
    private final Map<String, String> tags;
    private final SimClock clock;
    private FunctionVersion latest;
    private final Map<String, FunctionVersion> published = new LinkedHashMap<>();
    private final Map<String, String> aliases = new TreeMap<>();
    private int lastVersion;

    LambdaFunction(String name, FunctionVersion latest, Map<String, String> tags, SimClock clock) {
        this.name = name;
        this.latest = latest;
        this.tags = Map.copyOf(tags);
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Sets the {@code $LATEST} timeout (Lambda's default is 3 s). Any positive duration is accepted. */
    public synchronized LambdaFunction timeout(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        latest = latest.withTimeout(timeout, clock.instant(), newRevision());
        return this;
    }

    /** The {@code $LATEST} timeout. */
    public synchronized Duration timeout() {
        return latest.timeout();
    }

    /** Replaces the code of {@code $LATEST}; published versions keep theirs. */
    public synchronized LambdaFunction handler(LambdaHandler handler) {
        latest = latest.withCode(Objects.requireNonNull(handler, "handler"), null, clock.instant(), newRevision());
        return this;
    }

    /** Makes {@code $LATEST} forward to a loopback URL (see {@link LambdaStore#registerUrl}). */
    public synchronized LambdaFunction url(URI url) {
        latest = latest.withCode(new UrlHandler(LambdaStore.checkLoopback(url)), url, clock.instant(), newRevision());
        return this;
    }

    /**
     * Publishes {@code $LATEST} as a new version, as Lambda's PublishVersion: the version keeps the code and
     * timeout it has now.
     *
     * @return the new version number ({@code "1"}, {@code "2"}, ...)
     */
    public synchronized String publishVersion() {
        String version = Integer.toString(++lastVersion);
        published.put(version, latest.withVersion(version, newRevision()));
        return version;
    }

    /** Points {@code alias} at {@code version} (a published version or {@code $LATEST}), creating or moving it. */
    public synchronized LambdaFunction alias(String alias, String version) {
        if (!ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("invalid alias name: " + alias);
        }
        if (!LATEST.equals(version) && !published.containsKey(version)) {
            throw new IllegalArgumentException("function " + name + " has no version " + version);
        }
        aliases.put(alias, version);
        return this;
    }

    /** Removes an alias; true when it existed. */
    public synchronized boolean removeAlias(String alias) {
        return aliases.remove(alias) != null;
    }

    /** The published version numbers, oldest first. */
    public synchronized List<String> versions() {
        return List.copyOf(published.keySet());
    }

    /** Alias names and the versions they point to. */
    public synchronized Map<String, String> aliases() {
        return Collections.unmodifiableMap(new TreeMap<>(aliases));
    }

    /** {@code $LATEST}'s code and configuration. */
    public synchronized FunctionVersion latest() {
        return latest;
    }

    /** A version by number, or {@code $LATEST}. */
    public synchronized Optional<FunctionVersion> version(String version) {
        return LATEST.equals(version) ? Optional.of(latest) : Optional.ofNullable(published.get(version));
    }

    /**
     * The version a qualifier designates: null or {@code $LATEST}, a version number, or an alias.
     */
    synchronized Optional<FunctionVersion> resolve(String qualifier) {
        if (qualifier == null || LATEST.equals(qualifier)) {
            return Optional.of(latest);
        }
        if (published.containsKey(qualifier)) {
            return Optional.of(published.get(qualifier));
        }
        String target = aliases.get(qualifier);
        return target == null ? Optional.empty() : version(target);
    }

    /** Every version, {@code $LATEST} first, for ListFunctions with {@code FunctionVersion=ALL}. */
    synchronized List<FunctionVersion> allVersions() {
        List<FunctionVersion> all = new ArrayList<>();
        all.add(latest);
        all.addAll(published.values());
        return all;
    }

    /**
     * Deletes a published version.
     *
     * @return null when done, otherwise why it cannot be
     */
    synchronized String deleteVersion(String version) {
        if (!published.containsKey(version)) {
            return "not found";
        }
        if (aliases.containsValue(version)) {
            return "alias";
        }
        published.remove(version);
        return null;
    }

    private static String newRevision() {
        return UUID.randomUUID().toString();
    }
}
