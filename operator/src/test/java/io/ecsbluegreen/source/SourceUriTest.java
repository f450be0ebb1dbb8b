package io.ecsbluegreen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SourceUriTest {

    @Test
    void an_absolute_directory_is_the_path_after_dir() {
        assertThat(SourceUri.parse("dir:/etc/bluegreen")).isEqualTo(new SourceUri.Directory(Path.of("/etc/bluegreen")));
        assertThat(SourceUri.parse("dir:/etc/bluegreen").id()).isEqualTo("dir:/etc/bluegreen");
    }

    @Test
    void a_relative_directory_is_kept_relative() {
        assertThat(SourceUri.parse("dir:services/eu")).isEqualTo(new SourceUri.Directory(Path.of("services/eu")));
    }

    @Test
    void surrounding_blanks_are_ignored() {
        assertThat(SourceUri.parse("  dir:/srv/specs \n")).isEqualTo(new SourceUri.Directory(Path.of("/srv/specs")));
    }

    @Test
    void a_git_https_url_defaults_to_branch_main_the_root_and_a_30_second_timeout() {
        SourceUri uri = SourceUri.parse("git:https://github.com/acme/deploy.git");

        assertThat(uri).isEqualTo(new SourceUri.Git("https://github.com/acme/deploy.git", "main", "", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30)));
        assertThat(uri.id()).isEqualTo("git:https://github.com/acme/deploy.git?branch=main");
    }

    @Test
    void a_git_url_takes_branch_path_token_file_and_timeout_parameters() {
        SourceUri uri = SourceUri.parse(
                "git:https://github.com/acme/deploy.git?branch=prod&path=/services/eu/&tokenFile=/run/secrets/git-token&timeout=45s");

        assertThat(uri).isEqualTo(new SourceUri.Git("https://github.com/acme/deploy.git", "prod", "services/eu",
                Optional.of(Path.of("/run/secrets/git-token")), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(45)));
        assertThat(uri.id()).isEqualTo("git:https://github.com/acme/deploy.git?branch=prod&path=services/eu");
    }

    @Test
    void a_git_token_may_come_from_an_environment_variable() {
        SourceUri.Git uri = (SourceUri.Git) SourceUri.parse("git:https://git.example.com/acme/deploy.git?tokenEnv=GIT_TOKEN");

        assertThat(uri.tokenEnv()).contains("GIT_TOKEN");
        assertThat(uri.id()).isEqualTo("git:https://git.example.com/acme/deploy.git?branch=main");
    }

    @Test
    void a_git_ssh_url_takes_a_key_file_and_a_known_hosts_file() {
        SourceUri.Git uri = (SourceUri.Git) SourceUri.parse(
                "git:ssh://git@git.example.com:2222/acme/deploy.git?sshKeyFile=/keys/id_ed25519&knownHostsFile=/keys/known_hosts");

        assertThat(uri.remote()).isEqualTo("ssh://git@git.example.com:2222/acme/deploy.git");
        assertThat(uri.sshKeyFile()).contains(Path.of("/keys/id_ed25519"));
        assertThat(uri.knownHostsFile()).contains(Path.of("/keys/known_hosts"));
    }

    @Test
    void an_scp_like_git_address_is_an_ssh_remote() {
        SourceUri.Git uri = (SourceUri.Git) SourceUri.parse("git:git@github.com:acme/deploy.git?branch=prod&sshKeyFile=/keys/deploy");

        assertThat(uri.remote()).isEqualTo("git@github.com:acme/deploy.git");
        assertThat(uri.branch()).isEqualTo("prod");
        assertThat(uri.id()).isEqualTo("git:git@github.com:acme/deploy.git?branch=prod");
    }

    @Test
    void a_git_file_url_is_accepted() {
        SourceUri.Git uri = (SourceUri.Git) SourceUri.parse("git:file:///srv/git/deploy.git?branch=release/2025");

        assertThat(uri.remote()).isEqualTo("file:///srv/git/deploy.git");
        assertThat(uri.branch()).isEqualTo("release/2025");
    }

    @Test
    void parameter_values_are_percent_decoded_but_a_plus_stays_a_plus() {
        SourceUri.Git uri = (SourceUri.Git) SourceUri.parse("git:file:///srv/deploy.git?branch=feature+x&path=eu%2Fweb");

        assertThat(uri.branch()).isEqualTo("feature+x");
        assertThat(uri.path()).isEqualTo("eu/web");
    }

    @Test
    void an_s3_uri_is_a_bucket_and_a_folder_prefix() {
        SourceUri uri = SourceUri.parse("s3://acme-deploy/services/eu");

        assertThat(uri).isEqualTo(new SourceUri.S3("acme-deploy", "services/eu/", Optional.empty()));
        assertThat(uri.id()).isEqualTo("s3://acme-deploy/services/eu/");
    }

    @Test
    void an_s3_uri_without_prefix_reads_the_whole_bucket() {
        assertThat(SourceUri.parse("s3://acme-deploy")).isEqualTo(new SourceUri.S3("acme-deploy", "", Optional.empty()));
        assertThat(SourceUri.parse("s3://acme-deploy/")).isEqualTo(new SourceUri.S3("acme-deploy", "", Optional.empty()));
    }

    @Test
    void an_s3_uri_may_name_a_region_which_is_not_part_of_the_id() {
        SourceUri uri = SourceUri.parse("s3://acme.deploy/services/?region=eu-west-1");

        assertThat(uri).isEqualTo(new SourceUri.S3("acme.deploy", "services/", Optional.of("eu-west-1")));
        assertThat(uri.id()).isEqualTo("s3://acme.deploy/services/");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                                                  | invalid source URI '': it is empty
            http://example.com/specs                            | invalid source URI 'http://example.com/specs': unknown scheme, expected dir:, git: or s3://
            dir:                                                | invalid source URI 'dir:': missing directory path
            git:                                                | invalid source URI 'git:': missing repository URL
            git:?branch=main                                    | invalid source URI 'git:?branch=main': missing repository URL
            git:http://example.com/acme/deploy.git              | invalid source URI 'git:http://example.com/acme/deploy.git': unsupported repository URL, expected https://, ssh://, file:// or user@host:path
            git:github.com/acme/deploy.git                      | invalid source URI 'git:github.com/acme/deploy.git': unsupported repository URL, expected https://, ssh://, file:// or user@host:path
            git:https://bob:s3cret@example.com/acme/deploy.git  | invalid source URI 'git:https://bob:***@example.com/acme/deploy.git': credentials must not be in the URI, use tokenFile or tokenEnv
            git:https:///acme/deploy.git                        | invalid source URI 'git:https:///acme/deploy.git': missing host in repository URL
            git:https://example.com/                            | invalid source URI 'git:https://example.com/': missing repository path in repository URL
            git:https://example.com/a.git?color=blue            | invalid source URI 'git:https://example.com/a.git?color=blue': unknown parameter 'color' (allowed: branch, path, tokenFile, tokenEnv, sshKeyFile, knownHostsFile, timeout)
            git:https://example.com/a.git?branch=a&branch=b     | invalid source URI 'git:https://example.com/a.git?branch=a&branch=b': parameter 'branch' is given more than once
            git:https://example.com/a.git?branch=               | invalid source URI 'git:https://example.com/a.git?branch=': parameter 'branch' has no value
            git:https://example.com/a.git?branch                | invalid source URI 'git:https://example.com/a.git?branch': parameter 'branch' has no value
            git:https://example.com/a.git?=x                    | invalid source URI 'git:https://example.com/a.git?=x': empty parameter name
            git:https://example.com/a.git?branch=a..b           | invalid source URI 'git:https://example.com/a.git?branch=a..b': invalid branch name 'a..b'
            git:https://example.com/a.git?path=../etc           | invalid source URI 'git:https://example.com/a.git?path=../etc': path must be a plain relative path inside the repository: '../etc'
            git:https://example.com/a.git?path=a//b            | invalid source URI 'git:https://example.com/a.git?path=a//b': path must be a plain relative path inside the repository: 'a//b'
            git:https://example.com/a.git?tokenFile=/t&tokenEnv=T | invalid source URI 'git:https://example.com/a.git?tokenFile=/t&tokenEnv=T': tokenFile and tokenEnv are mutually exclusive
            git:https://example.com/a.git?tokenEnv=GIT-TOKEN    | invalid source URI 'git:https://example.com/a.git?tokenEnv=GIT-TOKEN': tokenEnv must name an environment variable: 'GIT-TOKEN'
            git:ssh://git@example.com/a.git?tokenEnv=T          | invalid source URI 'git:ssh://git@example.com/a.git?tokenEnv=T': tokenFile and tokenEnv need an https:// repository URL
            git:https://example.com/a.git?sshKeyFile=/k         | invalid source URI 'git:https://example.com/a.git?sshKeyFile=/k': sshKeyFile and knownHostsFile need an ssh:// or user@host:path repository URL
            git:https://example.com/a.git?timeout=0             | invalid source URI 'git:https://example.com/a.git?timeout=0': timeout must be a positive number of seconds such as 30s: '0'
            git:https://example.com/a.git?timeout=1m            | invalid source URI 'git:https://example.com/a.git?timeout=1m': timeout must be a positive number of seconds such as 30s: '1m'
            git:https://example.com/a.git?path=%zz              | invalid source URI 'git:https://example.com/a.git?path=%zz': malformed percent-encoding in '%zz'
            s3://                                               | invalid source URI 's3://': missing bucket name
            s3:///services                                      | invalid source URI 's3:///services': missing bucket name
            s3://Acme_Deploy/services                           | invalid source URI 's3://Acme_Deploy/services': invalid bucket name 'Acme_Deploy'
            s3://acme..deploy                                   | invalid source URI 's3://acme..deploy': invalid bucket name 'acme..deploy'
            s3://acme-deploy?endpoint=http://localhost          | invalid source URI 's3://acme-deploy?endpoint=http://localhost': unknown parameter 'endpoint' (allowed: region)
            s3://acme-deploy?region=Europe                      | invalid source URI 's3://acme-deploy?region=Europe': invalid region 'Europe'
            """)
    void a_malformed_uri_is_rejected_with_a_message_that_says_why(String uri, String message) {
        assertThatThrownBy(() -> SourceUri.parse(uri)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void a_null_uri_is_rejected_like_an_empty_one() {
        assertThatThrownBy(() -> SourceUri.parse(null)).hasMessage("invalid source URI '': it is empty");
    }
}
