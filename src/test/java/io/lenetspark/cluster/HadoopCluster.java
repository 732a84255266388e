package io.lenetspark.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A Hadoop cluster in this JVM, as a YARN deployment has one: HDFS (a NameNode and a DataNode) and
 * YARN (a ResourceManager and one NodeManager that runs containers as processes of this machine),
 * on 127.0.0.1. {@link #confDir()} is the {@code HADOOP_CONF_DIR} that spark-submit is given.
 */
public final class HadoopCluster implements AutoCloseable {

    /** Room for an application master of 2.5 GB and two executors of 3 GB (heap + ND4J's off-heap + JVM). */
    private static final int NODE_MEMORY_MB = 12288;

    private final MiniDFSCluster hdfs;
    private final MiniYARNCluster yarn;
    private final URI hdfsUri;
    private final Path confDir;
    private final YarnClient client;

    private HadoopCluster(MiniDFSCluster hdfs, MiniYARNCluster yarn, URI hdfsUri, Path confDir, YarnClient client) {
        this.hdfs = hdfs;
        this.yarn = yarn;
        this.hdfsUri = hdfsUri;
        this.confDir = confDir;
        this.client = client;
    }

    /** Starts HDFS and YARN with their files under {@code work}, and writes their configuration there. */
    public static HadoopCluster start(Path work) throws IOException, InterruptedException {
        Configuration dfsConf = new Configuration();
        dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
        dfsConf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        dfsConf.set("dfs.namenode.http-address", "127.0.0.1:0");
        dfsConf.set("dfs.datanode.hostname", "127.0.0.1");
        dfsConf.setInt("dfs.replication", 1);
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
        hdfs.waitActive();
        URI hdfsUri = URI.create("hdfs://127.0.0.1:" + hdfs.getNameNodePort());

        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", hdfsUri.toString());
        conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", NODE_MEMORY_MB);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, NODE_MEMORY_MB);
        conf.setInt(YarnConfiguration.NM_VCORES, 8);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, NODE_MEMORY_MB);
        // Physical memory is enforced, as on a production cluster; virtual memory, which a JVM
        // reserves far beyond what it uses, is not (most clusters turn that check off).
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A finished application's logs are handed to deletion at once, which keeps them for an hour:
        // the NodeManager then holds no application at shutdown and stops in a second, not after 15 s
        // of waiting for its log handler, while the tests can still read an application master's log.
        conf.setLong(YarnConfiguration.NM_LOG_RETAIN_SECONDS, 0);
        conf.setInt(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 3600);
        // A full build disk must not mark the only node unhealthy.
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        MiniYARNCluster yarn = new MiniYARNCluster(HadoopCluster.class.getSimpleName(), 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        Configuration running = awaitResourceManagerAddress(yarn);

        Path confDir = Files.createDirectories(work.resolve("hadoop-conf"));
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", hdfsUri.toString());
        write(core, confDir.resolve("core-site.xml"));
        // One DataNode, as a single-node cluster configures it: blocks of one replica. With HDFS's
        // default of 3, appending to a file (the run folder's claim, on resume) asks for more
        // DataNodes than there are and fails.
        Configuration hdfsSite = new Configuration(false);
        hdfsSite.setInt("dfs.replication", 1);
        write(hdfsSite, confDir.resolve("hdfs-site.xml"));
        write(running, confDir.resolve("yarn-site.xml"));

        YarnClient client = YarnClient.createYarnClient();
        client.init(running);
        client.start();
        return new HadoopCluster(hdfs, yarn, hdfsUri, confDir, client);
    }

    /** The ResourceManager may publish its bound address a moment after start() returns. */
    private static Configuration awaitResourceManagerAddress(MiniYARNCluster yarn) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            Configuration conf = yarn.getConfig();
            String address = conf.get(YarnConfiguration.RM_ADDRESS, "");
            if (!address.endsWith(":0") && !address.isEmpty()) {
                return conf;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the ResourceManager has no address after 30 s: " + address);
            }
            Thread.sleep(100);
        }
    }

    private static void write(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    public URI hdfsUri() {
        return hdfsUri;
    }

    public FileSystem fileSystem() throws IOException {
        return hdfs.getFileSystem();
    }

    /** Shortens how long HDFS keeps a dead client's write lease (a minute by default). */
    public void setLeaseSoftLimit(Duration soft) {
        hdfs.setLeasePeriod(soft.toMillis(), Duration.ofHours(1).toMillis());
    }

    public Path confDir() {
        return confDir;
    }

    /** The application submitted with {@code spark.yarn.tags} {@code tag}, once the ResourceManager knows it. */
    public ApplicationReport awaitApplication(String tag, Duration timeout)
            throws IOException, YarnException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<ApplicationReport> report = find(tag);
            if (report.isPresent()) {
                return report.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no YARN application tagged " + tag + " after " + timeout);
            }
            Thread.sleep(500);
        }
    }

    /** The application's report once it has ended (finished, failed or killed). */
    public ApplicationReport awaitEnd(ApplicationId id, Duration timeout)
            throws IOException, YarnException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Set<YarnApplicationState> ended = EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED,
                YarnApplicationState.KILLED);
        while (true) {
            ApplicationReport report = client.getApplicationReport(id);
            if (ended.contains(report.getYarnApplicationState())) {
                return report;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("YARN application " + id + " still " + report.getYarnApplicationState()
                        + " after " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private Optional<ApplicationReport> find(String tag) throws IOException, YarnException {
        return client.getApplications().stream()
                .filter(report -> report.getApplicationTags().contains(tag.toLowerCase()))
                .findFirst();
    }

    /**
     * The memory (MB) of each container YARN granted the application, by container id, taken as
     * soon as {@code count} containers run at once (empty if the application ends before).
     */
    public Map<String, Long> awaitContainers(ApplicationId id, int count, Duration timeout)
            throws IOException, YarnException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            ApplicationReport report = client.getApplicationReport(id);
            if (report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
                if (report.getFinishTime() > 0) {
                    return Map.of();
                }
            } else {
                Map<String, Long> memory = new TreeMap<>();
                for (ContainerReport container : client.getContainers(report.getCurrentApplicationAttemptId())) {
                    memory.put(container.getContainerId().toString(), container.getAllocatedResource().getMemorySize());
                }
                if (memory.size() >= count) {
                    return memory;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("YARN application " + id + " did not run " + count + " containers in " + timeout);
    }

    /** Kills the application through the ResourceManager, as {@code yarn application -kill} does. */
    public void kill(ApplicationId id) throws IOException, YarnException {
        client.killApplication(id);
    }

    /** A log file ({@code stderr}, {@code stdout}) of the application's first container: its application master. */
    public String applicationMasterLog(ApplicationId id, String file) throws IOException {
        String logDirs = yarn.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS);
        for (String dir : logDirs.split(",")) {
            Path application = Path.of(URI.create(dir.startsWith("file:") ? dir : "file:" + dir)).resolve(id.toString());
            if (Files.isDirectory(application)) {
                try (Stream<Path> containers = Files.list(application)) {
                    List<Path> first = containers.filter(container -> container.getFileName().toString().endsWith("_000001"))
                            .toList();
                    if (first.size() == 1) {
                        return Files.readString(first.get(0).resolve(file));
                    }
                }
            }
        }
        throw new IllegalStateException("no application master log of " + id + " in " + logDirs);
    }

    @Override
    public void close() throws IOException {
        client.stop();
        yarn.stop();
        hdfs.shutdown(true);
    }
}
