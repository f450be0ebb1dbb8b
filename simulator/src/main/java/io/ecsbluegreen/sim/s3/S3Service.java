package io.ecsbluegreen.sim.s3;

import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Encoding;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.protocol.Xml;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 over REST XML with path-style addressing ({@code http://127.0.0.1:PORT/bucket/key}): bucket
 * create/head/delete/list, ListObjectsV2, Get/Put/Head/DeleteObject, including aws-chunked uploads
 * and flexible checksums, and versioning (Put/GetBucketVersioning, version ids on puts, reads of a
 * version, delete markers). Anything else answers {@code 501 NotImplemented}.
 */
public final class S3Service implements ServiceHandler {

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final String XML = "application/xml";
    private static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final String META_PREFIX = "x-amz-meta-";
    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_LIST_KEYS = 1000;
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern LOCATION = Pattern.compile("<LocationConstraint>\\s*([^<\\s]*)\\s*</LocationConstraint>");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Pattern VERSIONING_STATUS = Pattern.compile("<Status>\\s*([^<\\s]*)\\s*</Status>");

    /** Sub-resources and operations this simulator does not serve; a request naming one gets 501. */
    private static final Set<String> UNSUPPORTED_SUBRESOURCES = Set.of(
            "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption",
            "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging", "metadataTable",
            "metrics", "notification", "object-lock", "ownershipControls", "partNumber", "policy", "policyStatus",
            "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select", "session",
            "tagging", "torrent", "uploadId", "uploads", "versions", "website");

    private final S3Store store;
    private final String ownerId;

    /**
     * @param store the state to serve
     * @param accountId the account that owns every bucket
     */
    public S3Service(S3Store store, String accountId) {
        this.store = store;
        this.ownerId = canonicalUserId(accountId);
    }

    @Override
    public String signingName() {
        return "s3";
    }

    @Override
    public Protocol protocol() {
        return Protocol.REST_XML;
    }

    @Override
    public String xmlNamespace() {
        return NAMESPACE;
    }

    @Override
    public String resolveAction(SimRequest request) {
        for (String param : request.queryParams().keySet()) {
            if (UNSUPPORTED_SUBRESOURCES.contains(param)) {
                throw notImplemented("the ?" + param + " sub-resource");
            }
        }
        Target target = Target.of(request);
        String method = request.method();
        if (target.bucket().isEmpty()) {
            if (method.equals("GET")) {
                return "ListBuckets";
            }
            throw notImplemented(method + " on the service root");
        }
        if (target.key().isEmpty() && request.queryParams().containsKey("versioning")) {
            return switch (method) {
                case "PUT" -> "PutBucketVersioning";
                case "GET" -> "GetBucketVersioning";
                default -> throw notImplemented(method + " on ?versioning");
            };
        }
        if (target.key().isEmpty()) {
            return switch (method) {
                case "PUT" -> "CreateBucket";
                case "HEAD" -> "HeadBucket";
                case "DELETE" -> "DeleteBucket";
                case "GET" -> {
                    if (!"2".equals(request.queryParam("list-type"))) {
                        throw notImplemented("ListObjects (version 1); use ListObjectsV2");
                    }
                    yield "ListObjectsV2";
                }
                default -> throw notImplemented(method + " on a bucket");
            };
        }
        if (request.queryParams().containsKey("versionId") && !method.equals("GET") && !method.equals("HEAD")) {
            throw notImplemented("versionId on " + method + " (only reads of a version)");
        }
        return switch (method) {
            case "GET" -> "GetObject";
            case "HEAD" -> "HeadObject";
            case "DELETE" -> "DeleteObject";
            case "PUT" -> {
                if (request.header("x-amz-copy-source") != null) {
                    throw notImplemented("CopyObject");
                }
                yield "PutObject";
            }
            default -> throw notImplemented(method + " on an object");
        };
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        Target target = Target.of(request);
        return switch (action) {
            case "ListBuckets" -> listBuckets();
            case "CreateBucket" -> createBucket(target.bucket(), request);
            case "HeadBucket" -> headBucket(target.bucket());
            case "DeleteBucket" -> deleteBucket(target.bucket());
            case "PutBucketVersioning" -> putBucketVersioning(target.bucket(), request);
            case "GetBucketVersioning" -> getBucketVersioning(target.bucket());
            case "ListObjectsV2" -> listObjectsV2(target.bucket(), request);
            case "PutObject" -> putObject(target, request);
            case "GetObject", "HeadObject" -> getObject(target, request);
            case "DeleteObject" -> deleteObject(target);
            default -> throw new IllegalStateException("unresolved action " + action);
        };
    }

    // --- buckets ---------------------------------------------------------------------------------

    private SimResponse listBuckets() {
        Xml xml = Xml.document("ListAllMyBucketsResult", NAMESPACE);
        owner(xml);
        xml.start("Buckets");
        for (Bucket bucket : store.buckets()) {
            xml.start("Bucket")
                    .element("Name", bucket.name())
                    .element("CreationDate", AwsDates.iso8601(bucket.creationDate()))
                    .element("BucketRegion", bucket.region())
                    .end();
        }
        xml.end();
        return SimResponse.xml(200, XML, xml.toString());
    }

    private SimResponse createBucket(String name, SimRequest request) {
        if (!BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
            throw new AwsErrorException(400, "InvalidBucketName", "The specified bucket is not valid.",
                    Map.of("BucketName", name));
        }
        Matcher location = LOCATION.matcher(request.bodyAsString());
        String region = location.find() && !location.group(1).isEmpty() ? location.group(1) : S3Store.DEFAULT_REGION;
        if (!store.createBucket(name, region)) {
            throw new AwsErrorException(409, "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you already own it.",
                    Map.of("BucketName", name));
        }
        return SimResponse.empty(200).withHeader("Location", "/" + name);
    }

    private SimResponse headBucket(String name) {
        Bucket bucket = bucket(name);
        return SimResponse.empty(200).withHeader("x-amz-bucket-region", bucket.region());
    }

    private SimResponse deleteBucket(String name) {
        if (!store.deleteBucketIfEmpty(bucket(name))) {
            throw new AwsErrorException(409, "BucketNotEmpty", "The bucket you tried to delete is not empty",
                    Map.of("BucketName", name));
        }
        return SimResponse.empty(204);
    }

    /**
     * {@code Enabled} or {@code Suspended}; once enabled a bucket never returns to unversioned. MFA delete
     * is not simulated: a configuration naming it answers 501.
     */
    private SimResponse putBucketVersioning(String name, SimRequest request) {
        Bucket bucket = bucket(name);
        String body = request.bodyAsString();
        if (body.contains("<MfaDelete>")) {
            throw notImplemented("MfaDelete in a versioning configuration");
        }
        Matcher status = VERSIONING_STATUS.matcher(body);
        if (!body.contains("<VersioningConfiguration") || !status.find()
                || !(status.group(1).equals(Bucket.ENABLED) || status.group(1).equals(Bucket.SUSPENDED))) {
            throw new AwsErrorException(400, "MalformedXML",
                    "The XML you provided was not well-formed or did not validate against our published schema");
        }
        bucket.setVersioning(status.group(1));
        return SimResponse.empty(200);
    }

    /** The status, or an empty configuration for a bucket whose versioning was never enabled. */
    private SimResponse getBucketVersioning(String name) {
        Bucket bucket = bucket(name);
        Xml xml = Xml.document("VersioningConfiguration", NAMESPACE).element("Status", bucket.versioning());
        return SimResponse.xml(200, XML, xml.toString());
    }

    private SimResponse listObjectsV2(String name, SimRequest request) {
        Bucket bucket = bucket(name);
        String prefix = orEmpty(request.queryParam("prefix"));
        String delimiter = request.queryParam("delimiter");
        String startAfter = request.queryParam("start-after");
        String token = request.queryParam("continuation-token");
        boolean urlEncoded = "url".equals(request.queryParam("encoding-type"));
        if (request.queryParam("encoding-type") != null && !urlEncoded) {
            throw new AwsErrorException(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
        }
        int maxKeys = maxKeys(request.queryParam("max-keys"));
        ObjectListing.Position after = token != null
                ? ObjectListing.Position.fromToken(token)
                : startAfter != null && !startAfter.isEmpty() ? new ObjectListing.Position(startAfter, false) : null;
        ObjectListing page = ObjectListing.page(bucket.objects(), prefix, delimiter, maxKeys, after);

        UnaryOperator<String> enc = urlEncoded ? Encoding::encodeS3Url : UnaryOperator.identity();
        boolean fetchOwner = "true".equals(request.queryParam("fetch-owner"));
        Xml xml = Xml.document("ListBucketResult", NAMESPACE)
                .element("Name", bucket.name())
                .element("Prefix", enc.apply(prefix))
                .element("Delimiter", delimiter == null ? null : enc.apply(delimiter))
                .element("MaxKeys", maxKeys)
                .element("EncodingType", urlEncoded ? "url" : null)
                .element("KeyCount", page.keyCount())
                .element("IsTruncated", page.truncated())
                .element("ContinuationToken", token)
                .element("NextContinuationToken", page.next() == null ? null : page.next().toToken())
                .element("StartAfter", startAfter == null ? null : enc.apply(startAfter));
        for (S3Object object : page.contents()) {
            xml.start("Contents")
                    .element("Key", enc.apply(object.key()))
                    .element("LastModified", AwsDates.iso8601(object.lastModified()))
                    .element("ETag", object.eTag())
                    .element("ChecksumAlgorithm", object.checksumAlgorithm())
                    .element("ChecksumType", "FULL_OBJECT")
                    .element("Size", object.size())
                    .element("StorageClass", "STANDARD");
            if (fetchOwner) {
                owner(xml);
            }
            xml.end();
        }
        for (String commonPrefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", enc.apply(commonPrefix)).end();
        }
        return SimResponse.xml(200, XML, xml.toString());
    }

    private static int maxKeys(String value) {
        if (value == null) {
            return MAX_LIST_KEYS;
        }
        try {
            int maxKeys = Integer.parseInt(value);
            if (maxKeys >= 0) {
                return Math.min(maxKeys, MAX_LIST_KEYS);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AwsErrorException(400, "InvalidArgument", "Provided max-keys not an integer or within integer range");
    }

    // --- objects ---------------------------------------------------------------------------------

    private SimResponse putObject(Target target, SimRequest request) {
        Bucket bucket = bucket(target.bucket());
        String key = checkedKey(target.key());
        byte[] content = request.body();
        Map<String, String> checksumSources = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        checksumSources.putAll(singleValued(request.headers()));
        String contentEncoding = request.header("Content-Encoding");
        if (AwsChunkedDecoder.isAwsChunked(contentEncoding, request.header("x-amz-content-sha256"))) {
            AwsChunkedDecoder.Decoded decoded = AwsChunkedDecoder.decode(content);
            content = decoded.payload();
            checksumSources.putAll(decoded.trailers());
            contentEncoding = withoutAwsChunked(contentEncoding);
            String declared = request.header("x-amz-decoded-content-length");
            if (declared != null && !declared.equals(Long.toString(content.length))) {
                throw new AwsErrorException(400, "IncompleteBody",
                        "You did not provide the number of bytes specified by the x-amz-decoded-content-length header.");
            }
        }
        verifyContentMd5(request.header("Content-MD5"), content);
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.CRC32;
        String checksum = null;
        for (ChecksumAlgorithm candidate : ChecksumAlgorithm.values()) {
            String sent = checksumSources.get(candidate.headerName());
            if (sent != null) {
                String actual = candidate.compute(content);
                if (!actual.equals(sent)) {
                    throw new AwsErrorException(400, "BadDigest",
                            "The " + candidate + " you specified did not match the calculated checksum.");
                }
                algorithm = candidate;
                checksum = actual;
            }
        }
        if (checksum == null) {
            // S3 now checksums every object; CRC32 is one the SDK can validate without the CRT.
            algorithm = ChecksumAlgorithm.fromName(request.header("x-amz-sdk-checksum-algorithm"))
                    .filter(a -> a != ChecksumAlgorithm.CRC64NVME)
                    .orElse(ChecksumAlgorithm.CRC32);
            checksum = algorithm.compute(content);
        }
        String contentType = Optional.ofNullable(request.header("Content-Type")).orElse(DEFAULT_CONTENT_TYPE);
        S3Object object = store.newObject(key, content, contentType, contentEncoding, userMetadata(request),
                algorithm, checksum);
        // compute() makes the precondition check and the write one atomic step, as S3 conditional writes are.
        S3Object stored = bucket.objects().compute(key, (k, existing) -> {
            checkWritePreconditions(request, key, existing);
            return bucket.keep(object, existing);
        });
        store.objectCreated(bucket.name(), stored, "PutObject");
        SimResponse response = SimResponse.empty(200)
                .withHeader("ETag", stored.eTag())
                .withHeader(algorithm.headerName(), checksum)
                .withHeader("x-amz-checksum-type", "FULL_OBJECT");
        return stored.versionId() == null ? response : response.withHeader("x-amz-version-id", stored.versionId());
    }

    private SimResponse getObject(Target target, SimRequest request) {
        Bucket bucket = bucket(target.bucket());
        String versionId = request.queryParam("versionId");
        S3Object object;
        if (versionId != null) {
            object = bucket.version(target.key(), versionId).orElseThrow(() -> new AwsErrorException(404, "NoSuchVersion",
                    "The specified version does not exist.", Map.of("Key", target.key(), "VersionId", versionId)));
        } else {
            object = bucket.objects().get(target.key());
        }
        if (object == null) {
            throw new AwsErrorException(404, "NoSuchKey", "The specified key does not exist.",
                    Map.of("Key", target.key()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", object.eTag());
        if (bucket.versioning() != null || versionId != null) {
            headers.put("x-amz-version-id", object.reportedVersionId());
        }
        headers.put("Last-Modified", AwsDates.httpDate(object.lastModified()));
        Optional<SimResponse> unchanged = checkPreconditions(request, object, headers);
        if (unchanged.isPresent()) {
            return unchanged.get();
        }
        headers.put("Content-Type", object.contentType());
        headers.put("Accept-Ranges", "bytes");
        if (object.contentEncoding() != null) {
            headers.put("Content-Encoding", object.contentEncoding());
        }
        object.userMetadata().forEach((name, value) -> headers.put(META_PREFIX + name, value));

        byte[] body = object.content();
        int status = 200;
        long[] range = range(request.header("Range"), object.size());
        if (range != null) {
            status = 206;
            body = Arrays.copyOfRange(body, (int) range[0], (int) range[1] + 1);
            headers.put("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + object.size());
        } else if ("ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
            // Only whole-object responses carry the checksum: the SDK validates the body against it.
            headers.put(object.checksumAlgorithm().headerName(), object.checksum());
            headers.put("x-amz-checksum-type", "FULL_OBJECT");
        }
        if (request.method().equals("HEAD")) {
            headers.put("Content-Length", Long.toString(body.length));
            body = new byte[0];
        }
        return new SimResponse(status, headers, body);
    }

    /** S3 conditional writes: {@code If-None-Match: *} (create only) and {@code If-Match: etag} (replace only). */
    private static void checkWritePreconditions(SimRequest request, String key, S3Object existing) {
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw notImplemented("If-None-Match on PutObject with a value other than *");
            }
            if (existing != null) {
                throw preconditionFailed("If-None-Match");
            }
        }
        String ifMatch = request.header("If-Match");
        if (ifMatch != null) {
            if (existing == null) {
                throw new AwsErrorException(404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key));
            }
            if (!eTagMatches(ifMatch, existing.eTag())) {
                throw preconditionFailed("If-Match");
            }
        }
    }

    /** Applies If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in S3's precedence. */
    private static Optional<SimResponse> checkPreconditions(SimRequest request, S3Object object,
            Map<String, String> headers) {
        Instant modified = object.lastModified();
        String ifMatch = request.header("If-Match");
        if (ifMatch != null) {
            if (!eTagMatches(ifMatch, object.eTag())) {
                throw preconditionFailed("If-Match");
            }
        } else {
            Optional<Instant> since = AwsDates.parseHttpDate(request.header("If-Unmodified-Since"));
            if (since.isPresent() && secondsAfter(modified, since.get())) {
                throw preconditionFailed("If-Unmodified-Since");
            }
        }
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (eTagMatches(ifNoneMatch, object.eTag())) {
                return Optional.of(new SimResponse(304, headers, null));
            }
        } else {
            Optional<Instant> since = AwsDates.parseHttpDate(request.header("If-Modified-Since"));
            if (since.isPresent() && !secondsAfter(modified, since.get())) {
                return Optional.of(new SimResponse(304, headers, null));
            }
        }
        return Optional.empty();
    }

    /** HTTP dates have second precision, so compare at that precision. */
    private static boolean secondsAfter(Instant modified, Instant since) {
        return modified.getEpochSecond() > since.getEpochSecond();
    }

    private static boolean eTagMatches(String condition, String eTag) {
        for (String candidate : condition.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || unquote(tag).equals(unquote(eTag))) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
    }

    private static AwsErrorException preconditionFailed(String condition) {
        return new AwsErrorException(412, "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold", Map.of("Condition", condition));
    }

    /**
     * The inclusive byte range of a single-range {@code Range} header, or null to answer the whole
     * object (no header, or one S3 ignores: malformed or several ranges).
     */
    private static long[] range(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, size - suffix);
            last = size - 1;
            if (suffix == 0) {
                first = size;
            }
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (last < first && first < size) {
                return null; // syntactically invalid (last before first): HTTP says ignore the header
            }
        }
        if (first >= size) {
            throw new AwsErrorException(416, "InvalidRange", "The requested range is not satisfiable",
                    Map.of("RangeRequested", header, "ActualObjectSize", Long.toString(size)));
        }
        return new long[] {first, last};
    }

    private SimResponse deleteObject(Target target) {
        Bucket bucket = bucket(target.bucket());
        if (bucket.versioning() != null) {
            // a versioned bucket keeps the versions and hides the key behind a delete marker
            boolean existed = bucket.objects().containsKey(target.key());
            String marker = bucket.deleteMarker(target.key());
            if (existed) store.objectDeleted(target.bucket(), target.key());
            return SimResponse.empty(204).withHeader("x-amz-delete-marker", "true").withHeader("x-amz-version-id", marker);
        }
        if (bucket.objects().remove(target.key()) != null) {
            // S3 sends a delete event only when something was deleted (a delete of a missing key changes nothing).
            store.objectDeleted(target.bucket(), target.key());
        }
        return SimResponse.empty(204);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private Bucket bucket(String name) {
        return store.bucket(name).orElseThrow(() -> new AwsErrorException(404, "NoSuchBucket",
                "The specified bucket does not exist", Map.of("BucketName", name)));
    }

    private static String checkedKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new AwsErrorException(400, "KeyTooLongError", "Your key is too long");
        }
        return key;
    }

    private static void verifyContentMd5(String contentMd5, byte[] content) {
        if (contentMd5 == null) {
            return;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            expected = new byte[0];
        }
        if (expected.length != 16) {
            throw new AwsErrorException(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        }
        try {
            if (!MessageDigest.isEqual(expected, MessageDigest.getInstance("MD5").digest(content))) {
                throw new AwsErrorException(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }

    private static Map<String, String> userMetadata(SimRequest request) {
        Map<String, String> metadata = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(META_PREFIX) && !values.isEmpty()) {
                metadata.put(lower.substring(META_PREFIX.length()), values.get(0));
            }
        });
        return metadata;
    }

    private static Map<String, String> singleValued(Map<String, List<String>> headers) {
        Map<String, String> single = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(0));
            }
        });
        return single;
    }

    /** Drops {@code aws-chunked} from a Content-Encoding list: it describes the upload, not the object. */
    private static String withoutAwsChunked(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        return Arrays.stream(contentEncoding.split(","))
                .map(String::trim)
                .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase("aws-chunked"))
                .reduce((a, b) -> a + "," + b)
                .orElse(null);
    }

    private void owner(Xml xml) {
        xml.start("Owner").element("ID", ownerId).element("DisplayName", "simulator").end();
    }

    /** A stable 64-hex-digit canonical user id derived from the account, shaped like S3's. */
    private static String canonicalUserId(String accountId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(accountId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static AwsErrorException notImplemented(String what) {
        return new AwsErrorException(501, "NotImplemented", "The S3 simulator does not implement " + what + ".");
    }

    /** The bucket and key of a path-style request; both may be empty. */
    private record Target(String bucket, String key) {

        static Target of(SimRequest request) {
            String path = request.path().substring(1);
            int slash = path.indexOf('/');
            return slash < 0 ? new Target(path, "") : new Target(path.substring(0, slash), path.substring(slash + 1));
        }
    }
}
