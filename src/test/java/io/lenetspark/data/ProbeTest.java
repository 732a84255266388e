package io.lenetspark.data;

import io.lenetspark.SparkTestSession;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

class ProbeTest {
    @TempDir Path tmp;

    private String good(String name, int parts) {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < 200; i++) rows.add(RowFactory.create(i, (int) (i % 10), new byte[784]));
        String p = tmp.resolve(name).toString();
        spark.createDataFrame(rows, MnistSchema.SCHEMA).repartition(parts).write().parquet(p);
        return p;
    }

    private void probe(String label, String path) {
        System.err.println("=== " + label);
        try {
            MnistParquet.read(SparkTestSession.get(), path, "train");
            System.err.println("NO FAILURE");
        } catch (Exception e) {
            System.err.println("THROWN " + e);
        }
    }

    private static List<Path> parts(String p) throws Exception {
        try (var s = Files.list(Path.of(p))) {
            return s.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
        }
    }

    @Test
    void probeAll() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String csv = tmp.resolve("csv").toString();
        spark.range(5).write().csv(csv);
        probe("csv", csv);
        Files.createDirectories(tmp.resolve("empty"));
        probe("empty", tmp.resolve("empty").toString());
        String t1 = good("t1", 1);
        Path f = parts(t1).get(0);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) { r.setLength(r.length() / 2); }
        Files.deleteIfExists(f.resolveSibling("." + f.getFileName() + ".crc"));
        probe("truncated single", t1);
        String t2 = good("t2", 2);
        Path f2 = parts(t2).get(1);
        try (RandomAccessFile r = new RandomAccessFile(f2.toFile(), "rw")) { r.setLength(r.length() / 2); }
        Files.deleteIfExists(f2.resolveSibling("." + f2.getFileName() + ".crc"));
        probe("truncated second", t2);
        String t3 = good("t3", 1);
        Path f3 = parts(t3).get(0);
        try (RandomAccessFile r = new RandomAccessFile(f3.toFile(), "rw")) { r.seek(8); r.write(new byte[200]); }
        Files.deleteIfExists(f3.resolveSibling("." + f3.getFileName() + ".crc"));
        probe("corrupt middle", t3);
        probe("missing", tmp.resolve("nope").toString());
        probe("badscheme", "s3x://bucket/x");
    }
}
