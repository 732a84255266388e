package io.lenetspark.failure;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerMemoryFailuresTest {

    /** What Spark 3.5 reports when a task's executor exits with YARN's physical-memory exit code. */
    private static final String STAGE_FAILURE = "Job aborted due to stage failure: Task 1 in stage 4.0 failed 4 times, "
            + "most recent failure: Lost task 1.3 in stage 4.0 (TID 17) (vm executor 3): ExecutorLostFailure (executor 3 "
            + "exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding physical memory "
            + "limits. 3.1 GB of 3 GB physical memory used. Consider boosting spark.executor.memoryOverhead.";

    @Test
    void namesTheSettingToRaiseAndQuotesTheUsage() {
        String message = ContainerMemoryFailures.explain(new IllegalStateException("training failed",
                new SparkException(STAGE_FAILURE))).orElseThrow();
        assertTrue(message.startsWith("YARN killed an executor for using more memory than its container "
                + "(3.1 GB of 3 GB physical memory used)."), message);
        assertTrue(message.contains("LENET_EXECUTOR_OFFHEAP"), message);
        assertTrue(message.contains("spark.executor.memoryOverhead"), message);
    }

    @Test
    void leavesOtherExecutorLossesToTheirOwnMessage() {
        assertEquals(Optional.empty(), ContainerMemoryFailures.explain(new SparkException(
                "ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Command exited with code 1")));
        assertEquals(Optional.empty(), ContainerMemoryFailures.explain(new IllegalStateException((String) null)));
    }
}
