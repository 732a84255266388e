import io.lenetspark.job.PrepareMnistJob;
import org.apache.spark.SparkUserAppException;

/** Entry point for {@code spark-submit --class PrepareMnist}; see {@link PrepareMnistJob}. */
public final class PrepareMnist {

    private PrepareMnist() {
    }

    public static void main(String[] args) throws SparkUserAppException {
        PrepareMnistJob.main(args);
    }
}
