package io.lenetspark.evaluation;

import org.nd4j.evaluation.classification.Evaluation;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A finished evaluation of a split, as plain values.
 *
 * @param examples  examples evaluated
 * @param accuracy  fraction classified correctly
 * @param loss      mean cross-entropy per example
 * @param classes   per-class precision, recall and F1, by class
 * @param confusion confusion matrix: {@code confusion[actual][predicted]}
 */
public record ClassificationReport(long examples, double accuracy, double loss, List<ClassMetrics> classes,
                                   long[][] confusion) {

    /** Metrics of one class; NaN where the class was never predicted or never present. */
    public record ClassMetrics(int label, long support, double precision, double recall, double f1) {
    }

    public static ClassificationReport from(Evaluation evaluation, int classCount, double loss) {
        long[][] confusion = new long[classCount][classCount];
        for (int actual = 0; actual < classCount; actual++) {
            for (int predicted = 0; predicted < classCount; predicted++) {
                confusion[actual][predicted] = evaluation.getConfusion().getCount(actual, predicted);
            }
        }
        List<ClassMetrics> classes = IntStream.range(0, classCount)
                .mapToObj(c -> new ClassMetrics(c, IntStream.range(0, classCount).mapToLong(p -> confusion[c][p]).sum(),
                        evaluation.precision(c, Double.NaN), evaluation.recall(c, Double.NaN),
                        evaluation.f1(c)))
                .toList();
        return new ClassificationReport((long) evaluation.getNumRowCounter(), evaluation.accuracy(), loss, classes,
                confusion);
    }
}
