package io.ecsbluegreen.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.ecsbluegreen.model.WireValue;
import io.ecsbluegreen.spec.Durations;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;

/** JSON spelled as in the YAML files: durations as {@code 30s}, enums by their wire names, no nulls. */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

    /** Last, so that these serializers win over the JavaTimeModule Quarkus registers. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** Applies the project's JSON conventions to any mapper (the CLI uses it too). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("bluegreen");
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        module.addSerializer(WireValue.class, new JsonSerializer<>() {
            @Override
            public void serialize(WireValue value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.wire());
            }
        });
        mapper.registerModule(module);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }
}
