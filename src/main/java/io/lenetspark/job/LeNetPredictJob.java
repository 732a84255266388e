package io.lenetspark.job;

import io.lenetspark.config.LeNetSettings;
import io.lenetspark.scoring.BatchScoring;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.sql.SparkSession;

/**
 * LeNetPredict: scores the images of a Parquet data set with a completed run's model
 * ({@code lenet.predict.*}), with the same settings, one-line errors and exit codes as LeNetJob.
 */
public final class LeNetPredictJob {

    private LeNetPredictJob() {
    }

    public static void main(String[] args) throws SparkUserAppException {
        JobLauncher.runAndExit("LeNetPredict", args, LeNetPredictJob::run);
    }

    /** Scores as the settings say; the layers run as training ran them (lenet.training.onednn-layer-helpers). */
    public static void run(LeNetSettings settings, SparkSession spark) {
        BatchScoring.run(spark, settings.predict(), settings.training().oneDnnLayerHelpers());
    }
}
