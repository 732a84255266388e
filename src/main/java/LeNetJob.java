import org.apache.spark.SparkUserAppException;

/**
 * Entry point for {@code spark-submit --class LeNetJob}: the class name users type, kept in the
 * unnamed package; the job itself is {@link io.lenetspark.job.LeNetTrainingJob}.
 */
public final class LeNetJob {

    private LeNetJob() {
    }

    public static void main(String[] args) throws SparkUserAppException {
        io.lenetspark.job.LeNetTrainingJob.main(args);
    }
}
