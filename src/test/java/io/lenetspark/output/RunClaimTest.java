package io.lenetspark.output;

import io.lenetspark.config.OutputSettings;
import io.lenetspark.failure.RunInUseException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims on local run folders; two processes and HDFS leases are covered by ConcurrentRunIT and HdfsIT. */
class RunClaimTest {

    @TempDir
    Path runs;

    private RunFolder folder(String runId) {
        return RunFolder.locate(new OutputSettings(runs.toString(), runId, OutputSettings.OnCompleteRun.FAIL, 2),
                new Configuration(), Clock.systemUTC());
    }

    @Test
    void aSecondClaimIsRefusedNamingTheHolderUntilTheFirstIsReleased() {
        RunFolder folder = folder("run");
        try (RunClaim first = folder.claim("job A")) {
            RunInUseException refused = assertThrows(RunInUseException.class, () -> folder("run").claim("job B"));
            assertTrue(refused.getMessage().contains("is being written by another job (job A)"), refused.getMessage());
            assertTrue(refused.getMessage().contains("choose another lenet.output.run-id"), refused.getMessage());
        }
        try (RunClaim second = folder("run").claim("job B")) {
            assertTrue(Files.readString(runs.resolve("run").resolve(RunClaim.LOCK_FILE)).startsWith("job B"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void releasingRemovesTheLockFileAndAFolderThatStayedEmpty() {
        try (RunClaim claim = folder("failed-early").claim("job A")) {
            assertTrue(Files.exists(runs.resolve("failed-early").resolve(RunClaim.LOCK_FILE)));
        }
        assertFalse(Files.exists(runs.resolve("failed-early")), "a folder created and left empty is removed");
    }

    @Test
    void releasingKeepsAFolderWithContentAndOneThatExistedBefore() throws IOException {
        try (RunClaim claim = folder("trained").claim("job A")) {
            folder("trained").writeText("metrics.jsonl", "{}\n");
        }
        assertEquals(List.of(".metrics.jsonl.crc", "metrics.jsonl"), list(runs.resolve("trained")),
                "the folder keeps what the job wrote, and only that");
        Files.createDirectories(runs.resolve("existing"));
        folder("existing").claim("job A").close();
        assertTrue(Files.isDirectory(runs.resolve("existing")), "a folder this job did not create is kept");
    }

    @Test
    void aLockFileLeftByAJobThatDiedDoesNotBlock() throws IOException {
        Files.createDirectories(runs.resolve("interrupted"));
        Files.writeString(runs.resolve("interrupted").resolve(RunClaim.LOCK_FILE), "job that was killed\n");
        try (RunClaim claim = folder("interrupted").claim("job B")) {
            assertTrue(Files.readString(runs.resolve("interrupted").resolve(RunClaim.LOCK_FILE)).startsWith("job B"));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
