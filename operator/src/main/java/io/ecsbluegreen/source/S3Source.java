package io.ecsbluegreen.source;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The YAML objects below an S3 prefix.
 *
 * <p>Every {@link #fetch()} lists the prefix (all pages) and downloads only the objects whose ETag or
 * LastModified differs from the listing of the previous fetch. The ETag is the object's version; the listing's
 * revision is a SHA-256 over the sorted (key, ETag) pairs. LastModified catches the same bytes uploaded again:
 * in a versioned bucket that is a new object version, which the file's provenance names. Keys are read as files below the prefix: a key
 * {@code services/eu/web.yaml} under prefix {@code services/} is the file {@code eu/web.yaml}.
 */
public final class S3Source implements DesiredStateSource {

    private final SourceUri.S3 uri;
    private final String id;
    private final S3Client s3;
    private final boolean closeClient;
    private Map<String, Cached> cache = Map.of();

    /** A file as read, and its key's LastModified as the listing showed it (the GET's may be newer). */
    private record Cached(SourceFile file, Instant listedModified) {}

    /** A source using a client that the caller keeps and closes. */
    public S3Source(SourceUri.S3 uri, S3Client s3) {
        this(uri, s3, false);
    }

    /**
     * @param uri the bucket and prefix
     * @param s3 the client to call; its region, endpoint and credentials are the caller's choice
     * @param closeClient whether {@link #close()} closes the client, for a client made for this source only
     */
    public S3Source(SourceUri.S3 uri, S3Client s3, boolean closeClient) {
        this.uri = uri;
        this.id = uri.id();
        this.s3 = s3;
        this.closeClient = closeClient;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SourceListing fetch() throws SourceException {
        Map<String, Cached> next = new HashMap<>();
        List<SourceFile> files = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(uri.bucket()).prefix(uri.prefix()).build();
            // The paginator follows continuation tokens until the last page.
            for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
                String path = object.key().substring(uri.prefix().length());
                if (!Sources.isDesiredStateFile(path)) {
                    continue;
                }
                String etag = unquote(object.eTag());
                Cached cached = cache.get(object.key());
                boolean unchanged = cached != null && cached.file().version().equals(etag)
                        && Objects.equals(cached.listedModified(), object.lastModified());
                SourceFile file = unchanged ? cached.file() : get(object.key(), path);
                if (file != null) {
                    next.put(object.key(), new Cached(file, object.lastModified()));
                    files.add(file);
                }
            }
        } catch (NoSuchBucketException e) {
            throw new SourceException(id + ": bucket '" + uri.bucket() + "' does not exist", e);
        } catch (S3Exception e) {
            throw new SourceException(id + ": " + describe(e), e);
        } catch (SdkException e) {
            throw new SourceException(id + ": cannot reach S3: " + e.getMessage(), e);
        }
        cache = next;
        TreeMap<String, String> etags = new TreeMap<>();
        next.forEach((key, cached) -> etags.put(key, cached.file().version()));
        return new SourceListing(Sources.digestRevision(etags), Sources.sorted(files));
    }

    /**
     * Downloads one object; {@code null} when it was deleted since the listing, which is a deletion. The
     * version is the ETag of what was downloaded, which may be newer than the listed one: then the next
     * listing shows that newer ETag and the object is not downloaded again.
     */
    private SourceFile get(String key, String path) {
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(uri.bucket()).key(key).build());
        } catch (NoSuchKeyException e) {
            return null;
        }
        String location = "s3://" + uri.bucket() + "/" + key;
        GetObjectResponse response = object.response();
        return new SourceFile(path, location, unquote(response.eTag()), object.asByteArray(),
                Provenance.s3(response.versionId(), unquote(response.eTag()), response.lastModified()));
    }

    private String describe(S3Exception e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
        String status = (code.isEmpty() ? "" : code + ", ") + "HTTP " + e.statusCode();
        if (e.statusCode() == 403) {
            return "access denied to bucket '" + uri.bucket() + "' (" + status + ")";
        }
        if (e.statusCode() == 301) {
            return "bucket '" + uri.bucket() + "' is in another region, set ?region= (" + status + ")";
        }
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return "S3 error (" + status + ")" + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** ETags arrive quoted ({@code "abc"}); the quotes are syntax, not part of the version. */
    private static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    @Override
    public void close() {
        if (closeClient) {
            s3.close();
        }
    }
}
