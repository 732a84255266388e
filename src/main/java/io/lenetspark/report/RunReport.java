package io.lenetspark.report;

import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.training.EpochMetrics;
import io.lenetspark.util.SparkJobGroup;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.html}: one self-contained page per run (inline SVG charts, PNG digits as
 * {@code data:} URIs, no script, a content security policy that forbids fetching anything) with
 * the loss and accuracy curves, the learning-rate steps, the confusion matrix and the most
 * confident mistakes.
 */
public final class RunReport {

    public static final String FILE = RunOutputs.REPORT;
    /** Misclassified digits shown; enough for patterns to show, small enough to keep the page light. */
    static final int DIGITS_SHOWN = 48;

    private static final String TRAINING = "#2b6cb0";
    private static final String VALIDATION = "#dd6b20";
    private static final String LEARNING_RATE = "#2f855a";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1480px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
            .summary{color:#444;margin:0 0 12px}
            .charts,.evaluation{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}
            .chart,.heatmap{background:#fff;border:1px solid #ddd;border-radius:4px}
            .chart-title{font-size:13px;font-weight:600;fill:#222}.axis-label{font-size:11px;fill:#444}
            table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;text-align:right;border-bottom:1px solid #eee}
            .digits{display:flex;flex-wrap:wrap;gap:10px}
            figure{margin:0;width:112px;text-align:center;font-size:11px;color:#333}
            figure img{width:84px;height:84px;image-rendering:pixelated;display:block;margin:0 auto 2px;border-radius:3px}
            """;

    private RunReport() {
    }

    /** Reads what the run in {@code folder} wrote and writes its report there. */
    public static void write(SparkSession spark, RunFolder folder) {
        try (SparkJobGroup group = SparkJobGroup.start(spark.sparkContext(), "report", "REPORT " + folder.runId())) {
            folder.writeText(FILE, render(RunInspection.read(spark, folder, DIGITS_SHOWN)));
        }
    }

    static String render(RunInspection run) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
                .append("style-src 'unsafe-inline'\">")
                .append("<title>LeNet-5 run ").append(Html.escape(run.runId())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>LeNet-5 run ").append(Html.escape(run.runId())).append("</h1>\n");
        html.append("<p class=\"summary\">").append(Html.escape(summary(run))).append("</p>\n");
        html.append("<p class=\"summary\">").append(Html.escape(dataUsed(run.data()))).append("</p>\n");
        html.append("<section class=\"charts\">").append(charts(run.epochs())).append("</section>\n");
        html.append("<h2>Test evaluation</h2>\n<section class=\"evaluation\">")
                .append(ConfusionHeatMap.render(run.test().confusion()))
                .append(classTable(run.test().classes()))
                .append("</section>\n");
        html.append(mistakes(run));
        return html.append("</body></html>\n").toString();
    }

    private static String summary(RunInspection run) {
        ClassificationReport test = run.test();
        String epochs = run.epochs().size() + (run.epochs().size() == 1 ? " epoch" : " epochs");
        EpochMetrics best = run.epochs().stream()
                .reduce((a, b) -> b.valAccuracy() > a.valAccuracy() ? b : a).orElse(null);
        String bestText = best == null ? "" : String.format(Locale.ROOT,
                "; best validation accuracy %.2f%% after epoch %d", 100 * best.valAccuracy(), best.epoch());
        return String.format(Locale.ROOT, "Test accuracy %.2f%% on %,d images (loss %.4f); %s%s.",
                100 * test.accuracy(), test.examples(), test.loss(), epochs, bestText);
    }

    /** "Data: train 588 of 600 rows used (12 bad rows left out); test all 100 rows used." */
    private static String dataUsed(List<RunInspection.SplitRows> splits) {
        List<String> parts = new ArrayList<>();
        for (RunInspection.SplitRows split : splits) {
            long left = split.read() - split.used();
            parts.add(left == 0
                    ? String.format(Locale.ROOT, "%s all %,d rows used", split.split(), split.read())
                    : String.format(Locale.ROOT, "%s %,d of %,d rows used (%,d bad %s left out)", split.split(),
                            split.used(), split.read(), left, left == 1 ? "row" : "rows"));
        }
        return "Data: " + String.join("; ", parts) + ".";
    }

    private static String charts(List<EpochMetrics> epochs) {
        double[] x = values(epochs, EpochMetrics::epoch);
        return SvgChart.render("Loss per epoch", "epoch", "cross-entropy", List.of(
                        new SvgChart.Series("loss", TRAINING, x, values(epochs, EpochMetrics::loss), false),
                        new SvgChart.Series("val_loss", VALIDATION, x, values(epochs, EpochMetrics::valLoss), false)))
                + SvgChart.render("Validation accuracy per epoch", "epoch", "accuracy", List.of(
                        new SvgChart.Series("val_accuracy", VALIDATION, x, values(epochs, EpochMetrics::valAccuracy), false)))
                + SvgChart.render("Learning rate", "epoch", "learning rate", List.of(
                        new SvgChart.Series("learning_rate", LEARNING_RATE, x, values(epochs, EpochMetrics::learningRate), true)));
    }

    private static double[] values(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> value) {
        return epochs.stream().mapToDouble(value).toArray();
    }

    private static String classTable(List<ClassificationReport.ClassMetrics> classes) {
        StringBuilder table = new StringBuilder(
                "<table class=\"classes\"><thead><tr><th>digit</th><th>support</th><th>precision</th>"
                        + "<th>recall</th><th>F1</th></tr></thead><tbody>");
        for (ClassificationReport.ClassMetrics c : classes) {
            table.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                    c.label(), c.support(), ratio(c.precision()), ratio(c.recall()), ratio(c.f1())));
        }
        return table.append("</tbody></table>").toString();
    }

    private static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a";
    }

    private static String mistakes(RunInspection run) {
        StringBuilder html = new StringBuilder("<h2>Misclassified test digits</h2>\n<p class=\"summary\">");
        if (run.mistakes() == 0) {
            return html.append("Every test image was classified correctly.</p>\n").toString();
        }
        html.append(String.format(Locale.ROOT, "%,d of %,d test images were misclassified", run.mistakes(),
                        run.test().examples()))
                .append(run.shown().size() < run.mistakes()
                        ? "; the " + run.shown().size() + " the network was surest of are shown first."
                        : "; most confident first.")
                .append("</p>\n<div class=\"digits\">");
        for (RunInspection.Mistake m : run.shown()) {
            String caption = String.format(Locale.ROOT, "true %d, predicted %d", m.label(), m.predicted());
            String detail = String.format(Locale.ROOT, "%.0f%% sure, #%d", 100 * m.confidence(), m.id());
            html.append("<figure class=\"digit\"><img src=\"").append(DigitImages.pngDataUri(m.image()))
                    .append("\" width=\"28\" height=\"28\" alt=\"").append(Html.escape("test image " + m.id() + ", " + caption))
                    .append("\"><figcaption>").append(Html.escape(caption)).append("<br>").append(Html.escape(detail))
                    .append("</figcaption></figure>");
        }
        return html.append("</div>\n").toString();
    }
}
