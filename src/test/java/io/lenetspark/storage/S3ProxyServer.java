package io.lenetspark.storage;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.s3a.S3AFileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An S3-compatible server on 127.0.0.1 for tests: s3proxy with an in-memory blob store, path-style
 * access, and an access key and secret made up for this server alone. It runs in a JVM of its own
 * (its Jetty clashes with Spark's), from the self-contained jar the build copies to target/s3proxy.
 */
public final class S3ProxyServer implements AutoCloseable {

    private static final Path JAR =
            Path.of(System.getProperty("lenet.test.s3proxy-jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
    private static final String REGION = "us-east-1";
    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Process process;
    private final Path log;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;
    private final List<FileSystem> opened = new ArrayList<>();

    private S3ProxyServer(Process process, Path log, String endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server with fresh credentials, its files (settings, log) in {@code workDir}. */
    public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
        int port = freePort();
        String endpoint = "http://127.0.0.1:" + port;
        String accessKey = "AKID" + random(16).toUpperCase();
        String secretKey = random(40);
        Path properties = workDir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=transient",
                "jclouds.identity=local",
                "jclouds.credential=local") + "\n");
        Path log = workDir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString(), "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3ProxyServer server = new S3ProxyServer(process, log, endpoint, accessKey, secretKey);
        server.awaitListening(port);
        return server;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /**
     * The s3a settings (without the {@code spark.hadoop.} prefix) that reach this server with the
     * given secret: endpoint, path-style access, and static credentials only, so that no other
     * provider (such as the EC2 instance metadata service) is ever asked.
     */
    public Map<String, String> s3aSettings(String secret) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fs.s3a.endpoint", endpoint);
        settings.put("fs.s3a.endpoint.region", REGION);
        settings.put("fs.s3a.path.style.access", "true");
        settings.put("fs.s3a.connection.ssl.enabled", "false");
        settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        settings.put("fs.s3a.access.key", accessKey);
        settings.put("fs.s3a.secret.key", secret);
        return settings;
    }

    /** The value of spark-submit's {@code --jars} that gives the job s3a: hadoop-aws and the AWS SDK bundle. */
    public static String s3aJars() {
        return jarOf(S3AFileSystem.class) + "," + jarOf(AmazonS3.class);
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates {@code bucket}, copies the local folder {@code contents} to {@code target} in it, and
     * returns the bucket opened with s3a and this server's credentials (closed with the server).
     */
    public FileSystem createBucket(String bucket, Path contents, String target) throws IOException {
        AmazonS3 client = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint, REGION))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secretKey)))
                .build();
        try {
            client.createBucket(bucket);
        } finally {
            client.shutdown();
        }
        Configuration conf = new Configuration();
        s3aSettings(secretKey).forEach(conf::set);
        FileSystem fileSystem = FileSystem.newInstance(URI.create("s3a://" + bucket + "/"), conf);
        opened.add(fileSystem);
        FileUtil.copy(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(contents.toUri()), fileSystem,
                new org.apache.hadoop.fs.Path(target), false, conf);
        return fileSystem;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        for (FileSystem fileSystem : opened) {
            fileSystem.close();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(int port) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            assertTrue(process.isAlive(), "s3proxy exited at start: " + readLog());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        close();
        throw new AssertionError("s3proxy did not listen on port " + port + " within " + START_TIMEOUT_MILLIS
                + " ms: " + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }
}
