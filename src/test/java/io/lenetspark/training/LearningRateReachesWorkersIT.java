package io.lenetspark.training;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.config.TrainingSettings;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.model.LeNet5;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that a learning rate set on the driver between epochs is the one the workers train with:
 * Adam's steps scale with the learning rate, so after a 1000x drop the trainable weights must move
 * far less during an epoch than during the epoch before it.
 */
// Well above the half minute it takes: a gradient-sharing hang fails here, not at the build's limit.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LearningRateReachesWorkersIT {

    private static final double LEARNING_RATE = 1e-3;
    private static final double DROPPED = LEARNING_RATE / 1000;

    @ParameterizedTest
    @EnumSource(TrainingSettings.Master.class)
    void droppedLearningRateShrinksTheWorkersUpdates(TrainingSettings.Master master) throws IOException {
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path data = MnistSubset.of(6_000, 1_000);
        Dataset<Row> train = MnistParquet.read(spark, data.resolve("train").toString(), "train", OnBadRow.FAIL).rows();
        LeNetSettings settings = LeNetSettings.from(ConfigLoader.load(List.of(
                "training.master=" + master.configName(), "training.batch-size=64")));
        // The weights' movement is measured, so no validation runs.
        EpochTrainer trainer = new EpochTrainer(sc, settings.training(),
                network -> new Validation.Score(Double.NaN, Double.NaN), settings.progress());
        EpochTrainer.Plan plan = new EpochTrainer.Plan(train, 6_000, 2, 1, 2, "127.0.0.1", 7);
        MultiLayerNetwork network = LeNet5.create(7, LEARNING_RATE);

        double warmUp;
        double sameRate;
        double dropped;
        try (EpochTrainer.Session session = trainer.session(network, plan)) {
            warmUp = movement(network, () -> session.runEpoch(1, LEARNING_RATE));
            sameRate = movement(network, () -> session.runEpoch(2, LEARNING_RATE));
            dropped = movement(network, () -> session.runEpoch(3, DROPPED));
        }

        assertTrue(warmUp > 0 && sameRate > 0.2 * warmUp,
                master + ": at an unchanged rate the weights keep moving (" + warmUp + ", then " + sameRate + ")");
        assertTrue(dropped < 0.02 * sameRate,
                master + ": after a 1000x drop the weights move " + dropped + " against " + sameRate + " before");
    }

    /**
     * Euclidean distance the trainable weights move during {@code epoch}. Batch-norm statistics
     * (mean, and variance kept as log10 of the standard deviation) follow the data, not the
     * learning rate, and are left out.
     */
    private static double movement(MultiLayerNetwork network, Runnable epoch) {
        Map<String, INDArray> before = trainable(network);
        epoch.run();
        Map<String, INDArray> after = trainable(network);
        double squared = 0;
        for (Map.Entry<String, INDArray> entry : before.entrySet()) {
            double distance = after.get(entry.getKey()).distance2(entry.getValue());
            squared += distance * distance;
        }
        return Math.sqrt(squared);
    }

    private static Map<String, INDArray> trainable(MultiLayerNetwork network) {
        Map<String, INDArray> copies = new TreeMap<>();
        network.paramTable().forEach((name, values) -> {
            if (!name.endsWith("_mean") && !name.endsWith("_var") && !name.endsWith("_log10stdev")) {
                copies.put(name, values.dup());
            }
        });
        return copies;
    }
}
