package io.ecsbluegreen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.ecsbluegreen.model.AppProtocol;
import io.ecsbluegreen.model.AssignPublicIp;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.CapacityProviderItem;
import io.ecsbluegreen.model.ContainerHealthCheck;
import io.ecsbluegreen.model.ContainerSpec;
import io.ecsbluegreen.model.CpuArchitecture;
import io.ecsbluegreen.model.LaunchType;
import io.ecsbluegreen.model.LogConfiguration;
import io.ecsbluegreen.model.LogDriver;
import io.ecsbluegreen.model.NetworkConfiguration;
import io.ecsbluegreen.model.NetworkMode;
import io.ecsbluegreen.model.OperatingSystemFamily;
import io.ecsbluegreen.model.PortMapping;
import io.ecsbluegreen.model.RuntimePlatform;
import io.ecsbluegreen.model.TaskDefinitionSpec;
import io.ecsbluegreen.model.TrafficSpec;
import io.ecsbluegreen.model.TransportProtocol;
import io.ecsbluegreen.model.WireValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The hand-written revision encoding writes, byte for byte, what the operator's first releases hashed:
 * the spec's revision fields through a Jackson mapper with sorted properties and map keys, no nulls,
 * durations as in YAML and enums by wire name. That mapper is rebuilt here, frozen, as the reference;
 * seeded random specs (replay one with {@code -Drevisions.seed=N}) reach every field, null and empty
 * values, and strings that need escaping, which the golden specs cannot all show.
 */
class RevisionEncodingTest {

    static final int SPECS = 2_000;

    /** The JSON settings the revision id was first computed with (api/JsonSetup and Revision as of release 1). */
    static final ObjectMapper LEGACY = legacyMapper();

    static ObjectMapper legacyMapper() {
        SimpleModule module = new SimpleModule("legacy-revision");
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(RevisionEncoding.duration(value));
            }
        });
        module.addSerializer(WireValue.class, new JsonSerializer<>() {
            @Override
            public void serialize(WireValue value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.wire());
            }
        });
        ObjectMapper mapper = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        mapper.registerModule(module);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }

    static byte[] legacy(BlueGreenServiceSpec spec) throws IOException {
        Map<String, Object> content = new java.util.LinkedHashMap<>();
        content.put("taskDefinition", spec.taskDefinition());
        content.put("launchType", spec.launchType());
        content.put("capacityProviderStrategy", spec.capacityProviderStrategy());
        content.put("platformVersion", spec.platformVersion());
        content.put("networkConfiguration", spec.networkConfiguration());
        content.put("containerName", spec.traffic().containerName());
        content.put("containerPort", spec.traffic().containerPort());
        return LEGACY.writeValueAsBytes(content);
    }

    @Test
    void randomSpecsAreEncodedByteForByteAsTheFirstReleasesHashedThem() throws IOException {
        long first = Long.getLong("revisions.seed", 0L);
        int count = Long.getLong("revisions.seed") == null ? SPECS : 1;
        for (long seed = first; seed < first + count; seed++) {
            BlueGreenServiceSpec spec = new Specs(new Random(seed)).spec();
            String expected = new String(legacy(spec), StandardCharsets.UTF_8);
            String actual = new String(RevisionEncoding.of(spec), StandardCharsets.UTF_8);
            assertThat(actual).as("spec of seed %d (replay with -Drevisions.seed=%d): %s", seed, seed, spec).isEqualTo(expected);
        }
    }

    @Test
    void theEncodingOfAKnownSpecIsSortedCompactJson() {
        BlueGreenServiceSpec spec = spec(new TaskDefinitionSpec("app:3", null, null, null, null, null, null, null, null, null),
                null, List.of(new CapacityProviderItem("FARGATE_SPOT", 2, 0)), "1.4.0", null);
        assertThat(new String(RevisionEncoding.of(spec), StandardCharsets.UTF_8)).isEqualTo(
                "{\"capacityProviderStrategy\":[{\"base\":0,\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":2}],"
                        + "\"containerName\":\"web\",\"containerPort\":8080,\"platformVersion\":\"1.4.0\",\"taskDefinition\":{\"arn\":\"app:3\"}}");
    }

    @Test
    void charactersBeyondTheBasicPlaneAndLoneSurrogatesAreEscapedAsTheFirstReleasesEscapedThem() throws IOException {
        BlueGreenServiceSpec spec = spec(new TaskDefinitionSpec("app:\uD800\uD83D\uDE80\uDC00", null, null, null, null, null, null,
                null, null, null), LaunchType.FARGATE, null, null, null);
        String encoded = new String(RevisionEncoding.of(spec), StandardCharsets.UTF_8);
        assertThat(encoded).contains("\"arn\":\"app:\\uD800\\uD83D\\uDE80\\uDC00\"");
        assertThat(encoded).isEqualTo(new String(legacy(spec), StandardCharsets.UTF_8));
    }

    static BlueGreenServiceSpec spec(TaskDefinitionSpec task, LaunchType launchType, List<CapacityProviderItem> capacity,
                                     String platformVersion, NetworkConfiguration network) {
        return new BlueGreenServiceSpec(null, null, null, "demo", "web", 1, null, launchType, capacity, platformVersion, network, task,
                new TrafficSpec("web", 8080, "blue", "green", null, null), null, null, null, null, Map.of());
    }

    /** Random specs: every revision field, each sometimes null, lists and maps sometimes empty. */
    record Specs(Random random) {
        static final String ALPHABET = "aZ09-_./:@ \"\\\n\t\r\b\f\u0000\u0007\u001b\u001f\u007f\u00e9\u00ff\u2028\u65e5\uD83D\uDE80</>";

        BlueGreenServiceSpec spec() {
            return new BlueGreenServiceSpec(maybe(this::string), maybe(this::string), maybe(this::string), string(), string(),
                    maybe(() -> random.nextInt(10)), null, maybe(() -> pick(LaunchType.values())), maybe(() -> list(this::capacity)),
                    maybe(this::string), maybe(this::network), maybe(this::taskDefinition),
                    new TrafficSpec(string(), random.nextInt(65536), string(), string(), null, null), null, null, null, null,
                    maybe(() -> map(this::string)));
        }

        TaskDefinitionSpec taskDefinition() {
            return new TaskDefinitionSpec(maybe(this::string), maybe(this::string), maybe(this::integer), maybe(this::integer),
                    maybe(this::string), maybe(this::string), maybe(() -> pick(NetworkMode.values())),
                    maybe(() -> new RuntimePlatform(maybe(() -> pick(CpuArchitecture.values())),
                            maybe(() -> pick(OperatingSystemFamily.values())))),
                    maybe(this::integer), maybe(() -> list(this::container)));
        }

        ContainerSpec container() {
            return new ContainerSpec(maybe(this::string), maybe(this::string), maybe(random::nextBoolean), maybe(this::integer),
                    maybe(this::integer), maybe(this::integer), maybe(() -> list(this::string)), maybe(() -> list(this::string)),
                    maybe(() -> list(() -> new PortMapping(maybe(this::integer), maybe(this::integer),
                            maybe(() -> pick(TransportProtocol.values())), maybe(this::string), maybe(() -> pick(AppProtocol.values()))))),
                    maybe(() -> map(this::string)), maybe(() -> map(this::string)),
                    maybe(() -> new ContainerHealthCheck(maybe(() -> list(this::string)), maybe(this::duration), maybe(this::duration),
                            maybe(this::integer), maybe(this::duration))),
                    maybe(() -> new LogConfiguration(maybe(() -> pick(LogDriver.values())), maybe(() -> map(this::string)),
                            maybe(() -> map(this::string)))),
                    maybe(random::nextBoolean), maybe(this::duration));
        }

        CapacityProviderItem capacity() {
            return new CapacityProviderItem(maybe(this::string), maybe(this::integer), maybe(this::integer));
        }

        NetworkConfiguration network() {
            return new NetworkConfiguration(maybe(() -> list(this::string)), maybe(() -> list(this::string)),
                    maybe(() -> pick(AssignPublicIp.values())));
        }

        <T> T maybe(Supplier<T> value) {
            return random.nextInt(4) == 0 ? null : value.get();
        }

        <T> T pick(T[] values) {
            return values[random.nextInt(values.length)];
        }

        Integer integer() {
            return random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(70_000);
        }

        Duration duration() {
            return switch (random.nextInt(3)) {
                case 0 -> Duration.ofSeconds(random.nextInt(300));
                case 1 -> Duration.ofMillis(random.nextInt(100_000_000));
                default -> Duration.ofDays(random.nextInt(3)).plusHours(random.nextInt(24)).plusMinutes(random.nextInt(60));
            };
        }

        String string() {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                // mostly whole characters beyond U+FFFF, sometimes a lone half
                if (Character.isHighSurrogate(c) && random.nextInt(8) > 0) sb.append(c).append(ALPHABET.charAt(ALPHABET.indexOf(c) + 1));
                else sb.append(c);
            }
            return sb.toString();
        }

        <T> List<T> list(Supplier<T> element) {
            List<T> list = new ArrayList<>();
            int size = random.nextInt(4);
            for (int i = 0; i < size; i++) list.add(element.get());
            return list;
        }

        /** Keys that differ in case and length, so that their order is tested; values sometimes null. */
        <T> Map<String, T> map(Supplier<T> value) {
            Map<String, T> map = new HashMap<>();
            int size = random.nextInt(5);
            for (int i = 0; i < size; i++) map.put(string(), random.nextInt(8) == 0 ? null : value.get());
            return map;
        }
    }
}
