package io.lenetspark.util;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Names the Spark jobs started inside a try-with-resources block, so that the Spark UI reads like
 * the code ("PREPARE train"); closing restores the caller's own description.
 */
public final class SparkJobLabel implements AutoCloseable {

    private static final String JOB_DESCRIPTION = "spark.job.description";

    private final SparkContext context;
    private final String previous;

    private SparkJobLabel(SparkContext context, String label) {
        this.context = context;
        this.previous = context.getLocalProperty(JOB_DESCRIPTION);
        context.setJobDescription(label);
    }

    public static SparkJobLabel of(SparkSession spark, String label) {
        return new SparkJobLabel(spark.sparkContext(), label);
    }

    @Override
    public void close() {
        context.setJobDescription(previous);
    }
}
