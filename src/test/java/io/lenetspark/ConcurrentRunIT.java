package io.lenetspark;

import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged jobs started at once with the same run id, as a scheduler retrying too early or two
 * users would start them: one trains and completes the run, the other leaves it alone.
 */
class ConcurrentRunIT {

    private static final String RUN_ID = "same-id";

    @TempDir
    Path work;

    @Test
    void exactlyOneOfTwoJobsWithTheSameRunIdCompletesIt() throws Exception {
        Path data = MnistSubset.of(2_000, 500);
        Path runs = work.resolve("runs");
        String[] args = {"data.dir=" + data, "training.epochs=2", "training.batch-size=32",
                "output.dir=" + runs, "output.run-id=" + RUN_ID};
        SparkSubmitProcess first = SparkSubmitProcess.start(work.resolve("first.log"), "LeNetJob", args);
        SparkSubmitProcess second = SparkSubmitProcess.start(work.resolve("second.log"), "LeNetJob", args);
        List<Integer> exitCodes = List.of(first.waitForExit(), second.waitForExit());

        assertEquals(1, exitCodes.stream().filter(code -> code == 0).count(),
                "exactly one completes: " + exitCodes + "\n" + first.log() + "\n" + second.log());
        SparkSubmitProcess winner = exitCodes.get(0) == 0 ? first : second;
        SparkSubmitProcess loser = exitCodes.get(0) == 0 ? second : first;
        int loserCode = exitCodes.get(0) == 0 ? exitCodes.get(1) : exitCodes.get(0);
        // spark-submit --class LeNetJob, the job's short name, runs the whole job.
        assertTrue(winner.log().contains("Epoch 2/2 - ") && winner.log().contains("Test accuracy "), winner.log());
        String lastLine = lastLine(loser.log());
        System.out.println("The other job exited " + loserCode + ": " + lastLine);
        // Started at once, the other job meets the claim; started after the winner ended, it meets the completed run.
        if (loserCode == ExitCode.RUN_IN_USE.code()) {
            assertTrue(lastLine.matches("LeNetJob failed: Run folder .*" + RUN_ID + " is being written by another "
                    + "job \\(LeNetJob local-\\d+, driver process \\d+ .*\\)\\. Wait for it to end .*"), lastLine);
        } else {
            assertEquals(ExitCode.INVALID_INPUT.code(), loserCode, loser.log());
            assertTrue(lastLine.contains("already holds a completed run"), lastLine);
        }
        assertFalse(loser.log().contains("Training LeNet-5"), "the other job trains nothing: " + loser.log());

        Path run = runs.resolve(RUN_ID);
        assertTrue(Files.exists(run.resolve(RunFolder.SUCCESS_MARKER)), "the run is complete");
        assertEquals(2, Files.readAllLines(run.resolve(RunOutputs.METRICS_JSON)).size(), "one metrics line per epoch");
        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(run.resolve(RunOutputs.MODEL).toFile());
        assertTrue(model.numParams() > 0, "model.zip loads");
        assertEquals(List.of(), strayFiles(run), "no lock or temporary file is left in the run folder");
    }

    private static String lastLine(String log) {
        List<String> lines = log.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static List<String> strayFiles(Path run) throws IOException {
        List<String> stray = new ArrayList<>();
        try (Stream<Path> files = Files.walk(run)) {
            files.map(path -> path.getFileName().toString())
                    .filter(name -> name.equals(".lock") || name.endsWith(".tmp"))
                    .forEach(stray::add);
        }
        return stray;
    }
}
