package io.lenetspark.storage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.config.Secrets;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.report.RunReport;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No secret leaves the jobs. The S3 credentials and another secret-looking value are given only in a
 * {@code --config} file's {@code lenet.hadoop} block; the packaged jobs run with the real spark-submit,
 * INFO logging and Spark's event log on. Then every file in the bucket, every file in the driver's
 * working, local and temporary folders, the event log and the driver's output are searched for the
 * secrets, as they are and Base64- or URL-encoded (zip entries unpacked).
 */
class SecretsIT {

    private static final String BUCKET = "lenet";
    private static final String DATA = "s3a://" + BUCKET + "/datasets/mnist";
    private static final String RUNS = "s3a://" + BUCKET + "/runs";
    /** A value nothing checks, only to show that any secret-looking setting stays in; '/', '+', '=' change when encoded. */
    private static final String SERVICE_PASSWORD = "pw/" + UUID.randomUUID() + "+=";
    private static final String LOGGING = String.join("\n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.stdout.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d %p %c{1}: %m%n%ex") + "\n";

    @TempDir
    static java.nio.file.Path work;

    private static S3ProxyServer s3;
    private static FileSystem bucket;

    /**
     * A spark-submit run: its exit code, its output, and the folder holding its working directory,
     * Spark's local folder, its temporary files and its event log.
     */
    private record Submission(int exit, String driverLog, java.nio.file.Path localFiles) {
    }

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
    void credentialsFromTheConfigFileShowInNoFileAndNoLog() throws Exception {
        Submission run = submit("trained", "LeNetJob", s3.secretKey(), "data.dir=" + DATA, "training.epochs=1",
                "training.batch-size=32", "output.dir=" + RUNS, "output.run-id=trained");

        assertEquals(0, run.exit(), run.driverLog());
        Map<String, byte[]> stored = S3IT.download(bucket, new Path(RUNS));
        String runFolder = "trained/";
        assertTrue(stored.keySet().containsAll(List.of(runFolder + RunFolder.SUCCESS_MARKER, runFolder + RunOutputs.CONFIG,
                runFolder + RunReport.FILE, runFolder + RunOutputs.MODEL)), "the run folder: " + stored.keySet());
        Config saved = ConfigFactory.parseString(new String(stored.get(runFolder + RunOutputs.CONFIG), StandardCharsets.UTF_8));
        for (String name : List.of("fs.s3a.access.key", "fs.s3a.secret.key", "my.service.password")) {
            assertEquals(Secrets.MASK, saved.getString("lenet.hadoop.\"" + name + "\""), name + " in config.conf");
        }
        assertEquals("true", saved.getString("lenet.hadoop.\"fs.s3a.path.style.access\""), "the rest kept in config.conf");
        assertTrue(run.driverLog().contains("INFO SparkContext: Running Spark version"), "Spark logs at INFO");
        assertTrue(run.driverLog().contains("fs.s3a.secret.key=" + Secrets.MASK), "the log names the settings it applied");

        Map<String, String> secrets = secrets(s3.secretKey());
        assertEquals(List.of(), leaks(stored, secrets), "secrets in " + RUNS);
        assertNoLeakOutsideTheBucket(run, secrets);
    }

    @Test
    void aWrongSecretFromTheConfigFileIsRefusedWithoutBeingEchoed() throws Exception {
        String wrongSecret = new StringBuilder(s3.secretKey()).reverse().toString();
        Submission run = submit("denied", "LeNetJob", wrongSecret, "data.dir=" + DATA, "training.epochs=1",
                "output.dir=" + RUNS, "output.run-id=denied");

        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run.driverLog());
        List<String> failures = run.driverLog().lines().filter(line -> line.startsWith("LeNetJob failed: ")).toList();
        assertEquals(1, failures.size(), run.driverLog());
        assertTrue(failures.get(0).startsWith("LeNetJob failed: Access to " + RUNS + "/denied was denied (403 Forbidden)."),
                failures.get(0));
        assertNoLeakOutsideTheBucket(run, secrets(wrongSecret));
    }

    /** PrepareMnist gets the settings too: with them it reaches the server, which refuses the wrong secret. */
    @Test
    void prepareMnistTakesItsCredentialsFromTheConfigFileToo() throws Exception {
        String wrongSecret = new StringBuilder(s3.secretKey()).reverse().toString();
        Submission run = submit("prepare-denied", "PrepareMnist", wrongSecret, "prepare.output=" + RUNS + "/prepared");

        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run.driverLog());
        assertTrue(run.driverLog().contains("PrepareMnist failed: Access to " + RUNS + "/prepared/train was denied "
                + "(403 Forbidden)."), run.driverLog());
        assertNoLeakOutsideTheBucket(run, secrets(wrongSecret));
    }

    /**
     * Runs {@code mainClass} with the s3a settings, {@code secret} and {@link #SERVICE_PASSWORD} in a
     * {@code --config} file only, in a folder of its own that holds its working directory, Spark's
     * local folder, its temporary files and the event log.
     */
    private static Submission submit(String name, String mainClass, String secret, String... jobArgs)
            throws IOException, InterruptedException {
        java.nio.file.Path folder = Files.createDirectories(work.resolve(name));
        java.nio.file.Path temporary = Files.createDirectories(folder.resolve("tmp"));
        java.nio.file.Path events = Files.createDirectories(folder.resolve("events"));
        java.nio.file.Path logging = Files.writeString(work.resolve(name + "-log4j2.properties"), LOGGING);
        java.nio.file.Path config = Files.writeString(work.resolve(name + ".conf"), hadoopBlock(secret));
        java.nio.file.Path log = work.resolve(name + ".log");
        List<String> options = List.of("--jars", S3ProxyServer.s3aJars(),
                "--conf", "spark.eventLog.enabled=true",
                "--conf", "spark.eventLog.dir=" + events.toUri(),
                "--conf", "spark.local.dir=" + Files.createDirectories(folder.resolve("spark-local")),
                "--driver-java-options", "-Dlog4j2.configurationFile=" + logging.toUri() + " -Djava.io.tmpdir=" + temporary);
        List<String> args = Stream.concat(Stream.of("--config", config.toString()), Stream.of(jobArgs)).toList();
        int exit = SparkSubmitProcess.start(log, Files.createDirectories(folder.resolve("cwd")), options, mainClass,
                args.toArray(String[]::new)).waitForExit();
        Submission run = new Submission(exit, Files.readString(log), folder);
        assertFalse(leaks(Map.of(config.toString(), Files.readAllBytes(config)), secrets(secret)).isEmpty(),
                "the search finds the secrets in the config file that holds them");
        return run;
    }

    private static String hadoopBlock(String secret) {
        Map<String, String> properties = new LinkedHashMap<>(s3.s3aSettings(secret));
        properties.put("my.service.password", SERVICE_PASSWORD);
        return properties.entrySet().stream()
                .map(p -> "  \"" + p.getKey() + "\" = " + ConfigValueFactory.fromAnyRef(p.getValue()).render())
                .collect(Collectors.joining("\n", "lenet.hadoop {\n", "\n}\n"));
    }

    /** The values that must not appear, by what they are. */
    private static Map<String, String> secrets(String secretKey) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the S3 access key", s3.accessKey());
        secrets.put("the S3 secret key", secretKey);
        secrets.put("my.service.password", SERVICE_PASSWORD);
        return secrets;
    }

    private static void assertNoLeakOutsideTheBucket(Submission run, Map<String, String> secrets) {
        Map<String, byte[]> captured = new TreeMap<>(listFiles(run.localFiles()));
        captured.put("the driver's output", run.driverLog().getBytes(StandardCharsets.UTF_8));
        assertTrue(captured.keySet().stream().anyMatch(file -> file.startsWith("events/")), "event log: " + captured.keySet());
        assertEquals(List.of(), leaks(captured, secrets), "secrets in the log or local files " + captured.keySet());
    }

    /** Where each secret shows, in any of its forms, as "what (form) in file". */
    private static List<String> leaks(Map<String, byte[]> files, Map<String, String> secrets) {
        List<String> leaks = new ArrayList<>();
        files.forEach((file, content) -> contents(file, content).forEach((part, text) ->
                secrets.forEach((what, secret) -> forms(secret).forEach((form, encoded) -> {
                    if (text.contains(encoded)) {
                        leaks.add(what + " (" + form + ") in " + part);
                    }
                }))));
        return leaks;
    }

    /** A file's bytes as text, and for a zip file each entry's too. */
    private static Map<String, String> contents(String file, byte[] content) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put(file, new String(content, StandardCharsets.ISO_8859_1));
        if (file.endsWith(".zip")) {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    parts.put(file + "!" + entry.getName(), new String(zip.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot unpack " + file, e);
            }
        }
        return parts;
    }

    /**
     * The secret, URL-encoded, and Base64-encoded at each of the three byte offsets it may start at
     * within encoded data (without the characters it shares with its neighbours).
     */
    private static Map<String, String> forms(String secret) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("as is", secret);
        forms.put("URL-encoded", URLEncoder.encode(secret, StandardCharsets.UTF_8));
        for (int offset = 0; offset < 3; offset++) {
            String encoded = Base64.getEncoder().encodeToString(
                    ("\0".repeat(offset) + secret).getBytes(StandardCharsets.UTF_8));
            forms.put("Base64 at offset " + offset, encoded.substring(offset == 0 ? 0 : 4, encoded.length() - 4));
        }
        return forms;
    }

    /** Every file under {@code folder}, by its path relative to it. */
    private static Map<String, byte[]> listFiles(java.nio.file.Path folder) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<java.nio.file.Path> walk = Files.walk(folder)) {
            for (java.nio.file.Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
