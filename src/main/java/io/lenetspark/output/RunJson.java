package io.lenetspark.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The JSON of the run folder's files, in the jobs' one convention ({@link Json}). */
public final class RunJson {

    static final ObjectMapper MAPPER = Json.MAPPER;
    private static final ObjectMapper INDENTED = Json.INDENTED;

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
