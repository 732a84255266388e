package io.lenetspark.bench;

import io.lenetspark.config.LeNetSettings;
import io.lenetspark.config.TrainingSettings;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.job.JobLauncher;
import io.lenetspark.model.LeNet5;
import io.lenetspark.model.Minibatches;
import io.lenetspark.model.OneDnnLayerHelpers;
import io.lenetspark.model.OpenMpThreads;
import io.lenetspark.training.ValidationSplit;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The baseline the benchmark compares the job with: the same network, data, split and minibatches,
 * trained by DL4J in one JVM without Spark. Spark only reads the Parquet data; the minibatches are
 * collected to the driver before the clock starts, so an epoch measures {@code fit} alone.
 */
public final class SingleJvmEpoch {

    private static final Logger LOG = LoggerFactory.getLogger(SingleJvmEpoch.class);
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SingleJvmEpoch() {
    }

    public static void main(String[] args) throws SparkUserAppException {
        JobLauncher.runAndExit("SingleJvmEpoch", args, SingleJvmEpoch::run);
    }

    static void run(LeNetSettings settings, SparkSession spark) {
        TrainingSettings training = settings.training();
        MnistParquet.CheckedRows train = MnistParquet.read(spark, settings.data().train(), "train",
                settings.data().onBadRow());
        ValidationSplit.Parts split = ValidationSplit.split(train.rows(), train.check().rowsUsed(),
                settings.data().validationFraction(), settings.seed());
        JavaRDD<DataSet> minibatches = Minibatches.shuffled(split.training(), 1, training.batchSize(), settings.seed(), 1);
        List<DataSet> batches = minibatches.collect();
        minibatches.unpersist(false);
        if (training.oneDnnLayerHelpers()) {
            OneDnnLayerHelpers.enable();
        }
        MultiLayerNetwork network = LeNet5.create(settings.seed(), training.learningRate());
        OneDnnLayerHelpers.log(network);
        // This thread started ND4J and trains.
        OpenMpThreads.useConfigured();
        DataSetIterator epochData = new ExistingDataSetIterator(batches);
        for (int epoch = 1; epoch <= training.epochs(); epoch++) {
            epochData.reset();
            long start = System.nanoTime();
            long cpuStart = PROCESS.getProcessCpuTime();
            network.fit(epochData);
            double seconds = (System.nanoTime() - start) / 1e9;
            // CPU time, native threads included, tells the cost apart from other load on the machine.
            double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
            // One fixed-format line per epoch, parsed by bench/benchmark.py.
            LOG.info(String.format(Locale.ROOT,
                    "Single-JVM epoch %d/%d: %d images in %.1f s (%.1f CPU s), %.0f img/s, score %.4f",
                    epoch, training.epochs(), split.trainingRows(), seconds, cpuSeconds,
                    split.trainingRows() / seconds, network.score()));
        }
    }
}
