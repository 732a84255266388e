import io.lenetspark.job.PrepareMnistJob;

/** Entry point for {@code spark-submit --class PrepareMnist}; see {@link PrepareMnistJob}. */
public final class PrepareMnist {

    private PrepareMnist() {
    }

    public static void main(String[] args) {
        PrepareMnistJob.main(args);
    }
}
