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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Logs progress within an epoch on the driver while DL4J trains, and cancels the epoch's Spark
 * jobs if it stalls ({@link StallWatch}). The workers count minibatches in
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
    private final String epochLabel;
    private final String jobGroup;
    private final long start = System.nanoTime();
    private final StallWatch watch;
    private final ScheduledExecutorService watcher;
    private final AtomicReference<String> stall = new AtomicReference<>();
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final Set<Long> ended = ConcurrentHashMap.newKeySet();

    private EpochProgress(SparkContext sc, TrainingLossListener counts, ProgressMeter meter, String epochLabel,
                          String jobGroup, Duration stallTimeout) {
        this.sc = sc;
        this.counts = counts;
        this.meter = meter;
        this.epochLabel = epochLabel;
        this.jobGroup = jobGroup;
        this.watch = new StallWatch(stallTimeout, start);
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stall-watch " + epochLabel);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts listening; close when the epoch's training pass is over.
     *
     * @param jobGroup     the Spark job group of the epoch's training, cancelled when it stalls
     * @param stallTimeout idle time after which the epoch counts as stalled; zero: never
     */
    static EpochProgress start(SparkContext sc, TrainingLossListener counts, String epochLabel, long examples,
                               int batchSize, Duration interval, String jobGroup, Duration stallTimeout) {
        EpochProgress progress = new EpochProgress(sc, counts, new ProgressMeter(epochLabel, examples, batchSize,
                interval), epochLabel, jobGroup, stallTimeout);
        sc.addSparkListener(progress);
        if (!stallTimeout.isZero()) {
            long every = progress.watch.checkEvery().toNanos();
            progress.watcher.scheduleAtFixedRate(progress::checkForStall, every, every, TimeUnit.NANOSECONDS);
        }
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

    private long minibatches() {
        return counts.minibatches() + running.values().stream().mapToLong(Long::longValue).sum();
    }

    private void report() {
        long now = System.nanoTime();
        long minibatches = minibatches();
        watch.observe(now, minibatches);
        meter.update(now - start, minibatches).ifPresent(LOG::info);
    }

    private void checkForStall() {
        long now = System.nanoTime();
        long minibatches = minibatches();
        watch.observe(now, minibatches);
        if (watch.stalled(now) && stall.compareAndSet(null, stallMessage(now, minibatches))) {
            LOG.error("{}; cancelling its Spark jobs", stall.get());
            sc.cancelJobGroup(jobGroup);
        }
    }

    private String stallMessage(long now, long minibatches) {
        return String.format(Locale.ROOT, "%s fitted no minibatch for %ds (%s)", epochLabel,
                watch.idle(now).toSeconds(), meter.counts(now - start, minibatches));
    }

    /** Why the epoch was cancelled as stalled, if it was. */
    Optional<String> stall() {
        return Optional.ofNullable(stall.get());
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        sc.removeSparkListener(this);
    }
}
