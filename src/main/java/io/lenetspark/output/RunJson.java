package io.lenetspark.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The JSON of the run folder's files, written and read by Jackson from records: each key is the
 * snake_case name of a record component, so a file's writer and its readers share one definition.
 */
public final class RunJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // A file written by a later version may hold more keys: a reader takes those it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper INDENTED = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private RunJson() {
    }

    /** {@code value} on one line, as in {@code metrics.jsonl}. */
    static String line(Object value) {
        return write(MAPPER, value);
    }

    /** {@code value} indented, for a file people open. */
    static String indented(Object value) {
        return write(INDENTED, value);
    }

    /** Reads the file {@code name} of {@code folder} as a {@code type}. */
    public static <T> T read(RunFolder folder, String name, Class<T> type) {
        try (InputStream in = folder.open(name)) {
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + folder.resolve(name), e);
        }
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
