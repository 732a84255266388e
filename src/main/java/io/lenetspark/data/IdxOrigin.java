package io.lenetspark.data;

import io.lenetspark.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The IDX files a data set was written from, kept beside its Parquet files as {@value #FILE_NAME}
 * (Spark and Parquet readers skip names that start with an underscore) and copied into each run's
 * {@code data-check.json}: which data a model was trained on stays known after the files are gone.
 *
 * @param source          where PrepareMnist took the files from, as its log names it
 * @param officialMnist   whether the files are the official MNIST files, by their SHA-256
 * @param sha256          the SHA-256 of each (uncompressed) file, by file name
 * @param rows            the examples the files hold
 */
public record IdxOrigin(String source, boolean officialMnist, Map<String, String> sha256, long rows) {

    public static final String FILE_NAME = "_idx-origin.json";

    public IdxOrigin {
        sha256 = new TreeMap<>(sha256);
    }

    /** Writes this next to the data set's Parquet files, once they are complete. */
    public void writeTo(String dataSetPath, Configuration hadoop) throws IOException {
        Path file = new Path(dataSetPath, FILE_NAME);
        try (FSDataOutputStream out = file.getFileSystem(hadoop).create(file, true)) {
            out.write(Json.INDENTED.writeValueAsBytes(this));
        }
    }

    /** The origin the data set at {@code dataSetPath} records; empty for data not written by PrepareMnist. */
    public static Optional<IdxOrigin> of(String dataSetPath, Configuration hadoop) throws IOException {
        Path file = new Path(dataSetPath, FILE_NAME);
        FileSystem fs = file.getFileSystem(hadoop);
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(file)) {
            return Optional.of(Json.MAPPER.readValue(in, IdxOrigin.class));
        }
    }
}
