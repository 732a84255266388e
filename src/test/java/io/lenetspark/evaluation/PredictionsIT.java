package io.lenetspark.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.MnistSubset;
import io.lenetspark.SmallRun;
import io.lenetspark.SparkTestSession;
import io.lenetspark.output.RunOutputs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** predictions.parquet of a real small training run. */
class PredictionsIT {

    private static Path run;
    private static List<Row> predictions;

    @BeforeAll
    static void train() throws IOException {
        run = SmallRun.folder();
        predictions = SparkTestSession.get().read().parquet(run.resolve(RunOutputs.PREDICTIONS).toString())
                .orderBy("id").collectAsList();
    }

    @Test
    void hasTheDocumentedColumns() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> written = spark.read().parquet(run.resolve(RunOutputs.PREDICTIONS).toString());

        assertEquals(Arrays.stream(TestPredictions.SCHEMA.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList(),
                Arrays.stream(written.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList());
    }

    @Test
    void holdsEveryTestImageOnceWithItsOwnLabelAndBytes() throws IOException {
        Path testData = MnistSubset.of(2_000, SmallRun.TEST_EXAMPLES).resolve("test");
        Map<Long, Row> source = SparkTestSession.get().read().parquet(testData.toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getLong(r.fieldIndex("id")), r -> r));

        assertEquals(SmallRun.TEST_EXAMPLES, predictions.size(), "rows");
        assertEquals(source.keySet(), predictions.stream().map(r -> r.getLong(0)).collect(Collectors.toSet()), "ids");
        for (Row row : predictions) {
            Row original = source.get(row.getLong(0));
            assertEquals(original.getInt(original.fieldIndex("label")), row.getInt(1), "label of " + row.getLong(0));
            assertArrayEquals((byte[]) original.getAs("image"), (byte[]) row.getAs("image"), "image of " + row.getLong(0));
        }
    }

    @Test
    void probabilitiesSumToOneAndThePredictionIsTheMostProbableDigit() {
        for (Row row : predictions) {
            List<Double> probabilities = row.getList(3);
            assertEquals(10, probabilities.size(), "probabilities of " + row.getLong(0));
            assertEquals(1.0, probabilities.stream().mapToDouble(Double::doubleValue).sum(), 1e-4,
                    "sum of probabilities of " + row.getLong(0));
            probabilities.forEach(p -> assertTrue(p >= 0 && p <= 1, "probability " + p));
            int argmax = 0;
            for (int digit = 1; digit < 10; digit++) {
                if (probabilities.get(digit) > probabilities.get(argmax)) {
                    argmax = digit;
                }
            }
            assertEquals(argmax, row.getInt(2), "predicted digit of " + row.getLong(0));
        }
    }

    @Test
    void agreeWithTheTestEvaluation() throws IOException {
        JsonNode evaluation = new ObjectMapper().readTree(Files.readString(run.resolve(RunOutputs.TEST_EVALUATION)));
        long correct = predictions.stream().filter(r -> r.getInt(1) == r.getInt(2)).count();

        assertEquals(evaluation.get("accuracy").asDouble(), (double) correct / predictions.size(), 1e-9, "accuracy");
        JsonNode confusion = evaluation.get("confusion");
        for (Row row : predictions) {
            assertTrue(confusion.get(row.getInt(1)).get(row.getInt(2)).asLong() > 0,
                    "confusion cell of " + row.getInt(1) + " predicted as " + row.getInt(2));
        }
    }

    @Test
    void isInPlaceBeforeTheRunIsMarkedComplete() throws IOException {
        long predictionsWritten = Files.list(run.resolve(RunOutputs.PREDICTIONS))
                .mapToLong(p -> p.toFile().lastModified()).max().orElseThrow();
        assertTrue(predictionsWritten <= run.resolve("_SUCCESS").toFile().lastModified(),
                "predictions.parquet is written before _SUCCESS");
        assertTrue(Files.exists(run.resolve(RunOutputs.PREDICTIONS).resolve("_SUCCESS")), "Spark committed the Parquet data");
    }
}
