package io.github.dl4jcinn.zoo.report;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.DeserializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON with the Jackson that ND4J ships (shaded), so the zoo adds no dependency. */
public final class Json {

    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper LINE = new ObjectMapper();

    private Json() {}

    /** Indented JSON. */
    public static String write(Object value) {
        try {
            return PRETTY.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON on one line (for machine-readable output). */
    public static String line(Object value) {
        try {
            return LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) throws IOException {
        return PRETTY.readValue(json, type);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readMap(Path file) throws IOException {
        return PRETTY.readValue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), LinkedHashMap.class);
    }
}
