package io.lenetspark.config;

import io.lenetspark.failure.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeNetSettingsTest {

    private static LeNetSettings settings(String... args) {
        return LeNetSettings.from(ConfigLoader.load(List.of(args)));
    }

    private static String rejection(String... args) {
        return assertThrows(InvalidInputException.class, () -> settings(args)).getMessage();
    }

    @Test
    void defaultsAreTheReferenceDesign() {
        TrainingSettings training = settings().training();
        assertEquals(TrainingSettings.Master.PARAMETER_AVERAGING, training.master());
        assertEquals(20, training.epochs());
        assertEquals(128, training.batchSize());
        assertEquals(1e-3, training.learningRate());
        assertEquals(0.1, settings().data().validationFraction());
        assertEquals(new TrainingSettings.ReduceLrOnPlateau(0.2, 3, 1e-4, 0, 0), training.reduceLrOnPlateau());
        assertEquals(new TrainingSettings.EarlyStopping(6, 0), training.earlyStopping());
    }

    @Test
    void oneDnnLayerHelpersAreOnByDefaultAndTakeTrueOrFalse() {
        assertEquals(true, settings().training().oneDnnLayerHelpers(), "default");
        assertEquals(false, settings("training.onednn-layer-helpers=false").training().oneDnnLayerHelpers(), "off");
        assertEquals("Invalid configuration. Cannot set lenet.training.onednn-layer-helpers to \"fast\": expected true "
                + "or false. Fix the value in your --config file or pass it as lenet.<key>=<value> (see reference.conf).",
                rejection("training.onednn-layer-helpers=fast"));
    }

    @Test
    void aStalledEpochIsGivenUpAfterTenMinutesByDefaultOrNeverAtZero() {
        assertEquals(Duration.ofMinutes(10), settings().progress().stallTimeout(), "default");
        assertEquals(Duration.ZERO, settings("progress.stall-timeout=0").progress().stallTimeout(), "never");
        assertEquals(Duration.ofSeconds(90), settings("progress.stall-timeout=90s").progress().stallTimeout());
        assertTrue(rejection("progress.stall-timeout=soon").contains("lenet.progress.stall-timeout"),
                rejection("progress.stall-timeout=soon"));
    }

    @Test
    void jobArgumentsOverrideWithOrWithoutTheRootKey() {
        LeNetSettings settings = settings("training.epochs=3", "lenet.training.batch-size=64");
        assertEquals(3, settings.training().epochs());
        assertEquals(64, settings.training().batchSize());
    }

    @Test
    void dataPathsFollowTheDataFolder() {
        LeNetSettings settings = settings("data.dir=hdfs://nn:8020/mnist");
        assertEquals("hdfs://nn:8020/mnist/train", settings.data().train());
        assertEquals("hdfs://nn:8020/mnist/test", settings.data().test());
    }

    @Test
    void overrideFileIsReadAndArgumentsWinOverIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.conf");
        Files.writeString(file, "lenet.training { epochs = 7, master = gradient-sharing }\n");
        LeNetSettings settings = settings("--config", file.toString(), "training.epochs=9");
        assertEquals(9, settings.training().epochs());
        assertEquals(TrainingSettings.Master.GRADIENT_SHARING, settings.training().master());
    }

    @Test
    void rejectsAValueBelowItsMinimumNamingTheKey() {
        assertEquals("Invalid configuration. Cannot set lenet.training.epochs to 0: must be at least 1. "
                        + ConfigLoader.HOW_TO_OVERRIDE,
                rejection("training.epochs=0"));
    }

    @Test
    void rejectsAValueOfTheWrongType() {
        assertTrue(rejection("training.batch-size=big").contains(
                "Cannot set lenet.training.batch-size to \"big\": expected a whole number."));
    }

    @Test
    void badRowsFailByDefaultAndCanBeSkipped() {
        assertEquals(DataSettings.OnBadRow.FAIL, settings().data().onBadRow());
        assertEquals(DataSettings.OnBadRow.SKIP, settings("data.on-bad-row=skip").data().onBadRow());
    }

    @Test
    void rejectsAnUnknownBadRowPolicyNamingTheAllowedOnes() {
        assertEquals("Invalid configuration. Cannot set lenet.data.on-bad-row to \"drop\": must be one of: fail, skip. "
                + ConfigLoader.HOW_TO_OVERRIDE, rejection("data.on-bad-row=drop"));
    }

    @Test
    void acceptsOtherIdxFilesOnlyWhenAskedTo() {
        assertEquals(PrepareSettings.IdxFiles.OFFICIAL, LeNetSettings.from(ConfigLoader.load(List.of())).prepare().idxFiles());
        assertEquals(PrepareSettings.IdxFiles.ANY,
                LeNetSettings.from(ConfigLoader.load(List.of("prepare.idx-files=any"))).prepare().idxFiles());
        assertTrue(rejection("prepare.idx-files=kmnist").contains(
                "Cannot set lenet.prepare.idx-files to \"kmnist\": must be one of: official, any."));
    }

    @Test
    void rejectsAnUnknownTrainingMaster() {
        assertTrue(rejection("training.master=allreduce").contains(
                "Cannot set lenet.training.master to \"allreduce\": must be one of: parameter-averaging, gradient-sharing."));
    }

    @Test
    void rejectsAFactorOutsideZeroAndOne() {
        assertTrue(rejection("training.reduce-lr-on-plateau.factor=1.5").contains(
                "Cannot set lenet.training.reduce-lr-on-plateau.factor to 1.5: must be strictly between 0 and 1."));
    }

    @Test
    void rejectsANegativePatience() {
        assertTrue(rejection("training.early-stopping.patience=-1").contains(
                "Cannot set lenet.training.early-stopping.patience to -1: must be at least 0."));
    }

    @Test
    void rejectsAValidationFractionOfOne() {
        assertTrue(rejection("data.validation-fraction=1").contains(
                "Cannot set lenet.data.validation-fraction to 1.0: must be strictly between 0 and 1."));
    }

    @Test
    void rejectsAnAeronTimeoutBelowTheClientLivenessTimeout() {
        assertTrue(rejection("training.gradient-sharing.aeron-unblock-timeout=5s").contains(
                "Cannot set lenet.training.gradient-sharing.aeron-unblock-timeout to 5s: must be at least 11s."));
    }

    @Test
    void listsEveryProblemAtOnce() {
        String message = rejection("training.epochs=0", "training.batch-size=-5", "training.learning-rate=0");
        assertTrue(message.startsWith("Invalid configuration:\n"), message);
        assertTrue(message.contains("lenet.training.epochs"), message);
        assertTrue(message.contains("lenet.training.batch-size"), message);
        assertTrue(message.contains("lenet.training.learning-rate"), message);
    }

    @Test
    void rejectsUnknownKeysInTheLenetNamespace() {
        assertEquals("Unknown setting lenet.training.epoch. Check the spelling against reference.conf.",
                rejection("training.epoch=5"));
    }

    @Test
    void rejectsAMissingConfigFile() {
        assertEquals("Config file nowhere.conf does not exist. Pass an existing HOCON file, e.g. --config conf/local.conf.",
                rejection("--config", "nowhere.conf"));
    }

    @Test
    void rejectsAnArgumentThatIsNeitherAnOverrideNorAFile() {
        assertTrue(rejection("fast").startsWith("Unexpected argument 'fast'."));
    }

    @Test
    void rejectsARunIdThatIsNotAFolderName() {
        assertTrue(rejection("output.run-id=../escape").contains("Cannot set lenet.output.run-id to \"../escape\""));
    }

    @Test
    void rejectsALocationCarryingCredentialsWithoutEchoingThem() {
        String message = rejection("output.dir=s3a://AKIDEXAMPLE:wJalrXUtnSECRET@bucket/runs");
        assertEquals("Invalid configuration. Cannot set lenet.output.dir to \"s3a://***@bucket/runs\": a location must "
                + "not carry credentials; give them to the file system instead (for s3a: fs.s3a.access.key and "
                + "fs.s3a.secret.key in lenet.hadoop or, with the spark.hadoop. prefix, in a --properties-file, or "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see docs/storage.md, S3). " + ConfigLoader.HOW_TO_OVERRIDE, message);
    }

    @Test
    void rejectsADownloadUrlCarryingCredentialsWithoutEchoingThem() {
        String message = rejection("prepare.source=url", "prepare.source-url=https://mirror:pa55word@example.org/mnist");
        assertEquals("Invalid configuration. Cannot set lenet.prepare.source-url to \"https://***@example.org/mnist\": a "
                + "location must not carry credentials; serve the files without a login, or fetch them yourself and use "
                + "lenet.prepare.source = dir. " + ConfigLoader.HOW_TO_OVERRIDE, message);
    }

    @Test
    void everyLocationIsChecked() {
        String message = rejection("data.dir=s3a://AKIDEXAMPLE:wJalrXUtnSECRET@bucket/mnist");
        assertTrue(message.contains("lenet.data.train") && message.contains("lenet.data.test")
                && message.contains("lenet.prepare.output"), message);
        assertTrue(!message.contains("AKIDEXAMPLE") && !message.contains("wJalrXUtnSECRET"), message);
    }

    @Test
    void acceptsEveryKindOfLocationWithoutCredentials() {
        LeNetSettings settings = settings("data.dir=hdfs://namenode:8020/datasets/mnist",
                "output.dir=s3a://bucket/lenet-runs", "prepare.output=file:///tmp/mnist");
        assertEquals("s3a://bucket/lenet-runs", settings.output().dir());
    }
}
