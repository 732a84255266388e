package io.lenetspark.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.lenetspark.config.DataSettings;
import io.lenetspark.config.Secrets;
import io.lenetspark.data.BadRowKind;
import io.lenetspark.data.IdxOrigin;
import io.lenetspark.data.MnistDataCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOutputsTest {

    @Test
    void savedConfigMasksSecretsAndKeepsTheRest() {
        String rendered = RunOutputs.render(ConfigFactory.parseString(
                "s3.secret-key = \"AKIAEXAMPLESECRET\"\nstore.password = hunter2\ntraining.epochs = 20"));
        assertFalse(rendered.contains("AKIAEXAMPLESECRET"), rendered);
        assertFalse(rendered.contains("hunter2"), rendered);
        assertTrue(rendered.contains(Secrets.MASK), rendered);
        assertTrue(rendered.contains("epochs=20") || rendered.contains("epochs = 20"), rendered);
    }

    @Test
    void savedConfigMasksQuotedHadoopNames() {
        String rendered = RunOutputs.render(ConfigFactory.parseString("""
                hadoop { "fs.s3a.secret.key" = "wJalrXUtnFEMI", "my.service.password" = "hunter2", \
                "fs.s3a.endpoint" = "http://127.0.0.1:9000" }"""));

        assertFalse(rendered.contains("wJalrXUtnFEMI") || rendered.contains("hunter2"), rendered);
        assertTrue(rendered.contains("\"fs.s3a.secret.key\"=\"" + Secrets.MASK + "\"")
                || rendered.contains("\"fs.s3a.secret.key\" = \"" + Secrets.MASK + "\""), rendered);
        assertTrue(rendered.contains("http://127.0.0.1:9000"), rendered);
    }

    @Test
    void dataCheckListsEachSplitsRowsItsBadRowsByKindAndItsDuplicateIds(@TempDir Path runs) throws IOException {
        RunFolder folder = TestRunFolder.createIn(runs);
        Map<BadRowKind, MnistDataCheck.BadRows> trainBad = noBadRows();
        trainBad.put(BadRowKind.NULL_LABEL, new MnistDataCheck.BadRows(3, "id 17"));
        trainBad.put(BadRowKind.NULL_ID, new MnistDataCheck.BadRows(1, "at row index 4 of file part-0.parquet"));

        new RunOutputs(folder).writeDataCheck(DataSettings.OnBadRow.SKIP, List.of(
                new MnistDataCheck("train", "/data/train", 600, 597, trainBad, new MnistDataCheck.Duplicates(2, 1, 40L)),
                new MnistDataCheck("test", "/data/test", 100, 100, noBadRows(), MnistDataCheck.Duplicates.NONE,
                        new IdxOrigin("folder /idx", false, Map.of("t10k-images-idx3-ubyte", "ab12",
                                "t10k-labels-idx1-ubyte", "cd34"), 100))));

        JsonNode json = new ObjectMapper().readTree(runs.resolve("run").resolve(RunOutputs.DATA_CHECK).toFile());
        assertEquals(new ObjectMapper().readTree("""
                {"on_bad_row": "skip", "splits": {
                  "train": {"path": "/data/train", "rows_read": 600, "rows_used": 595, "rows_skipped": 5,
                    "bad_rows": {"null_id": 1, "null_label": 3, "label_outside_0_9": 0, "null_image": 0,
                                 "image_not_784_bytes": 0, "duplicate_id": 2},
                    "first_bad_row": {"null_id": "at row index 4 of file part-0.parquet", "null_label": "id 17",
                                      "duplicate_id": "id 40"},
                    "idx_files": null},
                  "test": {"path": "/data/test", "rows_read": 100, "rows_used": 100, "rows_skipped": 0,
                    "bad_rows": {"null_id": 0, "null_label": 0, "label_outside_0_9": 0, "null_image": 0,
                                 "image_not_784_bytes": 0, "duplicate_id": 0},
                    "first_bad_row": {},
                    "idx_files": {"source": "folder /idx", "official_mnist": false, "rows": 100,
                                  "sha256": {"t10k-images-idx3-ubyte": "ab12", "t10k-labels-idx1-ubyte": "cd34"}}}}}
                """), json);
    }

    private static Map<BadRowKind, MnistDataCheck.BadRows> noBadRows() {
        Map<BadRowKind, MnistDataCheck.BadRows> badRows = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : BadRowKind.values()) {
            badRows.put(kind, new MnistDataCheck.BadRows(0, null));
        }
        return badRows;
    }
}
