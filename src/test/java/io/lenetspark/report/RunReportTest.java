package io.lenetspark.report;

import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.training.EpochMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {

    private static RunInspection run(String runId, int mistakesShown) {
        List<EpochMetrics> epochs = List.of(
                new EpochMetrics(1, 97, 556, 0.325, 0.834, 0.7515, 1e-3),
                new EpochMetrics(2, 63, 853, 0.080, 0.060, 0.9800, 1e-3),
                new EpochMetrics(3, 64, 850, 0.040, 0.045, 0.9850, 2e-4));
        long[][] confusion = new long[10][10];
        for (int digit = 0; digit < 10; digit++) {
            confusion[digit][digit] = 95;
            confusion[digit][(digit + 1) % 10] = 5;
        }
        List<ClassificationReport.ClassMetrics> classes = IntStream.range(0, 10)
                .mapToObj(d -> new ClassificationReport.ClassMetrics(d, 100, 0.95, 0.95, 0.95)).toList();
        List<RunInspection.Mistake> shown = IntStream.range(0, mistakesShown)
                .mapToObj(i -> new RunInspection.Mistake(i, 4, 9, 0.9 - i * 0.01, new byte[784])).toList();
        List<RunInspection.SplitRows> data = List.of(new RunInspection.SplitRows("train", 60_000, 59_988),
                new RunInspection.SplitRows("test", 1_000, 1_000));
        return new RunInspection(runId, data, epochs, new ClassificationReport(1000, 0.95, 0.15, classes, confusion),
                50, shown);
    }

    @Test
    void showsTheCurvesTheLearningRateTheConfusionMatrixAndTheMistakes() {
        String html = RunReport.render(run("r1", 3));

        assertEquals(3, count(html, "<svg class=\"chart\""), "charts");
        assertTrue(html.contains("data-series=\"loss\"") && html.contains("data-series=\"val_loss\""), "loss curves");
        assertTrue(html.contains("data-series=\"val_accuracy\""), "accuracy curve");
        assertTrue(html.contains("data-series=\"learning_rate\""), "learning-rate steps");
        assertEquals(100, count(html, "<rect class=\"cell\""), "heat-map cells");
        assertEquals(3, count(html, "<figure class=\"digit\""), "misclassified digits");
        assertTrue(html.contains("true 4, predicted 9<br>90% sure, #0"), "caption of the surest mistake");
        assertTrue(html.contains("Test accuracy 95.00% on 1,000 images (loss 0.1500); 3 epochs; "
                + "best validation accuracy 98.50% after epoch 3."), "summary");
        assertTrue(html.contains("50 of 1,000 test images were misclassified"), "mistake count");
    }

    @Test
    void saysHowManyRowsOfEachSplitWereUsed() {
        String html = RunReport.render(run("r1", 0));

        assertTrue(html.contains("Data: train 59,988 of 60,000 rows used (12 bad rows left out); test all 1,000 rows "
                + "used."), "rows used");
    }

    @Test
    void needsNothingFromTheNetwork() {
        String html = RunReport.render(run("r1", 2));

        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("<link"), "no linked resources");
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "only data: URIs");
        assertTrue(html.contains("default-src 'none'"), "a policy that forbids fetching anything");
    }

    @Test
    void escapesTheRunId() {
        String html = RunReport.render(run("<b>x</b>", 0));

        assertTrue(html.contains("LeNet-5 run &lt;b&gt;x&lt;/b&gt;"), "escaped run id");
        assertFalse(html.contains("<b>x</b>"), "no markup from the run id");
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
