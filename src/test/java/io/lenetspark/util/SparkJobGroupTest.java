package io.lenetspark.util;

import io.lenetspark.SparkTestSession;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The label a block gives its Spark jobs, on this test thread. */
class SparkJobGroupTest {

    private static final String GROUP_ID = "spark.jobGroup.id";
    private static final String DESCRIPTION = "spark.job.description";

    private final SparkContext sc = SparkTestSession.get().sparkContext();

    @BeforeEach
    @AfterEach
    void noLabel() {
        sc.clearJobGroup();
    }

    @Test
    void labelsTheJobsOfTheBlockOnly() {
        try (SparkJobGroup group = SparkJobGroup.start(sc, "train", "TRAIN epoch 1/2")) {
            assertEquals("train", sc.getLocalProperty(GROUP_ID), "group inside the block");
            assertEquals("TRAIN epoch 1/2", sc.getLocalProperty(DESCRIPTION), "description inside the block");
        }
        assertNull(sc.getLocalProperty(GROUP_ID), "group after the block");
        assertNull(sc.getLocalProperty(DESCRIPTION), "description after the block");
    }

    @Test
    void clearsItsLabelWhenTheBlockFails() {
        assertThrows(IllegalStateException.class, () -> {
            try (SparkJobGroup group = SparkJobGroup.start(sc, "evaluate", "EVAL test")) {
                throw new IllegalStateException("lost executor");
            }
        });
        assertNull(sc.getLocalProperty(GROUP_ID), "group after the failed block");
        assertNull(sc.getLocalProperty(DESCRIPTION), "description after the failed block");
    }

    @Test
    void givesTheCallersOwnLabelBack() {
        sc.setJobGroup("notebook", "a notebook's paragraph", true);
        try (SparkJobGroup group = SparkJobGroup.start(sc, "report", "REPORT run-1")) {
            assertEquals("report", sc.getLocalProperty(GROUP_ID), "group inside the block");
        }
        assertEquals("notebook", sc.getLocalProperty(GROUP_ID), "the caller's group");
        assertEquals("a notebook's paragraph", sc.getLocalProperty(DESCRIPTION), "the caller's description");
        assertEquals("true", sc.getLocalProperty("spark.job.interruptOnCancel"), "the caller's interrupt setting");
    }
}
