package mediswift4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SvgChartTest {
    @Test
    void lineChartHasOnePolylinePerSeriesAndEscapesText() {
        String svg = SvgChart.lineChart("loss <dense & sparse>", "step", "loss", List.of(
                new SvgChart.Series("dense", new double[] {0, 1, 2}, new double[] {5, 4, 3}),
                new SvgChart.Series("75%", new double[] {0, 1, 2}, new double[] {5, 4.5, 3.5})), false);
        assertTrue(svg.startsWith("<svg"));
        assertEquals(2, svg.split("<polyline").length - 1);
        assertTrue(svg.contains("loss &lt;dense &amp; sparse&gt;"));
    }

    @Test
    void niceTicksCoverTheRangeWithRoundSteps() {
        double[] t = SvgChart.niceTicks(0.3, 9.7, 6);
        assertTrue(t[0] <= 0.3 && t[t.length - 1] >= 9.7);
        assertEquals(2.0, t[1] - t[0], 1e-12);
    }

    @Test
    void barChartDrawsABarPerValue() {
        String svg = SvgChart.barChart("speedup", "x", new String[] {"counted", "measured"},
                List.of(new SvgChart.BarGroup("50%", new double[] {1.6, 1.2}), new SvgChart.BarGroup("75%", new double[] {2.3, 1.9})));
        assertEquals(4 + 2, svg.split("<rect").length - 1 - 1); // 4 bars + 2 legend swatches (+1 background)
    }

    @Test
    void linesWithTheSameNameShareAColourAndOneLegendEntry() {
        String svg = SvgChart.lineChart("loss", "step", "loss", List.of(
                new SvgChart.Series("dense", new double[] {0, 1}, new double[] {5, 4}),
                new SvgChart.Series("dense", new double[] {0, 1}, new double[] {5, 4.2}),
                new SvgChart.Series("75%", new double[] {0, 1}, new double[] {5, 4.5})), false);
        assertEquals(3, svg.split("<polyline").length - 1);
        assertEquals(1, svg.split(">dense</text>").length - 1);
        assertEquals(2, svg.split("stroke=\"#1f77b4\" points").length - 1);
    }

    @Test
    void intervalChartDrawsADotAndWhiskerPerRowAndDashedReferences() {
        String svg = SvgChart.intervalChart("accuracy <test>", "%", List.of(
                new SvgChart.Interval("dense / dense", 58, 53, 63),
                new SvgChart.Interval("75% / dense", 61, 56, 66),
                new SvgChart.Interval("not run", Double.NaN, Double.NaN, Double.NaN)),
                List.of(new SvgChart.Reference("always 'yes'", 55.2)));
        assertEquals(2, svg.split("<circle").length - 1);
        assertEquals(2, svg.split("stroke-dasharray").length - 1); // the reference line and its legend swatch
        assertTrue(svg.contains("accuracy &lt;test&gt;") && svg.contains(">n/a</text>") && svg.contains("always 'yes': 55.2"));
        assertTrue(svg.endsWith("</svg>\n"));
    }
}
