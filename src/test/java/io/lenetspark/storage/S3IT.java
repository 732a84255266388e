package io.lenetspark.storage;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.SparkTestSession;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.job.JobLauncher;
import io.lenetspark.job.LeNetTrainingJob;
import io.lenetspark.job.PrepareMnistJob;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job on S3: s3proxy on 127.0.0.1 behind Hadoop's s3a, the packaged job run with the real
 * spark-submit, credentials only in a {@code --properties-file}, never on the command line.
 */
class S3IT {

    private static final String BUCKET = "lenet";
    private static final String DATA = "s3a://" + BUCKET + "/datasets/mnist";
    private static final String RUNS = "s3a://" + BUCKET + "/runs";
    /** A bucket name the in-process tests reach with a wrong secret. */
    private static final String LOCKED = "locked";
    /** A bucket name the in-process tests reach without credentials. */
    private static final String ANONYMOUS = "anonymous";
    private static final String CREDENTIALS_HINT = "Check the credentials the job runs with (for s3a: "
            + "fs.s3a.access.key and fs.s3a.secret.key in lenet.hadoop, the same with the spark.hadoop. prefix in the "
            + "--properties-file, or the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see "
            + "docs/storage.md, S3), and that they give access to the location in ";

    @TempDir
    static java.nio.file.Path work;

    private static S3ProxyServer s3;
    private static FileSystem bucket;

    @BeforeAll
    static void startS3WithData() throws Exception {
        s3 = S3ProxyServer.start(work);
        bucket = s3.createBucket(BUCKET, MnistSubset.of(2_000, 500), DATA);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void sparkSubmitTrainsFromS3AndWritesTheRunFolderThereWithoutLeakingTheKeys() throws Exception {
        java.nio.file.Path log = work.resolve("on-s3.log");
        int exit = SparkSubmitProcess.run(log, submitOptions(s3.secretKey()), "LeNetJob",
                "data.dir=" + DATA, "training.epochs=1", "training.batch-size=32",
                "output.dir=" + RUNS, "output.run-id=on-s3");

        String driverLog = Files.readString(log);
        assertEquals(0, exit, driverLog);
        Path folder = new Path(RUNS, "on-s3");
        Map<String, byte[]> files = download(folder);
        assertTrue(files.keySet().containsAll(List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON,
                RunOutputs.TEST_EVALUATION, RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER,
                RunOutputs.METRICS_PARQUET + "/_SUCCESS", "checkpoints/epoch-0001.zip")), "run folder on S3: " + files.keySet());
        assertTrue(files.keySet().stream().noneMatch(name -> name.contains(".tmp")), "temporary files: " + files.keySet());
        assertTrue(new String(files.get(RunOutputs.TEST_EVALUATION), StandardCharsets.UTF_8).contains("\"confusion\""));

        assertNoKeyIn("the driver log", driverLog.getBytes(StandardCharsets.UTF_8));
        files.forEach((name, content) -> assertNoKeyIn(name, content));
    }

    @Test
    void aWrongSecretExitsWithCodeTwoAndOneMessage() throws Exception {
        java.nio.file.Path log = work.resolve("wrong-secret.log");
        String wrongSecret = new StringBuilder(s3.secretKey()).reverse().toString();
        int exit = SparkSubmitProcess.run(log, submitOptions(wrongSecret), "LeNetJob",
                "data.dir=" + DATA, "training.epochs=1", "output.dir=" + RUNS, "output.run-id=denied");

        String driverLog = Files.readString(log);
        assertEquals(ExitCode.INVALID_INPUT.code(), exit, driverLog);
        List<String> failures = driverLog.lines().filter(line -> line.startsWith("LeNetJob failed: ")).toList();
        assertEquals(List.of("LeNetJob failed: Access to " + RUNS + "/denied was denied (403 Forbidden). "
                + CREDENTIALS_HINT + "lenet.output.dir."), failures, driverLog);
        assertFalse(bucket.exists(new Path(RUNS, "denied/" + RunFolder.SUCCESS_MARKER)), "no _SUCCESS");
        assertNoKeyIn("the driver log", driverLog.getBytes(StandardCharsets.UTF_8));
        assertFalse(driverLog.contains(wrongSecret), "the wrong secret is in the driver log");
    }

    @Test
    void anUnknownBucketExitsWithCodeTwoAndOneMessage() {
        useS3InTheTestSession();
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", new String[] {
                "data.dir=" + DATA, "training.epochs=1", "output.dir=s3a://no-such-bucket/runs", "output.run-id=nowhere"},
                LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertEquals("LeNetJob failed: The bucket of s3a://no-such-bucket/runs/nowhere does not exist (NoSuchBucket). "
                + "Create the bucket, or correct lenet.output.dir.", outcome.message());
    }

    @Test
    void missingDataOnS3ExitsWithCodeTwoAndOneMessage() {
        useS3InTheTestSession();
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", new String[] {
                "data.dir=s3a://" + BUCKET + "/nothing-here", "training.epochs=1", "output.dir=" + RUNS,
                "output.run-id=no-data"}, LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertEquals("LeNetJob failed: MNIST train data s3a://lenet/nothing-here/train does not exist. Write it with "
                + "PrepareMnist and point lenet.data.train at the data set it wrote.", outcome.message());
    }

    @Test
    void dataBehindAWrongSecretExitsWithCodeTwoAndOneMessage() {
        useS3InTheTestSession();
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", new String[] {
                "data.dir=s3a://" + LOCKED + "/mnist", "training.epochs=1", "output.dir=" + RUNS,
                "output.run-id=locked-data"}, LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertEquals("LeNetJob failed: Access to s3a://" + LOCKED + "/mnist/train was denied (403 Forbidden). "
                + CREDENTIALS_HINT + "lenet.data.train.", outcome.message());
    }

    @Test
    void prepareMnistBehindAWrongSecretExitsWithCodeTwoAndOneMessage() {
        useS3InTheTestSession();
        JobLauncher.Outcome outcome = JobLauncher.run("PrepareMnist", new String[] {
                "prepare.output=s3a://" + LOCKED + "/mnist"},
                (settings, spark) -> PrepareMnistJob.run(settings.prepare(), spark));

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertEquals("PrepareMnist failed: Access to s3a://" + LOCKED + "/mnist/train was denied (403 Forbidden). "
                + CREDENTIALS_HINT + "lenet.prepare.output.", outcome.message());
    }

    @Test
    void missingCredentialsExitWithCodeTwoAndOneMessage() {
        useS3InTheTestSession();
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", new String[] {
                "data.dir=" + DATA, "training.epochs=1", "output.dir=s3a://" + ANONYMOUS + "/runs",
                "output.run-id=anonymous"}, LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertEquals("LeNetJob failed: Access to s3a://" + ANONYMOUS + "/runs/anonymous was denied (no credentials found). "
                + CREDENTIALS_HINT + "lenet.output.dir.", outcome.message());
    }

    /**
     * The in-process tests' shared session reaches the same server, with the right secret but for
     * the buckets {@link #LOCKED} and {@link #ANONYMOUS}; no other test uses s3a.
     */
    private static void useS3InTheTestSession() {
        Configuration conf = SparkTestSession.get().sparkContext().hadoopConfiguration();
        s3.s3aSettings(s3.secretKey()).forEach(conf::set);
        conf.set("fs.s3a.bucket." + LOCKED + ".secret.key", new StringBuilder(s3.secretKey()).reverse().toString());
        conf.set("fs.s3a.bucket." + ANONYMOUS + ".access.key", "");
        conf.set("fs.s3a.bucket." + ANONYMOUS + ".secret.key", "");
    }

    /**
     * spark-submit options: the s3a jars from the local Maven repository, and the s3a settings in a
     * properties file, the way docs/storage.md tells users to pass them.
     */
    private static List<String> submitOptions(String secret) throws IOException {
        java.nio.file.Path properties = Files.createTempFile(work, "s3a-", ".properties");
        Files.writeString(properties, s3.s3aSettings(secret).entrySet().stream()
                .map(setting -> "spark.hadoop." + setting.getKey() + "=" + setting.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return List.of("--jars", S3ProxyServer.s3aJars(), "--properties-file", properties.toString());
    }

    private static Map<String, byte[]> download(Path folder) throws IOException {
        return download(bucket, folder);
    }

    /** Every file under {@code folder}, by its path relative to it. */
    static Map<String, byte[]> download(FileSystem bucket, Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        String prefix = bucket.makeQualified(folder) + "/";
        RemoteIterator<LocatedFileStatus> listing = bucket.listFiles(folder, true);
        while (listing.hasNext()) {
            Path file = listing.next().getPath();
            try (InputStream in = bucket.open(file)) {
                files.put(file.toString().substring(prefix.length()), in.readAllBytes());
            }
        }
        return files;
    }

    private static void assertNoKeyIn(String what, byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<String> leaked = new ArrayList<>();
        if (text.contains(s3.accessKey())) {
            leaked.add("the access key");
        }
        if (text.contains(s3.secretKey())) {
            leaked.add("the secret key");
        }
        assertEquals(List.of(), leaked, what + " holds S3 credentials");
    }
}
