package io.lenetspark.report;

import java.util.Locale;

/**
 * The confusion matrix as an SVG heat map: one row per true digit, one column per predicted
 * digit. Correct counts (the diagonal) are shaded blue by the share of their row; mistakes red,
 * relative to the largest mistake, so that a few confusions stand out among thousands of hits.
 */
final class ConfusionHeatMap {

    private static final int CELL = 34;
    private static final int MARGIN = 48;

    private ConfusionHeatMap() {
    }

    static String render(long[][] confusion) {
        int classes = confusion.length;
        int size = MARGIN + classes * CELL + 8;
        long largestMistake = 1;
        for (int actual = 0; actual < classes; actual++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                if (actual != predicted) {
                    largestMistake = Math.max(largestMistake, confusion[actual][predicted]);
                }
            }
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Confusion matrix\" font-size=\"11\">",
                size, size, size, size));
        svg.append("<title>Confusion matrix: rows true digit, columns predicted digit</title>");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"12\" text-anchor=\"middle\" fill=\"#333\">predicted</text>", MARGIN + classes * CELL / 2));
        svg.append(String.format(Locale.ROOT,
                "<text transform=\"translate(12 %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">true</text>",
                MARGIN + classes * CELL / 2));
        for (int c = 0; c < classes; c++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d</text>",
                    MARGIN + c * CELL + CELL / 2, MARGIN - 8, c));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%d</text>",
                    MARGIN - 8, MARGIN + c * CELL + CELL / 2 + 4, c));
        }
        for (int actual = 0; actual < classes; actual++) {
            long rowTotal = 0;
            for (long count : confusion[actual]) {
                rowTotal += count;
            }
            for (int predicted = 0; predicted < classes; predicted++) {
                long count = confusion[actual][predicted];
                double shade = actual == predicted
                        ? (rowTotal == 0 ? 0 : (double) count / rowTotal)
                        : (double) count / largestMistake;
                String color = count == 0 ? "#f4f4f4" : actual == predicted ? "#2b6cb0" : "#c53030";
                double opacity = count == 0 ? 1 : 0.15 + 0.85 * shade;
                int x = MARGIN + predicted * CELL;
                int y = MARGIN + actual * CELL;
                svg.append(String.format(Locale.ROOT,
                        "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.3f\" "
                                + "stroke=\"#fff\"><title>true %d, predicted %d: %d</title></rect>",
                        x, y, CELL, CELL, color, opacity, actual, predicted, count));
                if (count > 0) {
                    svg.append(String.format(Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%d</text>",
                            x + CELL / 2, y + CELL / 2 + 4, opacity > 0.55 ? "#fff" : "#222", count));
                }
            }
        }
        return svg.append("</svg>").toString();
    }
}
