import org.apache.spark.SparkUserAppException;

/**
 * Entry point for {@code spark-submit --class LeNetPredict}: scores a Parquet data set of images
 * with a trained run's model; the job itself is {@link io.lenetspark.job.LeNetPredictJob}.
 */
public final class LeNetPredict {

    private LeNetPredict() {
    }

    public static void main(String[] args) throws SparkUserAppException {
        io.lenetspark.job.LeNetPredictJob.main(args);
    }
}
