package mediswift4j.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Self-contained SVG charts for the reproduction report: line charts (loss against step or FLOPs, one colour per
 * sparsity), grouped bar charts (speedups) and interval charts (a score per row as a dot with a whisker for its
 * interval, baselines as dashed lines). No scripts, no external fonts; the SVG renders in any browser and on
 * GitHub. Axes get "nice" ticks (1, 2, 5 x 10^k); a log-scale x axis is available for FLOPs.
 */
public final class SvgChart {
    private SvgChart() {}

    /** One line: a name for the legend and its points. */
    public record Series(String name, double[] x, double[] y) {}

    /** One row of an interval chart: its name, the estimate (a dot) and the interval around it (a whisker). */
    public record Interval(String name, double estimate, double low, double high) {}

    /** A value drawn as a dashed line across an interval chart, e.g. a baseline's score. */
    public record Reference(String name, double value) {}

    /** One group of bars, e.g. a sparsity, with one value per category (e.g. counted, predicted, measured). */
    public record BarGroup(String name, double[] values) {}

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int W = 640, H = 420, LEFT = 70, RIGHT = 20, TOP = 60, BOTTOM = 60;

    /** Series with the same name share a colour and one legend entry (e.g. one line per seed of a sparsity). */
    public static String lineChart(String title, String xLabel, String yLabel, List<Series> series, boolean logX) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double x = logX ? Math.log10(s.x()[i]) : s.x()[i];
                if (!Double.isFinite(x) || !Double.isFinite(s.y()[i])) continue;
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
                yMin = Math.min(yMin, s.y()[i]);
                yMax = Math.max(yMax, s.y()[i]);
            }
        }
        if (!(xMax > xMin)) xMax = xMin + 1;
        if (!(yMax > yMin)) yMax = yMin + 1;
        double[] yTicks = niceTicks(yMin, yMax, 6);
        yMin = Math.min(yMin, yTicks[0]);
        yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        StringBuilder sb = header(title);
        Frame f = new Frame(xMin, xMax, yMin, yMax);
        for (double t : yTicks) {
            double py = f.py(t);
            sb.append(line(LEFT, py, W - RIGHT, py, "#e0e0e0"));
            sb.append(text(LEFT - 6, py + 4, fmt(t), "end", 11));
        }
        double[] xTicks = logX ? logTicks(xMin, xMax) : niceTicks(xMin, xMax, 6);
        for (double t : xTicks) {
            if (t < xMin - 1e-9 || t > xMax + 1e-9) continue;
            double px = f.px(t);
            sb.append(line(px, TOP, px, H - BOTTOM, "#f0f0f0"));
            sb.append(text(px, H - BOTTOM + 16, logX ? "1e" + (int) Math.round(t) : fmt(t), "middle", 11));
        }
        axes(sb, xLabel, yLabel);
        List<String> names = new ArrayList<>();
        for (Series s : series) {
            int k = names.indexOf(s.name());
            if (k < 0) {
                k = names.size();
                names.add(s.name());
                legend(sb, k, s.name(), COLORS[k % COLORS.length]);
            }
            String color = COLORS[k % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double x = logX ? Math.log10(s.x()[i]) : s.x()[i];
                if (!Double.isFinite(x) || !Double.isFinite(s.y()[i])) continue;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.px(x), f.py(s.y()[i])));
            }
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"")
                    .append(pts.toString().trim()).append("\"/>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    public static String barChart(String title, String yLabel, String[] categories, List<BarGroup> groups) {
        double yMax = 0;
        for (BarGroup g : groups) for (double v : g.values()) if (Double.isFinite(v)) yMax = Math.max(yMax, v);
        double[] yTicks = niceTicks(0, yMax <= 0 ? 1 : yMax, 6);
        Frame f = new Frame(0, 1, 0, yTicks[yTicks.length - 1]);
        StringBuilder sb = header(title);
        for (double t : yTicks) {
            double py = f.py(t);
            sb.append(line(LEFT, py, W - RIGHT, py, "#e0e0e0"));
            sb.append(text(LEFT - 6, py + 4, fmt(t), "end", 11));
        }
        axes(sb, "", yLabel);
        double plotW = W - LEFT - RIGHT;
        double groupW = plotW / Math.max(1, groups.size());
        double barW = groupW * 0.8 / Math.max(1, categories.length);
        for (int g = 0; g < groups.size(); g++) {
            double gx = LEFT + g * groupW + groupW * 0.1;
            for (int c = 0; c < categories.length; c++) {
                double v = groups.get(g).values()[c];
                if (!Double.isFinite(v)) continue;
                double top = f.py(v), x = gx + c * barW;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                        x, top, barW * 0.9, (H - BOTTOM) - top, COLORS[c % COLORS.length]));
                sb.append(text(x + barW * 0.45, top - 3, fmt(v), "middle", 10));
            }
            sb.append(text(gx + groupW * 0.4, H - BOTTOM + 16, groups.get(g).name(), "middle", 12));
        }
        for (int c = 0; c < categories.length; c++) legend(sb, c, categories[c], COLORS[c % COLORS.length]);
        return sb.append("</svg>\n").toString();
    }

    private static final int NAME_W = 200, ROW_H = 28, REF_H = 16;

    /**
     * Rows top to bottom, each a dot at its estimate with a whisker from low to high; a row with a non-finite
     * estimate shows its name only. References are dashed vertical lines, listed with their values in a legend
     * under the title. The x axis starts at 0 or below and covers every value.
     */
    public static String intervalChart(String title, String xLabel, List<Interval> rows, List<Reference> refs) {
        int top = 40 + REF_H * refs.size(), height = top + ROW_H * Math.max(1, rows.size()) + BOTTOM;
        double xMax = Double.NEGATIVE_INFINITY, xMin = 0;
        for (Interval r : rows) {
            for (double v : new double[] {r.estimate(), r.low(), r.high()}) {
                if (!Double.isFinite(v)) continue;
                xMin = Math.min(xMin, v);
                xMax = Math.max(xMax, v);
            }
        }
        for (Reference r : refs) {
            if (!Double.isFinite(r.value())) continue;
            xMin = Math.min(xMin, r.value());
            xMax = Math.max(xMax, r.value());
        }
        if (!(xMax > xMin)) xMax = xMin + 1;
        double[] ticks = niceTicks(xMin, xMax, 6);
        double lo = ticks[0], hi = ticks[ticks.length - 1];
        double plotL = NAME_W, plotR = W - RIGHT, plotB = height - BOTTOM;
        java.util.function.DoubleUnaryOperator px = x -> plotL + (x - lo) / (hi - lo) * (plotR - plotL);

        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(height)
                .append("\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(text(W / 2.0, 22, title, "middle", 15));
        for (double t : ticks) {
            double x = px.applyAsDouble(t);
            sb.append(line(x, top, x, plotB, "#e0e0e0"));
            sb.append(text(x, plotB + 16, fmt(t), "middle", 11));
        }
        sb.append(line(plotL, plotB, plotR, plotB, "#333"));
        sb.append(text((plotL + plotR) / 2, height - 18, xLabel, "middle", 12));
        for (int k = 0; k < refs.size(); k++) {
            Reference r = refs.get(k);
            String color = COLORS[(k + 1) % COLORS.length];
            double y = 40 + REF_H * k;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>%n",
                    plotL, y - 4, plotL + 24, y - 4, color));
            sb.append(text(plotL + 30, y, r.name() + ": " + fmt(r.value()), "start", 11));
            if (!Double.isFinite(r.value())) continue;
            double x = px.applyAsDouble(r.value());
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"5,4\"/>%n",
                    x, top, x, plotB, color));
        }
        for (int i = 0; i < rows.size(); i++) {
            Interval r = rows.get(i);
            double y = top + ROW_H * (i + 0.5);
            sb.append(text(plotL - 8, y + 4, r.name(), "end", 12));
            if (!Double.isFinite(r.estimate())) {
                sb.append(text(plotL + 6, y + 4, "n/a", "start", 11));
                continue;
            }
            if (Double.isFinite(r.low()) && Double.isFinite(r.high())) {
                double a = px.applyAsDouble(r.low()), b = px.applyAsDouble(r.high());
                sb.append(line(a, y, b, y, "#333")).append(line(a, y - 5, a, y + 5, "#333")).append(line(b, y - 5, b, y + 5, "#333"));
            }
            double x = px.applyAsDouble(r.estimate());
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, COLORS[0]));
            sb.append(text(x, y - 7, fmt(Math.round(r.estimate() * 10) / 10.0), "middle", 10));
        }
        return sb.append("</svg>\n").toString();
    }

    // ------------------------------------------------------------ pieces

    private record Frame(double xMin, double xMax, double yMin, double yMax) {
        double px(double x) {
            return LEFT + (x - xMin) / (xMax - xMin) * (W - LEFT - RIGHT);
        }

        double py(double y) {
            return (H - BOTTOM) - (y - yMin) / (yMax - yMin) * (H - TOP - BOTTOM);
        }
    }

    private static StringBuilder header(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(text(W / 2.0, 22, title, "middle", 15));
        return sb;
    }

    private static void axes(StringBuilder sb, String xLabel, String yLabel) {
        sb.append(line(LEFT, TOP, LEFT, H - BOTTOM, "#333"));
        sb.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#333"));
        sb.append(text((LEFT + W - RIGHT) / 2.0, H - 18, xLabel, "middle", 12));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>\n",
                (TOP + H - BOTTOM) / 2.0, (TOP + H - BOTTOM) / 2.0, escape(yLabel)));
    }

    /** Legend entries in one row between the title and the plot, so they never cover data. */
    private static void legend(StringBuilder sb, int k, String name, String color) {
        double x = LEFT + 150 * k, y = TOP - 14;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>\n", x, y - 4, color));
        sb.append(text(x + 20, y + 2, name, "start", 12));
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x1, y1, x2, y2, color);
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>\n", x, y, size, anchor, escape(s));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Tick values covering [lo, hi] at a step of 1, 2 or 5 times a power of ten. */
    static double[] niceTicks(double lo, double hi, int target) {
        double span = hi - lo;
        double raw = span / Math.max(1, target - 1);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag;
        double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (double t = start; t <= end + step * 1e-9; t += step) ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] logTicks(double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        for (double e = Math.ceil(lo); e <= Math.floor(hi); e++) ticks.add(e);
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return String.valueOf((long) v);
        if (Math.abs(v) >= 1e4 || (v != 0 && Math.abs(v) < 1e-2)) {
            int e = (int) Math.floor(Math.log10(Math.abs(v)));
            String mantissa = String.format(Locale.ROOT, "%.2f", v / Math.pow(10, e)).replaceAll("0+$", "").replaceAll("\\.$", "");
            return mantissa + "e" + e;
        }
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
