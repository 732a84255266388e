package io.lenetspark.job;

import io.lenetspark.config.LeNetSettings;
import io.lenetspark.config.OutputSettings;
import io.lenetspark.config.TrainingSettings;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.evaluation.DistributedEvaluator;
import io.lenetspark.evaluation.TestPredictions;
import io.lenetspark.model.LeNet5;
import io.lenetspark.model.Minibatches;
import io.lenetspark.model.OneDnnLayerHelpers;
import io.lenetspark.output.Checkpoints;
import io.lenetspark.output.RunClaim;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.report.RunReport;
import io.lenetspark.training.EpochMetrics;
import io.lenetspark.training.EpochTrainer;
import io.lenetspark.training.TrainingPartitions;
import io.lenetspark.training.TrainingState;
import io.lenetspark.training.Validation;
import io.lenetspark.training.ValidationSplit;
import io.lenetspark.util.SparkJobGroup;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trains LeNet-5 on MNIST Parquet with DL4J on Spark, evaluates the test split with Spark and
 * writes the run folder. {@link #run} is what {@code main} and the tests call; a run reads its
 * data, starts or resumes, trains its epochs, evaluates the test split and publishes the results.
 */
public final class LeNetTrainingJob {

    private static final Logger LOG = LoggerFactory.getLogger(LeNetTrainingJob.class);

    /**
     * What a run produced. For a run id that was already complete ({@code lenet.output.on-complete-run
     * = skip}) nothing was trained: {@code training} and {@code test} are null.
     */
    public record RunResult(String runId, String runFolder, boolean alreadyComplete, EpochTrainer.Result training,
                            ClassificationReport test) {

        static RunResult alreadyComplete(RunFolder folder) {
            return new RunResult(folder.runId(), folder.path().toString(), true, null, null);
        }
    }

    /** The checked data: the training split with its validation part held out, and the test split. */
    private record RunData(ValidationSplit.Parts split, Dataset<Row> test) {
    }

    /** Where training starts: a new network, or the network and state of the latest checkpoint. */
    private record Start(MultiLayerNetwork network, TrainingState state, Optional<Checkpoints.Checkpoint> checkpoint) {
    }

    /** How the run's Spark work is spread: model replicas training at once, and partitions of the minibatches. */
    private record Parallelism(int workers, int partitions) {
    }

    private final LeNetSettings settings;
    private final TrainingSettings training;
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final RunFolder folder;
    private final RunOutputs outputs;
    private final Checkpoints checkpoints;
    private final DistributedEvaluator evaluator = new DistributedEvaluator(LeNet5.CLASSES);

    private LeNetTrainingJob(LeNetSettings settings, SparkSession spark, RunFolder folder) {
        this.settings = settings;
        this.training = settings.training();
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.folder = folder;
        this.outputs = new RunOutputs(folder);
        this.checkpoints = new Checkpoints(folder, settings.seed(), settings.output().checkpointsKept());
    }

    public static void main(String[] args) throws SparkUserAppException {
        JobLauncher.runAndExit("LeNetJob", args, LeNetTrainingJob::run);
    }

    public static RunResult run(LeNetSettings settings, SparkSession spark) {
        if (settings.training().oneDnnLayerHelpers()) {
            // Before the driver builds or restores a network; executors switch them on themselves (WorkerLayerHelpers).
            OneDnnLayerHelpers.enable();
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        RunFolder folder = RunFolder.locate(settings.output(), sc.hadoopConfiguration(), Clock.systemUTC());
        // Checked before claiming too: a claim would write its lock file into a completed run.
        if (isDone(folder, settings.output())) {
            return RunResult.alreadyComplete(folder);
        }
        try (RunClaim claim = folder.claim(holder(sc))) {
            // The job that held the claim before may just have completed the run.
            if (isDone(folder, settings.output())) {
                return RunResult.alreadyComplete(folder);
            }
            return new LeNetTrainingJob(settings, spark, folder).trainAndPublish();
        }
    }

    /** Whether the run is complete and the job may accept that; refuses a completed run otherwise. */
    private static boolean isDone(RunFolder folder, OutputSettings output) {
        if (folder.isComplete() && output.onCompleteRun() == OutputSettings.OnCompleteRun.SKIP) {
            // A scheduler re-running a finished run id gets success, and the run stays as it was.
            LOG.info("Run {} is already complete; nothing to do (lenet.output.on-complete-run = skip). Run folder {}",
                    folder.runId(), folder.path());
            return true;
        }
        folder.requireIncomplete();
        return false;
    }

    /** This job as another job given the same run folder names it. */
    private static String holder(JavaSparkContext sc) {
        return "LeNetJob " + sc.sc().applicationId() + ", driver process " + ProcessHandle.current().pid() + " on "
                + sc.getConf().get("spark.driver.host", "an unknown host") + ", since " + Instant.now();
    }

    private RunResult trainAndPublish() {
        RunData data = readData();
        Start start = startOrResume();
        Parallelism parallelism = parallelism(data);
        EpochTrainer.Result result = trainEpochs(data, start, parallelism);
        ClassificationReport test = evaluateTest(start.network(), data.test(), parallelism);
        publish(start.network(), result.epochs(), test, data.test(), parallelism);
        return new RunResult(folder.runId(), folder.path().toString(), false, result, test);
    }

    /** Reads and checks both splits, holds out the validation part, and records what the check found. */
    private RunData readData() {
        MnistParquet.CheckedRows train = MnistParquet.read(spark, settings.data().train(), "train",
                settings.data().onBadRow());
        MnistParquet.CheckedRows test = MnistParquet.read(spark, settings.data().test(), "test",
                settings.data().onBadRow());
        ValidationSplit.Parts split = ValidationSplit.split(train.rows(), train.check().rowsUsed(),
                settings.data().validationFraction(), settings.seed());
        outputs.writeDataCheck(settings.data().onBadRow(), List.of(train.check(), test.check()));
        return new RunData(split, test.rows());
    }

    /** A new network, or the latest checkpoint's when the run folder has one and the settings are those it started with. */
    private Start startOrResume() {
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.latest();
        if (checkpoint.isPresent()) {
            outputs.checkSameConfig(settings.resolved());
        } else {
            outputs.writeConfig(settings.resolved());
        }
        MultiLayerNetwork network = checkpoint.map(Checkpoints.Checkpoint::network)
                .orElseGet(() -> LeNet5.create(settings.seed(), training.learningRate()));
        TrainingState state = checkpoint.map(Checkpoints.Checkpoint::state)
                .orElseGet(() -> TrainingState.initial(training.learningRate()));
        return new Start(network, state, checkpoint);
    }

    /** One model replica per worker ({@code lenet.training.workers}, else Spark's default parallelism). */
    private Parallelism parallelism(RunData data) {
        int workers = training.workers() > 0 ? training.workers() : sc.defaultParallelism();
        int partitions = TrainingPartitions.choose(settings.data().partitions(), workers, data.split().trainingRows(),
                training.batchSize());
        return new Parallelism(workers, partitions);
    }

    /** Trains from {@code start} to the last epoch or to early stopping, with a checkpoint after every epoch. */
    private EpochTrainer.Result trainEpochs(RunData data, Start start, Parallelism parallelism) {
        JavaRDD<DataSet> validation = Minibatches.inOrder(data.split().validation(), parallelism.partitions(),
                training.batchSize());
        announce(data, start, parallelism);
        EpochTrainer.Plan plan = new EpochTrainer.Plan(data.split().training(), data.split().trainingRows(),
                parallelism.workers(), executorJvms(sc), parallelism.partitions(),
                spark.sparkContext().conf().get("spark.driver.host", "127.0.0.1"), settings.seed());
        EpochTrainer trainer = new EpochTrainer(sc, training, scoreOn(validation), settings.progress());
        EpochTrainer.Result result = trainer.train(start.network(), plan, start.state(), recordEachEpoch(start.network()));
        validation.unpersist(false);
        if (result.stoppedEarly()) {
            LOG.info("Stopped early after epoch {}: validation accuracy last improved at epoch {} ({})",
                    result.epochs().size(), result.bestEpoch(), String.format(Locale.ROOT, "%.4f", result.bestValAccuracy()));
        }
        return result;
    }

    /** After every epoch: its log line, the metrics so far in the run folder, and a checkpoint. */
    private EpochTrainer.EpochListener recordEachEpoch(MultiLayerNetwork network) {
        return (metrics, state) -> {
            LOG.info(formatEpoch(metrics, training.epochs()));
            outputs.writeMetricsJson(state.epochs());
            checkpoints.save(network, state);
        };
    }

    /** Says what is about to be trained, and from where. */
    private void announce(RunData data, Start start, Parallelism parallelism) {
        LOG.info("Training LeNet-5 ({} parameters) with {} on {} workers: {} training, {} validation examples; "
                        + "{} minibatches of {} per epoch, at most {} epochs; run folder {}",
                start.network().numParams(), training.master().configName(), parallelism.workers(),
                data.split().trainingRows(), data.split().validationRows(),
                ceilDiv(data.split().trainingRows(), training.batchSize()), training.batchSize(), training.epochs(),
                folder.path());
        if (training.master() == TrainingSettings.Master.GRADIENT_SHARING && !sc.isLocal()
                && training.gradientSharing().networkMask().isBlank()) {
            // DL4J's executors then announce 127.0.0.1 to the driver, which reaches only executors on its own host.
            LOG.warn("Gradient sharing on a cluster without lenet.training.gradient-sharing.network-mask: executors on "
                    + "other hosts than the driver cannot take part; set it to the subnet the executors share");
        }
        start.checkpoint().ifPresent(c -> LOG.info("Resuming from checkpoint {} after epoch {} of {}, learning rate {}",
                c.location(), c.epoch(), training.epochs(), formatLearningRate(c.state().plateau().learningRate())));
    }

    /** Validation as training needs it: the loss and accuracy of a distributed evaluation. */
    private Validation scoreOn(JavaRDD<DataSet> validation) {
        return network -> {
            ClassificationReport report = evaluator.evaluate(sc, network, validation);
            return new Validation.Score(report.loss(), report.accuracy());
        };
    }

    private ClassificationReport evaluateTest(MultiLayerNetwork network, Dataset<Row> test, Parallelism parallelism) {
        try (SparkJobGroup group = SparkJobGroup.start(sc.sc(), "evaluate", "EVAL test")) {
            JavaRDD<DataSet> minibatches = Minibatches.inOrder(test, parallelism.partitions(), training.batchSize());
            ClassificationReport report = evaluator.evaluate(sc, network, minibatches);
            minibatches.unpersist(false);
            return report;
        }
    }

    /** Writes the model, metrics, test results and report, and only then marks the run complete. */
    private void publish(MultiLayerNetwork network, List<EpochMetrics> epochs, ClassificationReport test,
                         Dataset<Row> testRows, Parallelism parallelism) {
        outputs.writeModel(network);
        outputs.writeMetricsJson(epochs);
        outputs.writeMetricsParquet(spark, epochs);
        outputs.writeTestEvaluation(test);
        TestPredictions.write(spark, network, testRows, parallelism.partitions(), training.batchSize(),
                folder.resolve(RunOutputs.PREDICTIONS).toString());
        RunReport.write(spark, folder);
        folder.markComplete();
        LOG.info("Test accuracy {} on {} examples (loss {}); run folder {}",
                String.format(Locale.ROOT, "%.4f", test.accuracy()), test.examples(),
                String.format(Locale.ROOT, "%.4f", test.loss()), folder.path());
    }

    /** One line per epoch, in the reference log's style. */
    public static String formatEpoch(EpochMetrics m, int totalEpochs) {
        return String.format(Locale.ROOT, "Epoch %d/%d - %.0fs - %.0f img/s - loss: %s - val_loss: %.4f - val_accuracy: %.4f - lr: %s",
                m.epoch(), totalEpochs, m.seconds(), m.imagesPerSecond(),
                Double.isNaN(m.loss()) ? "n/a" : String.format(Locale.ROOT, "%.4f", m.loss()),
                m.valLoss(), m.valAccuracy(), formatLearningRate(m.learningRate()));
    }

    /** Keras prints small learning rates in scientific notation: 0.0010, then 2.0000e-04. */
    static String formatLearningRate(double learningRate) {
        return learningRate >= 1e-3 - 1e-12
                ? String.format(Locale.ROOT, "%.4f", learningRate)
                : String.format(Locale.ROOT, "%.4e", learningRate);
    }

    /** Executor JVMs: the driver's own in local mode, else every registered executor. */
    private static int executorJvms(JavaSparkContext sc) {
        return sc.isLocal() ? 1 : Math.max(1, sc.sc().getExecutorMemoryStatus().size() - 1);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
