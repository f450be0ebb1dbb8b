package io.ecsbluegreen.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ecsbluegreen.api.JsonSetup;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The identity of what a task set runs: a content hash of the task definition (inline content, or the
 * ARN as given) and of the task-set-level settings (launch type or capacity providers, platform version,
 * network configuration, the container and port registered in the target group). It is the task set's
 * {@code externalId} and the task definition's tag, so a rollout can be recognised in AWS after a
 * restart. Settings that do not need new tasks (desired count, strategy, hooks, tags) are left out, so
 * changing them never starts a rollout.
 *
 * @param id {@code r-} and 12 hex digits of the SHA-256
 */
public record Revision(String id) {

    private static final Pattern FORMAT = Pattern.compile("r-[0-9a-f]{12}");

    private static final ObjectMapper CANONICAL = JsonSetup.configure(JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .build());

    public Revision {
        if (!FORMAT.matcher(id).matches()) {
            throw new IllegalArgumentException("not a revision id: " + id);
        }
    }

    /** Whether {@code text} is a revision id, e.g. a task set's externalId written by this operator. */
    public static boolean isRevisionId(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /** The revision a spec asks for. */
    public static Revision of(BlueGreenServiceSpec spec) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("taskDefinition", spec.taskDefinition());
        content.put("launchType", spec.launchType());
        content.put("capacityProviderStrategy", spec.capacityProviderStrategy());
        content.put("platformVersion", spec.platformVersion());
        content.put("networkConfiguration", spec.networkConfiguration());
        content.put("containerName", spec.traffic().containerName());
        content.put("containerPort", spec.traffic().containerPort());
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(content);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return new Revision("r-" + HexFormat.of().formatHex(digest).substring(0, 12));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a spec", e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
