package io.lenetspark.util;

import org.apache.spark.SparkContext;

/**
 * Labels the Spark jobs that the calling thread starts inside a try-with-resources block as one
 * job group, so that the Spark UI reads like the code ("TRAIN epoch 3/20", "EVAL test"). Closing
 * gives the thread back the labels it had before, also when the block ends with a failure, so a
 * label never sticks to the jobs that follow.
 */
public final class SparkJobGroup implements AutoCloseable {

    /** The local properties {@link SparkContext#setJobGroup} sets and {@link SparkContext#clearJobGroup} clears. */
    private static final String GROUP_ID = "spark.jobGroup.id";
    private static final String DESCRIPTION = "spark.job.description";
    private static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";

    private final SparkContext context;
    private final String previousGroupId;
    private final String previousDescription;
    private final String previousInterruptOnCancel;

    private SparkJobGroup(SparkContext context) {
        this.context = context;
        this.previousGroupId = context.getLocalProperty(GROUP_ID);
        this.previousDescription = context.getLocalProperty(DESCRIPTION);
        this.previousInterruptOnCancel = context.getLocalProperty(INTERRUPT_ON_CANCEL);
    }

    /**
     * @param groupId     what the phase is, e.g. {@code train}; tests and listeners select jobs by it
     * @param description what the UI shows, e.g. {@code TRAIN epoch 3/20}
     */
    public static SparkJobGroup start(SparkContext context, String groupId, String description) {
        SparkJobGroup group = new SparkJobGroup(context);
        context.setJobGroup(groupId, description, false);
        return group;
    }

    @Override
    public void close() {
        // A null value removes the property, as clearJobGroup does.
        context.setLocalProperty(GROUP_ID, previousGroupId);
        context.setLocalProperty(DESCRIPTION, previousDescription);
        context.setLocalProperty(INTERRUPT_ON_CANCEL, previousInterruptOnCancel);
    }
}
