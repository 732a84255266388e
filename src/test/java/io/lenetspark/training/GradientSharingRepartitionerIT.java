package io.lenetspark.training;

import io.lenetspark.SparkTestSession;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gradient-sharing input goes to one task per executor JVM, with every minibatch kept. */
class GradientSharingRepartitionerIT {

    private final JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    private final List<Integer> minibatches = IntStream.range(0, 338).boxed().toList();

    @Test
    void oneMinibatchPartitionPerExecutorJvm() {
        JavaRDD<Integer> input = sc.parallelize(minibatches, 8);
        for (int jvms : new int[] {1, 3}) {
            JavaRDD<Integer> repartitioned = new GradientSharingRepartitioner("run", true).repartition(input, 1, jvms);
            assertEquals(jvms, repartitioned.getNumPartitions(), "partitions for " + jvms + " JVM(s)");
            assertEquals(minibatches, repartitioned.collect().stream().sorted().toList(), "the minibatches");
        }
    }

    @Test
    void fewerPartitionsThanJvmsAreKept() {
        JavaRDD<Integer> input = sc.parallelize(minibatches, 2);
        assertEquals(2, new GradientSharingRepartitioner("run", true).repartition(input, 1, 4).getNumPartitions());
    }
}
