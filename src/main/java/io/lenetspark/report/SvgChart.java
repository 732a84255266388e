package io.lenetspark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: axes with rounded ticks, one path per series (straight lines, or
 * steps for values that hold until the next point, such as a learning rate), a marker on every
 * point so that a one-epoch run still shows, and a legend. Points that are not finite are left out.
 */
final class SvgChart {

    /** One line of the chart; {@code steps} draws it as a staircase. */
    record Series(String name, String color, double[] x, double[] y, boolean steps) {
    }

    static final int WIDTH = 430;
    static final int HEIGHT = 280;
    private static final int LEFT = 76;
    private static final int RIGHT = 16;
    private static final int TOP = 48;
    private static final int BOTTOM = 44;
    private static final int TARGET_TICKS = 5;

    private SvgChart() {
    }

    static String render(String title, String xLabel, String yLabel, List<Series> series) {
        Range x = Range.of(series, true);
        Range y = Range.of(series, false);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        svg.append("<title>").append(Html.escape(title)).append("</title>");
        text(svg, LEFT, 18, "start", "chart-title", title);
        if (x == null || y == null) {
            text(svg, WIDTH / 2.0, HEIGHT / 2.0, "middle", "no-data", "no data");
            return svg.append("</svg>").toString();
        }
        Ticks xTicks = Ticks.of(x, true);
        Ticks yTicks = Ticks.of(y, false);
        axes(svg, xTicks, yTicks, xLabel, yLabel);
        for (Series s : series) {
            line(svg, s, xTicks, yTicks);
        }
        legend(svg, series);
        return svg.append("</svg>").toString();
    }

    private static void axes(StringBuilder svg, Ticks xTicks, Ticks yTicks, String xLabel, String yLabel) {
        double bottom = HEIGHT - BOTTOM;
        svg.append("<g class=\"axes\" font-size=\"11\" fill=\"#444\">");
        for (double v : yTicks.values()) {
            double py = py(v, yTicks);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e2e2e2\"/>", LEFT, py, WIDTH - RIGHT, py));
            text(svg, LEFT - 6, py + 4, "end", "tick", yTicks.format(v));
        }
        for (double v : xTicks.values()) {
            double px = px(v, xTicks);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", px, bottom, px, bottom + 4));
            text(svg, px, bottom + 16, "middle", "tick", xTicks.format(v));
        }
        svg.append(String.format(Locale.ROOT,
                "<path d=\"M%d %d V%.1f H%d\" fill=\"none\" stroke=\"#999\"/>", LEFT, TOP, bottom, WIDTH - RIGHT));
        text(svg, LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 8, "middle", "axis-label", xLabel);
        svg.append(String.format(Locale.ROOT,
                "<text class=\"axis-label\" transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                TOP + (bottom - TOP) / 2, Html.escape(yLabel)));
        svg.append("</g>");
    }

    private static void line(StringBuilder svg, Series s, Ticks xTicks, Ticks yTicks) {
        StringBuilder d = new StringBuilder();
        StringBuilder markers = new StringBuilder();
        double previousY = Double.NaN;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                continue;
            }
            double px = px(s.x()[i], xTicks);
            double py = py(s.y()[i], yTicks);
            if (d.length() == 0) {
                d.append(String.format(Locale.ROOT, "M%.1f %.1f", px, py));
            } else if (s.steps()) {
                d.append(String.format(Locale.ROOT, " H%.1f V%.1f", px, py));
            } else {
                d.append(String.format(Locale.ROOT, " L%.1f %.1f", px, py));
            }
            previousY = py;
            markers.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                    px, py, s.color()));
        }
        if (d.length() == 0) {
            return;
        }
        if (s.steps()) {
            // The last value holds through its epoch: draw it to the right edge of the plot.
            d.append(String.format(Locale.ROOT, " H%.1f V%.1f", (double) WIDTH - RIGHT, previousY));
        }
        svg.append(String.format(Locale.ROOT,
                "<g class=\"series\" data-series=\"%s\"><path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%s</g>",
                Html.escape(s.name()), d, s.color(), markers));
    }

    private static void legend(StringBuilder svg, List<Series> series) {
        double x = WIDTH - RIGHT;
        List<String> items = new ArrayList<>();
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            double width = 26 + 6.5 * s.name().length();
            x -= width;
            items.add(0, String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"30\" stroke=\"%s\" stroke-width=\"2\"/>"
                            + "<text x=\"%.1f\" y=\"34\">%s</text>",
                    x, x + 16, s.color(), x + 20, Html.escape(s.name())));
        }
        svg.append("<g class=\"legend\" font-size=\"11\" fill=\"#333\">").append(String.join("", items)).append("</g>");
    }

    private static double px(double value, Ticks ticks) {
        return LEFT + (value - ticks.min()) / (ticks.max() - ticks.min()) * (WIDTH - LEFT - RIGHT);
    }

    private static double py(double value, Ticks ticks) {
        return HEIGHT - BOTTOM - (value - ticks.min()) / (ticks.max() - ticks.min()) * (HEIGHT - BOTTOM - TOP);
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String cssClass, String text) {
        svg.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                cssClass, x, y, anchor, Html.escape(text)));
    }

    /** The finite data's extent along one axis, or null when there is none. */
    record Range(double min, double max) {

        static Range of(List<Series> series, boolean xAxis) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                        double v = xAxis ? s.x()[i] : s.y()[i];
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            return min > max ? null : new Range(min, max);
        }
    }

    /**
     * Axis bounds and ticks on a 1, 2 or 5 times a power of ten step. The value axis widens to
     * round bounds; the epoch axis spans exactly the epochs run, its first epoch ticked as well.
     */
    record Ticks(double min, double max, double step) {

        static Ticks of(Range range, boolean wholeNumbers) {
            double min = range.min();
            double max = range.max();
            if (max == min) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / TARGET_TICKS);
            if (wholeNumbers) {
                return new Ticks(min, max, Math.max(1, Math.rint(step)));
            }
            return new Ticks(Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step, step);
        }

        static double niceStep(double rough) {
            double power = Math.pow(10, Math.floor(Math.log10(rough)));
            double fraction = rough / power;
            double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
            return nice * power;
        }

        /** The bounds' multiples of the step, and the lower bound itself when it is not one. */
        List<Double> values() {
            List<Double> values = new ArrayList<>();
            long first = (long) Math.ceil(min / step - 1e-9);
            long last = (long) Math.floor(max / step + 1e-9);
            if (first * step - min > step * 1e-9) {
                values.add(min);
            }
            for (long k = first; k <= last; k++) {
                values.add(k * step);
            }
            return values;
        }

        /** Enough decimals to tell ticks apart; scientific notation only for very small steps. */
        String format(double value) {
            int stepExponent = (int) Math.floor(Math.log10(step) + 1e-9);
            if (stepExponent >= -6) {
                return String.format(Locale.ROOT, "%." + Math.max(0, -stepExponent) + "f", value);
            }
            if (Math.abs(value) < step / 2) {
                return "0";
            }
            int valueExponent = (int) Math.floor(Math.log10(Math.max(Math.abs(min), Math.abs(max))));
            return String.format(Locale.ROOT, "%." + Math.max(0, valueExponent - stepExponent) + "e", value);
        }
    }
}
