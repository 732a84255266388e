package io.lenetspark.training;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.config.ProgressSettings;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.model.LeNet5;
import io.lenetspark.model.Minibatches;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;
import scala.collection.JavaConverters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What one parameter-averaging epoch schedules on local[2], as a function of the training
 * partitions, the workers and the averaging frequency: Spark jobs and tasks of the training pass,
 * on 1,800 training images (about 15 minibatches of 128). The table goes to
 * {@code target/epoch-scheduling.md}; docs/training.md's "Partitions" section quotes it.
 */
class EpochSchedulingIT {

    private static final int TRAINING_ROWS = 1_800;
    private static final int BATCH_SIZE = 128;
    private static final int WORKERS = 2;
    private static final List<String> TABLE = new ArrayList<>();
    /** Only the training pass is counted, so no validation runs. */
    private static final Validation NOT_SCORED = network -> new Validation.Score(Double.NaN, Double.NaN);

    private static Dataset<Row> training;

    @BeforeAll
    static void prepare() throws IOException {
        Path data = MnistSubset.of(2_000, 100);
        Dataset<Row> rows = SparkTestSession.get().read().parquet(data.resolve("train").toString());
        training = rows.filter(col(MnistSchema.ID).lt(TRAINING_ROWS));
        TABLE.add("| partitions | averaging frequency | minibatches | averaging rounds | Spark jobs | tasks |");
        TABLE.add("|---:|---:|---:|---:|---:|---:|");
    }

    @AfterAll
    static void writeTable() throws IOException {
        String table = String.join("\n", TABLE) + "\n";
        Files.writeString(Path.of("target", "epoch-scheduling.md"), table);
        System.out.println(table);
    }

    /**
     * DL4J's parameter averaging counts the minibatches (one job), then runs
     * {@code rounds = max(1, floor(minibatches / (workers x frequency)))} averaging rounds. With one
     * partition per worker a round is one job of a task per worker; with any other count, DL4J
     * balances the round's data first, with two more jobs over every partition. So each partition
     * beyond one per worker costs about three tasks per round.
     */
    @ParameterizedTest(name = "{0} partitions, averaging frequency {1}")
    @CsvSource({"2, 5", "2, 1", "4, 5", "15, 5", "60, 5"})
    void schedulesOneCountAndThenOneOrThreeJobsPerAveragingRound(int partitions, int averagingFrequency) {
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LeNetSettings settings = LeNetSettings.from(ConfigLoader.load(List.of("training.batch-size=" + BATCH_SIZE,
                "training.epochs=1", "training.parameter-averaging.averaging-frequency=" + averagingFrequency)));
        long minibatches = minibatchesOfEpochOne(partitions, settings.seed());
        EpochTrainer.Plan plan = new EpochTrainer.Plan(training, TRAINING_ROWS, WORKERS, 1, partitions, "127.0.0.1",
                settings.seed());
        EpochTrainer trainer = new EpochTrainer(sc, settings.training(), NOT_SCORED,
                new ProgressSettings(Duration.ofMinutes(10), Duration.ZERO));
        TrainingJobs counted = new TrainingJobs();
        spark.sparkContext().addSparkListener(counted);
        try (EpochTrainer.Session session = trainer.session(
                LeNet5.create(settings.seed(), settings.training().learningRate()), plan)) {
            session.runEpoch(1, 1e-3);
        } finally {
            spark.sparkContext().removeSparkListener(counted);
        }

        long rounds = Math.max(1, minibatches / ((long) WORKERS * averagingFrequency));
        boolean balanced = partitions != WORKERS;
        TABLE.add(String.format("| %d | %d | %d | %d | %d | %d |", partitions, averagingFrequency, minibatches,
                rounds, counted.jobs.get(), counted.tasks.get()));
        assertEquals(rounds, counted.roundJobs.get(), "averaging rounds: " + counted.stages);
        // The first job builds the shuffled minibatches, the second counts them.
        assertEquals(2 + rounds * (balanced ? 3 : 1), counted.jobs.get(), "jobs: " + counted.stages);
        assertEquals(1 + partitions + rounds * (balanced ? 3L * partitions - 1 + WORKERS : WORKERS),
                counted.tasks.get(), "tasks: " + counted.stages);
    }

    /** Hash partitioning spreads rows unevenly, so the minibatches are counted, as the epoch will make them. */
    private static long minibatchesOfEpochOne(int partitions, long seed) {
        JavaRDD<DataSet> minibatches = Minibatches.shuffled(training, partitions, BATCH_SIZE, seed, 1);
        try {
            return minibatches.count();
        } finally {
            minibatches.unpersist(false);
        }
    }

    /** Counts the jobs and tasks of the epoch's training pass ("train" job group). */
    private static final class TrainingJobs extends SparkListener {
        final AtomicInteger jobs = new AtomicInteger();
        final AtomicInteger roundJobs = new AtomicInteger();
        final AtomicInteger tasks = new AtomicInteger();
        final List<String> stages = new CopyOnWriteArrayList<>();
        private final Set<Integer> trainingStages = ConcurrentHashMap.newKeySet();

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            if ("train".equals(start.properties().getProperty("spark.jobGroup.id"))) {
                jobs.incrementAndGet();
                List<StageInfo> infos = JavaConverters.seqAsJavaList(start.stageInfos());
                infos.forEach(stage -> trainingStages.add(stage.stageId()));
                stages.add(infos.stream().map(StageInfo::name).toList().toString());
                // DL4J averages the workers' results with a treeAggregate, once per round.
                if (infos.stream().anyMatch(stage -> stage.name().startsWith("treeAggregate"))) {
                    roundJobs.incrementAndGet();
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (trainingStages.contains(end.stageId())) {
                tasks.incrementAndGet();
            }
        }
    }
}
