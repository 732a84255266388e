package io.lenetspark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} SparkSession shared by every test in the JVM: starting Spark takes
 * seconds, so tests share it and never stop it themselves.
 */
public final class SparkTestSession {

    /** Enough to exercise shuffles, small enough for a two-core build machine. */
    private static final int SHUFFLE_PARTITIONS = 4;

    private static SparkSession session;

    private SparkTestSession() {
    }

    /** The shared session, created on first use and stopped when the JVM exits. */
    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("lenet-spark tests")
                    .master("local[2]")
                    .config("spark.ui.enabled", false)
                    // Everything, the gradient-sharing transport included, stays on loopback.
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS)
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "stop-test-spark"));
        }
        return session;
    }
}
