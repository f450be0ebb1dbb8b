package io.ecsbluegreen.source;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Builds the ssh transport of one git source: JGit's Apache MINA sshd client with a fixed, non-interactive
 * configuration instead of the user's {@code ~/.ssh/config}.
 *
 * <p>Host keys are checked strictly ({@code StrictHostKeyChecking yes}) against the configured known_hosts
 * file, or {@code ~/.ssh/known_hosts}: an unknown or changed host key fails the connection at once.
 * {@code BatchMode yes} and the absence of a credentials provider mean nothing ever waits for an answer.
 */
final class SshSessions {

    private SshSessions() {}

    static SshdSessionFactory create(SourceUri.Git uri) {
        File home = FS.DETECTED.userHome();
        File sshDirectory = new File(home, SshConstants.SSH_DIR);
        Path knownHosts = uri.knownHostsFile()
                .orElse(sshDirectory.toPath().resolve(SshConstants.KNOWN_HOSTS))
                .toAbsolutePath();

        Map<String, String> options = new LinkedHashMap<>();
        options.put(SshConstants.STRICT_HOST_KEY_CHECKING, SshConstants.YES);
        options.put(SshConstants.BATCH_MODE, SshConstants.YES);
        options.put(SshConstants.PREFERRED_AUTHENTICATIONS, "publickey");
        options.put(SshConstants.CONNECT_TIMEOUT, Long.toString(Math.max(1, uri.timeout().toSeconds())));
        Map<String, List<String>> multiValued = new LinkedHashMap<>();
        multiValued.put(SshConstants.USER_KNOWN_HOSTS_FILE, List.of(knownHosts.toString()));
        uri.sshKeyFile().ifPresent(key -> {
            multiValued.put(SshConstants.IDENTITY_FILE, List.of(key.toAbsolutePath().toString()));
            options.put(SshConstants.IDENTITIES_ONLY, SshConstants.YES);
        });
        FixedHostConfig config = new FixedHostConfig(Map.copyOf(options), Map.copyOf(multiValued));

        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(sshDirectory)
                .setConfigStoreFactory((h, file, user) -> new FixedConfigStore(config))
                .setDefaultKnownHostsFiles(dir -> List.of(knownHosts))
                .setPreferredAuthentications("publickey")
                .build(new JGitKeyCache());
    }

    /** The same settings for every host: a source talks to exactly one. */
    private record FixedConfigStore(SshConfigStore.HostConfig config) implements SshConfigStore {
        @Override
        public HostConfig lookup(String hostName, int port, String userName) {
            return config;
        }

        @Override
        public HostConfig lookupDefault(String hostName, int port, String userName) {
            return config;
        }
    }

    private record FixedHostConfig(Map<String, String> options, Map<String, List<String>> multiValued)
            implements SshConfigStore.HostConfig {
        @Override
        public String getValue(String key) {
            String value = options.get(key);
            if (value == null && multiValued.containsKey(key)) {
                value = multiValued.get(key).get(0);
            }
            return value;
        }

        @Override
        public List<String> getValues(String key) {
            List<String> values = multiValued.get(key);
            if (values != null) {
                return values;
            }
            return options.containsKey(key) ? List.of(options.get(key)) : List.of();
        }

        @Override
        public Map<String, String> getOptions() {
            return options;
        }

        @Override
        public Map<String, List<String>> getMultiValuedOptions() {
            return multiValued;
        }
    }
}
