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
 * writes the run folder. {@link #run} is what {@code main} and the tests call.
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

    private LeNetTrainingJob() {
    }

    public static void main(String[] args) {
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
            return train(settings, spark, sc, folder);
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

    private static RunResult train(LeNetSettings settings, SparkSession spark, JavaSparkContext sc, RunFolder folder) {
        TrainingSettings training = settings.training();
        MnistParquet.CheckedRows train = MnistParquet.read(spark, settings.data().train(), "train",
                settings.data().onBadRow());
        MnistParquet.CheckedRows test = MnistParquet.read(spark, settings.data().test(), "test",
                settings.data().onBadRow());
        ValidationSplit.Parts split = ValidationSplit.split(train.rows(), train.check().rowsUsed(),
                settings.data().validationFraction(), settings.seed());
        RunOutputs outputs = new RunOutputs(folder);
        outputs.writeDataCheck(settings.data().onBadRow(), List.of(train.check(), test.check()));
        Checkpoints checkpoints = new Checkpoints(folder, settings.seed(), settings.output().checkpointsKept());
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.latest();
        if (checkpoint.isPresent()) {
            outputs.checkSameConfig(settings.resolved());
        } else {
            outputs.writeConfig(settings.resolved());
        }
        MultiLayerNetwork network = checkpoint.map(Checkpoints.Checkpoint::network)
                .orElseGet(() -> LeNet5.create(settings.seed(), training.learningRate()));
        TrainingState start = checkpoint.map(Checkpoints.Checkpoint::state)
                .orElseGet(() -> TrainingState.initial(training.learningRate()));
        int workers = training.workers() > 0 ? training.workers() : sc.defaultParallelism();
        int partitions = TrainingPartitions.choose(settings.data().partitions(), workers, split.trainingRows(),
                training.batchSize());
        JavaRDD<DataSet> validation = Minibatches.inOrder(split.validation(), partitions, training.batchSize());

        LOG.info("Training LeNet-5 ({} parameters) with {} on {} workers: {} training, {} validation examples; "
                        + "{} minibatches of {} per epoch, at most {} epochs; run folder {}",
                network.numParams(), training.master().configName(), workers, split.trainingRows(),
                split.validationRows(), ceilDiv(split.trainingRows(), training.batchSize()), training.batchSize(),
                training.epochs(), folder.path());
        if (training.master() == TrainingSettings.Master.GRADIENT_SHARING && !sc.isLocal()
                && training.gradientSharing().networkMask().isBlank()) {
            // DL4J's executors then announce 127.0.0.1 to the driver, which reaches only executors on its own host.
            LOG.warn("Gradient sharing on a cluster without lenet.training.gradient-sharing.network-mask: executors on "
                    + "other hosts than the driver cannot take part; set it to the subnet the executors share");
        }
        checkpoint.ifPresent(c -> LOG.info("Resuming from checkpoint {} after epoch {} of {}, learning rate {}",
                c.location(), c.epoch(), training.epochs(), formatLearningRate(c.state().plateau().learningRate())));

        DistributedEvaluator evaluator = new DistributedEvaluator(LeNet5.CLASSES);
        EpochTrainer.Plan plan = new EpochTrainer.Plan(split.training(), split.trainingRows(), workers,
                executorJvms(sc), partitions, spark.sparkContext().conf().get("spark.driver.host", "127.0.0.1"), settings.seed());
        EpochTrainer trainer = new EpochTrainer(sc, training, scoreOn(evaluator, sc, validation),
                settings.progress().interval());
        EpochTrainer.Result result = trainer.train(network, plan, start,
                (metrics, state) -> {
                    LOG.info(formatEpoch(metrics, training.epochs()));
                    outputs.writeMetricsJson(state.epochs());
                    checkpoints.save(network, state);
                });
        validation.unpersist(false);
        List<EpochMetrics> epochs = result.epochs();
        if (result.stoppedEarly()) {
            LOG.info("Stopped early after epoch {}: validation accuracy last improved at epoch {} ({})",
                    epochs.size(), result.bestEpoch(), String.format(Locale.ROOT, "%.4f", result.bestValAccuracy()));
        }

        ClassificationReport testReport = evaluateTest(sc, network, test.rows(), partitions, training.batchSize(), evaluator);
        outputs.writeModel(network);
        outputs.writeMetricsJson(epochs);
        outputs.writeMetricsParquet(spark, epochs);
        outputs.writeTestEvaluation(testReport);
        TestPredictions.write(spark, network, test.rows(), partitions, training.batchSize(),
                folder.resolve(TestPredictions.FILE).toString());
        RunReport.write(spark, folder);
        folder.markComplete();
        LOG.info("Test accuracy {} on {} examples (loss {}); run folder {}",
                String.format(Locale.ROOT, "%.4f", testReport.accuracy()), testReport.examples(),
                String.format(Locale.ROOT, "%.4f", testReport.loss()), folder.path());
        return new RunResult(folder.runId(), folder.path().toString(), false, result, testReport);
    }

    private static ClassificationReport evaluateTest(JavaSparkContext sc, MultiLayerNetwork network, Dataset<Row> test,
                                                     int partitions, int batchSize, DistributedEvaluator evaluator) {
        sc.setJobGroup("evaluate", "EVAL test", false);
        JavaRDD<DataSet> minibatches = Minibatches.inOrder(test, partitions, batchSize);
        ClassificationReport report = evaluator.evaluate(sc, network, minibatches);
        minibatches.unpersist(false);
        sc.clearJobGroup();
        return report;
    }

    /** Validation as training needs it: the loss and accuracy of a distributed evaluation. */
    private static Validation scoreOn(DistributedEvaluator evaluator, JavaSparkContext sc, JavaRDD<DataSet> validation) {
        return network -> {
            ClassificationReport report = evaluator.evaluate(sc, network, validation);
            return new Validation.Score(report.loss(), report.accuracy());
        };
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
