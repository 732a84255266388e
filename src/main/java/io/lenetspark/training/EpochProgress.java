package io.lenetspark.training;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.collection.JavaConverters;
import scala.collection.Seq;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs progress within an epoch on the driver while DL4J trains. The workers count minibatches in
 * {@link TrainingLossListener}'s accumulator; the driver sees a finished task's count when the task
 * ends, and a running task's count in the executor heartbeats (every
 * {@code spark.executor.heartbeatInterval}), which is what makes a gradient-sharing epoch, one long
 * task per executor, visible before it ends.
 */
final class EpochProgress extends SparkListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EpochProgress.class);

    private final SparkContext sc;
    private final TrainingLossListener counts;
    private final ProgressMeter meter;
    private final long start = System.nanoTime();
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final Set<Long> ended = ConcurrentHashMap.newKeySet();

    private EpochProgress(SparkContext sc, TrainingLossListener counts, ProgressMeter meter) {
        this.sc = sc;
        this.counts = counts;
        this.meter = meter;
    }

    /** Starts listening; close when the epoch's training pass is over. */
    static EpochProgress start(SparkContext sc, TrainingLossListener counts, String epochLabel, long examples,
                               int batchSize, Duration interval) {
        EpochProgress progress = new EpochProgress(sc, counts, new ProgressMeter(epochLabel, examples, batchSize, interval));
        sc.addSparkListener(progress);
        return progress;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task : JavaConverters.seqAsJavaList(update.accumUpdates())) {
            long taskId = (Long) task._1();
            for (AccumulableInfo info : JavaConverters.seqAsJavaList(task._4())) {
                if (info.id() == counts.minibatchesAccumulatorId() && info.update().isDefined() && !ended.contains(taskId)) {
                    running.put(taskId, ((Number) info.update().get()).longValue());
                }
            }
        }
        report();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        long taskId = taskEnd.taskInfo().taskId();
        ended.add(taskId);
        running.remove(taskId);
        report();
    }

    private void report() {
        long minibatches = counts.minibatches() + running.values().stream().mapToLong(Long::longValue).sum();
        meter.update(System.nanoTime() - start, minibatches).ifPresent(LOG::info);
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
    }
}
