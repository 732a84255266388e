package io.lenetspark.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {

    private static final Pattern PATH = Pattern.compile("<g class=\"series\" data-series=\"([^\"]+)\"><path d=\"([^\"]+)\"");

    @Test
    void drawsOnePathPerSeriesThroughEveryPointAndALegend() {
        String svg = SvgChart.render("Loss", "epoch", "loss", List.of(
                new SvgChart.Series("loss", "#00f", new double[]{1, 2, 3}, new double[]{0.9, 0.5, 0.3}, false),
                new SvgChart.Series("val_loss", "#f80", new double[]{1, 2, 3}, new double[]{1.0, 0.6, 0.4}, false)));

        Matcher paths = PATH.matcher(svg);
        assertTrue(paths.find());
        assertEquals("loss", paths.group(1));
        assertEquals(3, paths.group(2).split("[ML]").length - 1, "points of " + paths.group(2));
        assertTrue(paths.find());
        assertEquals("val_loss", paths.group(1));
        assertEquals(6, count(svg, "<circle "), "markers");
        assertTrue(svg.contains(">val_loss</text>"), "legend entry");
        assertTrue(svg.startsWith("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\""), svg);
    }

    @Test
    void keepsEveryPointInsideThePlot() {
        String svg = SvgChart.render("Accuracy", "epoch", "accuracy", List.of(
                new SvgChart.Series("val_accuracy", "#f80", new double[]{1, 2, 3, 4}, new double[]{0.75, 0.97, 0.985, 0.9892}, false)));

        Matcher points = Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"").matcher(svg);
        int found = 0;
        while (points.find()) {
            double x = Double.parseDouble(points.group(1));
            double y = Double.parseDouble(points.group(2));
            assertTrue(x >= 76 && x <= SvgChart.WIDTH - 16, "x " + x);
            assertTrue(y >= 48 && y <= SvgChart.HEIGHT - 44, "y " + y);
            found++;
        }
        assertEquals(4, found);
    }

    @Test
    void drawsStepsForValuesThatHoldUntilTheNextPoint() {
        String svg = SvgChart.render("Learning rate", "epoch", "lr", List.of(
                new SvgChart.Series("learning_rate", "#080", new double[]{1, 2, 3}, new double[]{1e-3, 1e-3, 2e-4}, true)));

        Matcher path = PATH.matcher(svg);
        assertTrue(path.find());
        assertTrue(path.group(2).matches("M[0-9.]+ [0-9.]+( H[0-9.]+ V[0-9.]+)+"), path.group(2));
    }

    @Test
    void leavesOutPointsThatAreNotFiniteAndShowsASinglePoint() {
        String svg = SvgChart.render("Loss", "epoch", "loss", List.of(
                new SvgChart.Series("loss", "#00f", new double[]{1, 2}, new double[]{Double.NaN, 0.5}, false)));

        assertEquals(1, count(svg, "<circle "), svg);
        assertTrue(!svg.contains("NaN"), svg);
    }

    @Test
    void saysSoWhenThereIsNothingToDraw() {
        String svg = SvgChart.render("Loss", "epoch", "loss", List.of(
                new SvgChart.Series("loss", "#00f", new double[0], new double[0], false)));

        assertTrue(svg.contains(">no data</text>"), svg);
    }

    @Test
    void ticksFallOnRoundNumbers() {
        SvgChart.Ticks ticks = SvgChart.Ticks.of(new SvgChart.Range(0.0123, 0.9876), false);
        assertEquals(0.2, ticks.step(), 1e-12);
        assertEquals(0.0, ticks.min(), 1e-12);
        assertEquals(1.0, ticks.max(), 1e-12);
        assertEquals("0.4", ticks.format(0.4));
        assertEquals("0.0002", SvgChart.Ticks.of(new SvgChart.Range(4e-5, 1e-3), false).format(2e-4));
        assertEquals("0.00095", SvgChart.Ticks.of(new SvgChart.Range(1e-3, 1e-3), false).format(9.5e-4));
        assertEquals("2e-07", SvgChart.Ticks.of(new SvgChart.Range(1e-7, 5e-7), false).format(2e-7));
        assertEquals(List.of(1.0, 2.0, 3.0), SvgChart.Ticks.of(new SvgChart.Range(1, 3), true).values(), "few epochs");
        assertEquals(List.of(1.0, 5.0, 10.0), SvgChart.Ticks.of(new SvgChart.Range(1, 12), true).values(),
                "the epoch axis ends at the last epoch");
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), ticks.values().stream().map(ticks::format).toList(),
                "value ticks");
    }

    @Test
    void escapesTitlesAndSeriesNames() {
        String svg = SvgChart.render("a < b", "x", "y", List.of(
                new SvgChart.Series("\"quoted\"", "#00f", new double[]{1}, new double[]{1}, false)));

        assertTrue(svg.contains("a &lt; b"), svg);
        assertTrue(svg.contains("&quot;quoted&quot;"), svg);
        assertTrue(!svg.contains("a < b"), svg);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
