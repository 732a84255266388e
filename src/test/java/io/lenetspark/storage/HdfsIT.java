package io.lenetspark.storage;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.config.OutputSettings;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.failure.RunInUseException;
import io.lenetspark.job.JobLauncher;
import io.lenetspark.job.LeNetTrainingJob;
import io.lenetspark.job.PrepareMnistJob;
import io.lenetspark.output.RunClaim;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both jobs on a real HDFS: a MiniDFSCluster (NameNode and one DataNode) on 127.0.0.1, addressed
 * only through {@code hdfs://} URIs, as on a cluster whose default file system is something else.
 */
class HdfsIT {

    /** The verified IDX files the other tests keep; PrepareMnist fetches them there (npm) only if missing. */
    private static final String RAW_MNIST = java.nio.file.Path.of(System.getProperty("lenet.test.data-dir", "data"))
            .resolve("raw").toAbsolutePath().toString();

    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;
    private static URI root;

    @TempDir
    static java.nio.file.Path work;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.hostname", "127.0.0.1");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        root = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
        hdfs = FileSystem.get(root, SparkTestSession.get().sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Test
    void prepareMnistWritesBothSplitsToHdfs() {
        String output = root + "/datasets/mnist";
        SparkSession spark = SparkTestSession.get();

        JobLauncher.Outcome outcome = JobLauncher.run("PrepareMnist", new String[] {
                "prepare.raw-dir=" + RAW_MNIST,
                "prepare.output=" + output}, (settings, session) -> PrepareMnistJob.run(settings.prepare(), session));

        assertEquals(ExitCode.SUCCESS, outcome.exitCode(), outcome.message());
        assertTrue(exists(output + "/train/_SUCCESS"), "train written through Spark's committer");
        assertTrue(exists(output + "/test/_SUCCESS"), "test written through Spark's committer");
        assertEquals(60_000, MnistParquet.read(spark, output + "/train", "train", OnBadRow.FAIL).rows().count(), "train rows on HDFS");
        assertEquals(10_000, MnistParquet.read(spark, output + "/test", "test", OnBadRow.FAIL).rows().count(), "test rows on HDFS");
    }

    @Test
    void leNetJobReadsFromHdfsAndWritesItsRunFolderThere() throws IOException {
        String data = root + "/datasets/mnist-subset";
        FileUtil.copy(FileSystem.getLocal(hdfs.getConf()), new Path(MnistSubset.of(2_000, 500).toUri()),
                hdfs, new Path(data), false, hdfs.getConf());
        String runs = root + "/user/lenet/runs";

        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", new String[] {
                "data.dir=" + data,
                "training.epochs=1",
                "training.batch-size=32",
                "output.dir=" + runs,
                "output.run-id=on-hdfs"}, LeNetTrainingJob::run);

        assertEquals(ExitCode.SUCCESS, outcome.exitCode(), outcome.message());
        Path folder = new Path(runs, "on-hdfs");
        Set<String> files = names(folder);
        assertTrue(files.containsAll(List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON, RunOutputs.METRICS_PARQUET,
                RunOutputs.TEST_EVALUATION, RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER, "checkpoints")),
                "run folder on HDFS: " + files);
        assertTrue(files.stream().noneMatch(name -> name.endsWith(".tmp")), "no temporary file left: " + files);
        assertFalse(files.contains(".lock"), "the job's claim is released: " + files);
        assertEquals(Set.of("epoch-0001.zip"), names(new Path(folder, "checkpoints")), "checkpoints on HDFS");
        assertTrue(hdfs.getFileStatus(new Path(folder, RunOutputs.MODEL)).getLen() > 100_000, "model.zip size");
        assertTrue(exists(folder + "/" + RunOutputs.METRICS_PARQUET + "/_SUCCESS"), "metrics.parquet committed");
        assertEquals(1, read(new Path(folder, RunOutputs.METRICS_JSON)).lines().count(), "metrics.jsonl lines");
        assertTrue(read(new Path(folder, RunOutputs.TEST_EVALUATION)).contains("\"confusion\""), "test evaluation");
    }

    @Test
    void aRunFolderOnHdfsIsClaimedByOneJobAtATime() throws IOException {
        OutputSettings output = new OutputSettings(root + "/claims", "same-id", OutputSettings.OnCompleteRun.FAIL, 2);
        // Two HDFS clients, as two drivers have: the NameNode grants the lock file's lease to one.
        RunFolder first = RunFolder.locate(output, separateClient(), Clock.systemUTC());
        RunFolder second = RunFolder.locate(output, separateClient(), Clock.systemUTC());
        Path lock = new Path(root + "/claims/same-id/.lock");

        try (RunClaim claim = first.claim("job A")) {
            assertTrue(hdfs.exists(lock), "the claim is a file in the run folder");
            RunInUseException refused = assertThrows(RunInUseException.class, () -> second.claim("job B"));
            assertTrue(refused.getMessage().contains("is being written by another job (job A)"), refused.getMessage());
            assertTrue(refused.getMessage().contains("HDFS releases its claim within about a minute"), refused.getMessage());
        }
        assertFalse(hdfs.exists(new Path(root + "/claims/same-id")), "a released claim removes the empty folder it made");
        try (RunClaim claim = second.claim("job B")) {
            assertTrue(read(lock).startsWith("job B"), "the next job holds it");
        }
    }

    private static Configuration separateClient() {
        Configuration conf = new Configuration(hdfs.getConf());
        conf.setBoolean("fs.hdfs.impl.disable.cache", true);
        return conf;
    }

    private static boolean exists(String path) {
        try {
            return hdfs.exists(new Path(path));
        } catch (IOException e) {
            throw new AssertionError("Cannot check " + path, e);
        }
    }

    private static Set<String> names(Path folder) throws IOException {
        FileStatus[] statuses = hdfs.listStatus(folder);
        return Arrays.stream(statuses).map(status -> status.getPath().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = hdfs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
