package io.ecsbluegreen.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/** The parsing rules behind {@link SourceUri#parse(String)}, kept out of the public interface. */
final class SourceUriParser {

    private static final List<String> GIT_PARAMETERS =
            List.of("branch", "path", "tokenFile", "tokenEnv", "sshKeyFile", "knownHostsFile", "timeout");
    private static final List<String> S3_PARAMETERS = List.of("region");
    private static final Set<String> GIT_SCHEMES = Set.of("https", "ssh", "file");

    /** {@code user@host:path} as git understands it; the path must not start with {@code //}. */
    private static final Pattern SCP_LIKE = Pattern.compile("[^@/:\\s]+@[^@/:\\s]+:(?!//)\\S+");
    /** The bucket naming rules of general purpose buckets, without the IP-address exclusion. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");
    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,6})s?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The userinfo of a hierarchical URL, so that a password in it can be masked in messages. */
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@:]*):[^/@]*@");

    private SourceUriParser() {}

    static SourceUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("invalid source URI '': it is empty");
        }
        String text = uri.strip();
        if (text.startsWith("dir:")) {
            return parseDirectory(text);
        }
        if (text.startsWith("git:")) {
            return parseGit(text);
        }
        if (text.startsWith("s3://")) {
            return parseS3(text);
        }
        throw invalid(text, "unknown scheme, expected dir:, git: or s3://");
    }

    private static SourceUri.Directory parseDirectory(String text) {
        String path = text.substring("dir:".length());
        if (path.isEmpty()) {
            throw invalid(text, "missing directory path");
        }
        try {
            return new SourceUri.Directory(Path.of(path));
        } catch (InvalidPathException e) {
            throw invalid(text, "invalid directory path: " + e.getReason());
        }
    }

    private static SourceUri.Git parseGit(String text) {
        String rest = text.substring("git:".length());
        int query = rest.indexOf('?');
        String remote = query < 0 ? rest : rest.substring(0, query);
        Map<String, String> params = query < 0 ? Map.of() : parameters(text, rest.substring(query + 1), GIT_PARAMETERS);
        if (remote.isEmpty()) {
            throw invalid(text, "missing repository URL");
        }
        String transport = gitTransport(text, remote);

        String branch = params.getOrDefault("branch", SourceUri.Git.DEFAULT_BRANCH);
        if (!Repository.isValidRefName("refs/heads/" + branch)) {
            throw invalid(text, "invalid branch name '" + branch + "'");
        }
        String path = subPath(text, params.getOrDefault("path", ""));

        Optional<Path> tokenFile = Optional.ofNullable(params.get("tokenFile")).map(p -> localPath(text, "tokenFile", p));
        Optional<String> tokenEnv = Optional.ofNullable(params.get("tokenEnv"));
        if (tokenFile.isPresent() && tokenEnv.isPresent()) {
            throw invalid(text, "tokenFile and tokenEnv are mutually exclusive");
        }
        if (tokenEnv.isPresent() && !ENV_NAME.matcher(tokenEnv.get()).matches()) {
            throw invalid(text, "tokenEnv must name an environment variable: '" + tokenEnv.get() + "'");
        }
        if ((tokenFile.isPresent() || tokenEnv.isPresent()) && !transport.equals("https")) {
            throw invalid(text, "tokenFile and tokenEnv need an https:// repository URL");
        }
        Optional<Path> sshKeyFile = Optional.ofNullable(params.get("sshKeyFile")).map(p -> localPath(text, "sshKeyFile", p));
        Optional<Path> knownHosts = Optional.ofNullable(params.get("knownHostsFile")).map(p -> localPath(text, "knownHostsFile", p));
        if ((sshKeyFile.isPresent() || knownHosts.isPresent()) && !transport.equals("ssh")) {
            throw invalid(text, "sshKeyFile and knownHostsFile need an ssh:// or user@host:path repository URL");
        }
        Duration timeout = SourceUri.Git.DEFAULT_TIMEOUT;
        if (params.containsKey("timeout")) {
            var m = TIMEOUT.matcher(params.get("timeout"));
            if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
                throw invalid(text, "timeout must be a positive number of seconds such as 30s: '" + params.get("timeout") + "'");
            }
            timeout = Duration.ofSeconds(Integer.parseInt(m.group(1)));
        }
        return new SourceUri.Git(remote, branch, path, tokenFile, tokenEnv, sshKeyFile, knownHosts, timeout);
    }

    /** Checks the repository URL and returns its transport: https, ssh (also for scp-like) or file. */
    private static String gitTransport(String text, String remote) {
        if (SCP_LIKE.matcher(remote).matches()) {
            return "ssh";
        }
        URI url;
        try {
            url = new URI(remote);
        } catch (URISyntaxException e) {
            throw invalid(text, "malformed repository URL: " + redact(e.getReason()));
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!GIT_SCHEMES.contains(scheme)) {
            throw invalid(text, "unsupported repository URL, expected https://, ssh://, file:// or user@host:path");
        }
        if (url.getRawUserInfo() != null && url.getRawUserInfo().contains(":")) {
            throw invalid(text, "credentials must not be in the URI, use tokenFile or tokenEnv");
        }
        boolean hasHost = url.getHost() != null && !url.getHost().isEmpty();
        if (!scheme.equals("file") && !hasHost) {
            throw invalid(text, "missing host in repository URL");
        }
        if (url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")) {
            throw invalid(text, "missing repository path in repository URL");
        }
        return scheme;
    }

    private static String subPath(String text, String raw) {
        String path = raw;
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (String segment : path.split("/", -1)) {
            if (!path.isEmpty() && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
                throw invalid(text, "path must be a plain relative path inside the repository: '" + raw + "'");
            }
        }
        return path;
    }

    private static Path localPath(String text, String name, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(text, name + " is not a valid path: " + e.getReason());
        }
    }

    private static SourceUri.S3 parseS3(String text) {
        String rest = text.substring("s3://".length());
        int query = rest.indexOf('?');
        String location = query < 0 ? rest : rest.substring(0, query);
        Map<String, String> params = query < 0 ? Map.of() : parameters(text, rest.substring(query + 1), S3_PARAMETERS);
        int slash = location.indexOf('/');
        String bucket = slash < 0 ? location : location.substring(0, slash);
        String prefix = slash < 0 ? "" : location.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw invalid(text, "missing bucket name");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw invalid(text, "invalid bucket name '" + bucket + "'");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        Optional<String> region = Optional.ofNullable(params.get("region"));
        if (region.isPresent() && !REGION.matcher(region.get()).matches()) {
            throw invalid(text, "invalid region '" + region.get() + "'");
        }
        return new SourceUri.S3(bucket, prefix, region);
    }

    /** Parses {@code a=1&b=2}, rejecting unknown, repeated and empty parameters. */
    private static Map<String, String> parameters(String text, String query, List<String> allowed) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.isEmpty()) {
                throw invalid(text, "empty parameter name");
            }
            if (!allowed.contains(name)) {
                throw invalid(text, "unknown parameter '" + name + "' (allowed: " + String.join(", ", allowed) + ")");
            }
            String value = eq < 0 ? "" : decode(text, pair.substring(eq + 1));
            if (value.isEmpty()) {
                throw invalid(text, "parameter '" + name + "' has no value");
            }
            if (params.put(name, value) != null) {
                throw invalid(text, "parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    /** Percent-decoding only: a literal '+' stays a '+' (branch names may contain one). */
    private static String decode(String text, String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(text, "malformed percent-encoding in '" + value + "'");
        }
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("invalid source URI '" + redact(text) + "': " + reason);
    }

    /** Masks a password written into a URL, so that an error message never repeats it. */
    static String redact(String text) {
        return text == null ? null : USERINFO_PASSWORD.matcher(text).replaceAll("$1:***@");
    }
}
