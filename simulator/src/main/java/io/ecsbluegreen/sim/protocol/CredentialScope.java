package io.ecsbluegreen.sim.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credential scope of a SigV4-signed request: {@code AKID/yyyymmdd/region/service/aws4_request}.
 *
 * <p>The simulator never verifies signatures; it reads the scope only to learn which service a request
 * is for, which region the caller believes it talks to, and which access key it used.
 *
 * @param accessKeyId the access key id the client signed with
 * @param date the scope date, {@code yyyymmdd}
 * @param region the signing region
 * @param service the signing name of the service ({@code s3}, {@code sts}, {@code ecs}, ...)
 */
public record CredentialScope(String accessKeyId, String date, String region, String service) {

    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");
    private static final Pattern QUERY_CREDENTIAL =
            Pattern.compile("([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");

    /** Reads the scope from an {@code Authorization: AWS4-HMAC-SHA256 Credential=...} header value. */
    public static Optional<CredentialScope> fromAuthorization(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        return from(CREDENTIAL.matcher(authorization));
    }

    /** Reads the scope from the {@code X-Amz-Credential} query parameter of a presigned URL. */
    public static Optional<CredentialScope> fromQueryCredential(String credential) {
        if (credential == null) {
            return Optional.empty();
        }
        Matcher m = QUERY_CREDENTIAL.matcher(credential);
        return m.matches() ? from(m.reset()) : Optional.empty();
    }

    private static Optional<CredentialScope> from(Matcher m) {
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new CredentialScope(m.group(1), m.group(2), m.group(3), m.group(4)));
    }
}
