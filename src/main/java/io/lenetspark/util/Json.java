package io.lenetspark.util;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON of the files the jobs write, by Jackson from records: each key is the snake_case name
 * of a record component, so a file's writer and its readers share one definition.
 */
public final class Json {

    /** Reads any such file, and writes one line per value. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // A file written by a later version may hold more keys: a reader takes those it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Writes indented, for a file people open. */
    public static final ObjectMapper INDENTED = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }
}
