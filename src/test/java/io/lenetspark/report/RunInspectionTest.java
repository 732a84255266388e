package io.lenetspark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.DataSettings;
import io.lenetspark.data.BadRowKind;
import io.lenetspark.data.MnistDataCheck;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.evaluation.TestPredictions;
import io.lenetspark.output.MetricsTable;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.output.TestRunFolder;
import io.lenetspark.training.EpochMetrics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What RunOutputs writes into a run folder, RunInspection reads back as it was. */
class RunInspectionTest {

    private static final SparkSession spark = SparkTestSession.get();

    private static final List<EpochMetrics> EPOCHS = List.of(
            new EpochMetrics(1, 10.5, 5000, Double.NaN, 0.09, 0.91, 1e-3),
            new EpochMetrics(2, 9.25, 5100.5, 0.1, 0.08, 0.92, 2e-4));
    private static final ClassificationReport TEST = new ClassificationReport(3, 2 / 3.0, 0.4567, List.of(
            new ClassificationReport.ClassMetrics(0, 2, 1.0, 0.5, 2 / 3.0),
            new ClassificationReport.ClassMetrics(1, 1, 0.5, 1.0, 2 / 3.0),
            new ClassificationReport.ClassMetrics(2, 0, Double.NaN, Double.NaN, 0.0)),
            new long[][]{{1, 1, 0}, {0, 1, 0}, {0, 0, 0}});

    @TempDir
    Path runs;

    private RunFolder folder;
    private RunOutputs outputs;

    @BeforeEach
    void runFolder() throws IOException {
        folder = TestRunFolder.createIn(runs);
        outputs = new RunOutputs(folder);
    }

    @Test
    void readsBackTheMetricsTheTestEvaluationTheDataCheckAndTheMistakes() {
        outputs.writeMetricsParquet(spark, EPOCHS);
        outputs.writeTestEvaluation(TEST);
        outputs.writeDataCheck(DataSettings.OnBadRow.SKIP, List.of(
                new MnistDataCheck("train", "/data/train", 600, 597, badRows(3), new MnistDataCheck.Duplicates(2, 1, 40L)),
                new MnistDataCheck("test", "/data/test", 100, 100, badRows(0), MnistDataCheck.Duplicates.NONE)));
        byte[] image = new byte[MnistSchema.IMAGE_BYTES];
        image[0] = 7;
        writePredictions(RowFactory.create(0L, 0, 0, new double[]{0.9, 0.1, 0.0}, new byte[MnistSchema.IMAGE_BYTES]),
                RowFactory.create(1L, 0, 1, new double[]{0.2, 0.8, 0.0}, image),
                RowFactory.create(2L, 1, 1, new double[]{0.3, 0.7, 0.0}, new byte[MnistSchema.IMAGE_BYTES]));

        RunInspection run = RunInspection.read(spark, folder, 10);

        assertEquals(EPOCHS, run.epochs(), RunOutputs.METRICS_PARQUET);
        assertEquals(TEST.examples(), run.test().examples(), "examples");
        assertEquals(TEST.accuracy(), run.test().accuracy(), "accuracy");
        assertEquals(TEST.loss(), run.test().loss(), "loss");
        assertEquals(TEST.classes(), run.test().classes(), "per class, NaN included");
        assertArrayEquals(TEST.confusion(), run.test().confusion(), "confusion");
        assertEquals(List.of(new RunInspection.SplitRows("train", 600, 595), new RunInspection.SplitRows("test", 100, 100)),
                run.data(), RunOutputs.DATA_CHECK);
        assertEquals(1, run.mistakes(), "mistakes");
        RunInspection.Mistake mistake = run.shown().get(0);
        assertEquals(List.of(1L, 0, 1, 0.8), List.of(mistake.id(), mistake.label(), mistake.predicted(), mistake.confidence()),
                "id, label, prediction and confidence of the mistake");
        assertArrayEquals(image, mistake.image(), "its image");
    }

    @Test
    void metricsLinesHaveTheColumnsOfTheMetricsTable() throws IOException {
        outputs.writeMetricsJson(EPOCHS);

        List<String> lines = Files.readAllLines(runs.resolve(TestRunFolder.RUN_ID).resolve(RunOutputs.METRICS_JSON));
        List<String> keys = new ArrayList<>();
        new ObjectMapper().readTree(lines.get(0)).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of(MetricsTable.SCHEMA.fieldNames()), keys);
    }

    private void writePredictions(Row... rows) {
        spark.createDataFrame(List.of(rows), TestPredictions.SCHEMA).write()
                .parquet(folder.resolve(RunOutputs.PREDICTIONS).toString());
    }

    private static Map<BadRowKind, MnistDataCheck.BadRows> badRows(long nullLabels) {
        Map<BadRowKind, MnistDataCheck.BadRows> badRows = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : BadRowKind.values()) {
            badRows.put(kind, new MnistDataCheck.BadRows(0, null));
        }
        if (nullLabels > 0) {
            badRows.put(BadRowKind.NULL_LABEL, new MnistDataCheck.BadRows(nullLabels, "id 17"));
        }
        return badRows;
    }
}
