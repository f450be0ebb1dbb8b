package io.ecsbluegreen.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest S3-compatible endpoint S3Source needs: path-style ListObjectsV2 (prefix, max-keys,
 * continuation-token) and GetObject, on 127.0.0.1, with NoSuchBucket, NoSuchKey and AccessDenied errors.
 * It counts requests so that tests can prove what was (not) downloaded. A stand-in until the project's
 * local AWS simulator is available.
 */
final class TinyS3Server implements AutoCloseable {

    private record StoredObject(byte[] content, String etag) {}

    private final HttpServer server;
    private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Set<String> deniedBuckets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final AtomicInteger getObjectCalls = new AtomicInteger();
    /** Like S3's cap of 1000 keys per page, but small enough to make tests paginate. */
    private volatile int maxPageSize = 1000;

    private TinyS3Server(HttpServer server) {
        this.server = server;
    }

    static TinyS3Server start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TinyS3Server s3 = new TinyS3Server(http);
        http.createContext("/", s3::handle);
        http.start();
        return s3;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void createBucket(String bucket) {
        buckets.putIfAbsent(bucket, new ConcurrentSkipListMap<>());
    }

    void put(String bucket, String key, String content) {
        byte[] bytes = content.getBytes(UTF_8);
        buckets.get(bucket).put(key, new StoredObject(bytes, "\"" + md5Hex(bytes) + "\""));
    }

    void delete(String bucket, String key) {
        buckets.get(bucket).remove(key);
    }

    /** Answers every request on the bucket with 403 AccessDenied. */
    void deny(String bucket) {
        deniedBuckets.add(bucket);
    }

    void maxPageSize(int keys) {
        maxPageSize = keys;
    }

    int listCalls() {
        return listCalls.get();
    }

    int getObjectCalls() {
        return getObjectCalls.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(1);
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            String key = slash < 0 ? "" : path.substring(slash + 1);
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            NavigableMap<String, StoredObject> objects = buckets.get(bucket);
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 501, "NotImplemented", "Only GET is implemented");
            } else if (deniedBuckets.contains(bucket)) {
                error(exchange, 403, "AccessDenied", "Access Denied");
            } else if (objects == null) {
                error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist");
            } else if (key.isEmpty() && "2".equals(query.get("list-type"))) {
                listCalls.incrementAndGet();
                list(exchange, bucket, objects, query);
            } else if (!key.isEmpty()) {
                getObjectCalls.incrementAndGet();
                getObject(exchange, objects.get(key));
            } else {
                error(exchange, 501, "NotImplemented", "Only ListObjectsV2 and GetObject are implemented");
            }
        }
    }

    private void list(HttpExchange exchange, String bucket, NavigableMap<String, StoredObject> objects, Map<String, String> query)
            throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        int maxKeys = Math.min(Integer.parseInt(query.getOrDefault("max-keys", "1000")), maxPageSize);
        String token = query.get("continuation-token");
        // The continuation token is opaque to clients; here it is simply the last key returned, encoded.
        String after = token == null ? query.getOrDefault("start-after", "") : new String(Base64.getUrlDecoder().decode(token), UTF_8);
        List<Map.Entry<String, StoredObject>> matching = objects.tailMap(after, false).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .toList();
        List<Map.Entry<String, StoredObject>> page = matching.subList(0, Math.min(maxKeys, matching.size()));
        boolean truncated = matching.size() > page.size();

        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append("<Name>").append(escape(bucket)).append("</Name>")
                .append("<Prefix>").append(escape(prefix)).append("</Prefix>")
                .append("<KeyCount>").append(page.size()).append("</KeyCount>")
                .append("<MaxKeys>").append(maxKeys).append("</MaxKeys>")
                .append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (token != null) {
            xml.append("<ContinuationToken>").append(escape(token)).append("</ContinuationToken>");
        }
        if (truncated) {
            String last = page.get(page.size() - 1).getKey();
            xml.append("<NextContinuationToken>")
                    .append(Base64.getUrlEncoder().encodeToString(last.getBytes(UTF_8)))
                    .append("</NextContinuationToken>");
        }
        for (Map.Entry<String, StoredObject> entry : page) {
            xml.append("<Contents><Key>").append(escape(entry.getKey())).append("</Key>")
                    .append("<LastModified>2025-06-01T12:00:00.000Z</LastModified>")
                    .append("<ETag>").append(escape(entry.getValue().etag())).append("</ETag>")
                    .append("<Size>").append(entry.getValue().content().length).append("</Size>")
                    .append("<StorageClass>STANDARD</StorageClass></Contents>");
        }
        xml.append("</ListBucketResult>");
        send(exchange, 200, "application/xml", xml.toString().getBytes(UTF_8));
    }

    private void getObject(HttpExchange exchange, StoredObject object) throws IOException {
        if (object == null) {
            error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        exchange.getResponseHeaders().add("ETag", object.etag());
        exchange.getResponseHeaders().add("Last-Modified", "Sun, 01 Jun 2025 12:00:00 GMT");
        send(exchange, 200, "application/octet-stream", object.content());
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>tiny-s3</RequestId></Error>";
        send(exchange, status, "application/xml", xml.getBytes(UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amz-request-id", "tiny-s3");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
                query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
        }
        return query;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String md5Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
