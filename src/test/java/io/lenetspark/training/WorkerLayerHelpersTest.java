package io.lenetspark.training;

import io.lenetspark.SparkTestSession;
import io.lenetspark.model.LeNet5;
import io.lenetspark.model.OneDnnLayerHelpers;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's own training workers, on {@code local[2]}, build their networks in Spark tasks from the
 * broadcast configuration and parameters, as on a cluster's executors.
 */
class WorkerLayerHelpersTest {

    private static final int WORKERS = 2;
    private static final int BATCH_SIZE = 16;

    private String propertyBefore;

    @BeforeEach
    void rememberProperty() {
        propertyBefore = System.getProperty(OneDnnLayerHelpers.DISABLE_PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (propertyBefore == null) {
            System.clearProperty(OneDnnLayerHelpers.DISABLE_PROPERTY);
        } else {
            System.setProperty(OneDnnLayerHelpers.DISABLE_PROPERTY, propertyBefore);
        }
    }

    @Test
    void workersTakeHelpersInAJvmWhereNothingElseEnabledThem() {
        // As in an executor JVM its launch script started without the property: DL4J would leave helpers off.
        System.clearProperty(OneDnnLayerHelpers.DISABLE_PROPERTY);

        List<WorkerLayerHelpers.Report> reports = trainOneRound();

        assertFalse(reports.isEmpty(), "no worker reported its helpers");
        for (WorkerLayerHelpers.Report report : reports) {
            assertTrue(report.helpers().inEffect(), "worker network on executor " + report.executorId() + ": "
                    + report.helpers().message());
            assertEquals("ConvolutionLayer x2 MKLDNNConvHelper, BatchNormalization x2 MKLDNNBatchNormHelper, "
                    + "SubsamplingLayer x2 MKLDNNSubsamplingHelper", report.helpers().description());
        }
        assertEquals("false", System.getProperty(OneDnnLayerHelpers.DISABLE_PROPERTY),
                "the property after the tasks deserialised the listener");
    }

    @Test
    void workersKeepHelpersOffWhereTheJvmWasStartedWithThemDisabled() {
        System.setProperty(OneDnnLayerHelpers.DISABLE_PROPERTY, "true");

        List<WorkerLayerHelpers.Report> reports = trainOneRound();

        assertFalse(reports.isEmpty(), "no worker reported its helpers");
        for (WorkerLayerHelpers.Report report : reports) {
            assertEquals("org.eclipse.deeplearning4j.helpers.disable is set to true", report.helpers().whyNot(),
                    "worker network on executor " + report.executorId());
        }
    }

    /** One averaging round of DL4J's parameter averaging on random minibatches, one per worker. */
    private static List<WorkerLayerHelpers.Report> trainOneRound() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        TrainingMaster<?, ?> master = new ParameterAveragingTrainingMaster.Builder(WORKERS, BATCH_SIZE)
                .batchSizePerWorker(BATCH_SIZE)
                .averagingFrequency(1)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null)
                .build();
        WorkerLayerHelpers helpers = new WorkerLayerHelpers(sc.sc(), true);
        master.setListeners(List.of(helpers));
        new SparkDl4jMultiLayer(sc, LeNet5.create(1, 1e-3), master).fit(sc.parallelize(minibatches(), WORKERS));
        helpers.logNewReports();
        return helpers.reports();
    }

    private static List<DataSet> minibatches() {
        Nd4j.getRandom().setSeed(1);
        List<DataSet> minibatches = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            INDArray images = Nd4j.rand(DataType.FLOAT, BATCH_SIZE, 1, LeNet5.IMAGE_SIZE, LeNet5.IMAGE_SIZE);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH_SIZE, LeNet5.CLASSES);
            for (int row = 0; row < BATCH_SIZE; row++) {
                labels.putScalar(row, row % LeNet5.CLASSES, 1.0);
            }
            minibatches.add(new DataSet(images, labels));
        }
        return minibatches;
    }
}
