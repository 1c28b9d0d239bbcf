package org.hakgen.bench;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    static Result r(String workload, String build, String api, double ns, double err) {
        return new Result(workload, build, build + "<&>", api, 1, ns, err, 8, 2 << 20, 3 << 20, !build.equals("malloc"), -1);
    }

    static Report report() {
        return new Report("t", "./hakgen compare", Map.of("JDK", "25"), Map.of("a", "generic", "b", "generic"),
                List.of(r("a", "generic", "allocator", 20, 1), r("a", "out:a", "allocator", 10, 1),
                        r("a", "malloc", "allocator", 15, 0.5), r("b", "generic", "allocator", 30, 3),
                        r("b", "out:a", "allocator", 40, 2)),
                List.of("skipped jemalloc: not installed"));
    }

    @Test
    void ratiosAreTheBaselinesTimeOverTheBuildsWithBothErrors() throws Exception {
        JsonNode root = new ObjectMapper().readTree(report().json());
        JsonNode fast = root.get("results").get(1);
        assertEquals("out:a", fast.get("build").asText());
        assertEquals(2.0, fast.get("speedupOverBaseline").asDouble(), 1e-9);
        assertEquals(2.0 * Math.hypot(0.1, 0.05), fast.get("speedupError").asDouble(), 1e-9);
        assertEquals(0.75, root.get("results").get(4).get("speedupOverBaseline").asDouble(), 1e-9);
        assertEquals(1e8, fast.get("opsPerSecond").asDouble(), 1e-3);
        assertEquals("skipped jemalloc: not installed", root.get("notes").get(0).asText());
    }

    @Test
    void theHtmlIsSelfContainedWithChartsAndAHeatmap() {
        String html = report().html();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(5, html.split("<svg ", -1).length - 1, "a heatmap, and per workload a time chart and a footprint chart");
        assertTrue(html.contains("Every build on every workload"));
        assertTrue(html.contains("out:a&lt;&amp;&gt;"), "labels are escaped");
        assertFalse(html.contains("<script") || html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"));
        assertTrue(html.contains("2.00±0.22"), "the heatmap cell of out:a on a");
        assertTrue(html.contains(">25 ns/op</text>"), "a's times, 10 to 21, on a linear axis to 25: " + html);
        assertFalse(html.contains("logarithmic"), html);
    }

    @Test
    void theBaselineIsNamedAsItsResultIsNotByItsBuildsId() {
        Result generic = new Result("x", "generic:out:x", "generic, configured as x", "allocator", 1, 20, 1, 8, 1, 1, true, -1);
        Result build = new Result("x", "out:x", "x (generated)", "allocator", 1, 10, 1, 8, 1, 1, true, -1);
        Report one = new Report("t", "./hakgen --profile x", Map.of(), Map.of("x", "generic:out:x"),
                List.of(generic, build), List.of());
        assertTrue(one.table().contains("± its error; baseline: generic, configured as x\n"), one.table());
        assertTrue(one.html().contains("the speed-up over <b>generic, configured as x</b> at the right"), one.html());
        assertFalse(one.table().contains("generic:out:x") || one.html().contains("generic:out:x"));
        assertTrue(report().table().contains("baseline: generic<&>, on every workload\n"), report().table());
        Report failed = new Report("t", "./hakgen --profile x", Map.of(), Map.of("x", "generic:out:x"),
                List.of(build), List.of());
        assertTrue(failed.table().contains("baseline: generic:out:x\n"), "a baseline whose trial failed keeps its id");
    }

    @Test
    void timesOverAnOrderOfMagnitudeApartAreChartedOnALogarithmicAxis() {
        Report spread = new Report("t", "./hakgen --profile x --peers", Map.of(), Map.of("x", "generic"),
                List.of(r("x", "generic", "allocator", 84, 2), r("x", "out:x", "allocator", 62.8, 1),
                        r("x", "netty-pooled", "allocator", 782, 40)), List.of());
        String html = spread.html();
        assertTrue(html.contains("on a logarithmic scale (the slowest is over 10× the fastest)"), html);
        for (String tick : List.of(">50</text>", ">100</text>", ">200</text>", ">500</text>", ">1000 ns/op</text>")) {
            assertTrue(html.contains(tick), tick + " in " + html);
        }
    }

    @Test
    void axesEndAtRoundNumbersWithRoundTicks() {
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0, 20.0), Scale.linear(16.93).ticks());
        assertEquals(List.of(0.0, 200.0, 400.0, 600.0, 800.0, 1000.0), Scale.linear(812).ticks());
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5), Scale.linear(2.3).ticks(), "MiB of a footprint chart");
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0, 1.25), Scale.linear(1.2).ticks());
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0), Scale.linear(10).ticks(), "a round top is its own end");
        assertEquals(List.of(50.0, 100.0, 200.0, 500.0, 1000.0), Scale.log(62.8, 822).ticks());
        assertEquals(List.of(5.0, 10.0, 20.0, 50.0, 100.0, 200.0), Scale.log(6.76, 140).ticks(), "main job with --peers");
        assertEquals(List.of(5.0, 10.0, 20.0, 50.0), Scale.log(10, 50).ticks(), "the fastest bar is never empty");
        assertTrue(Scale.log(5.1, 60).fraction(5.1) > 0.05, "nor a sliver: " + Scale.log(5.1, 60));
        assertEquals(List.of(2.0, 10.0, 100.0, 1000.0, 10000.0, 20000.0), Scale.log(3, 12000).ticks(),
                "over 3 decades only the powers of ten are marked, and the ends");
        Scale log = Scale.log(20, 1000);   // 10 to 1000
        assertEquals(0.5, log.fraction(100), 1e-12);
        assertEquals(0, log.fraction(-5), "below the start, e.g. an error bar's low end, is held to it");
        assertEquals(1, log.fraction(5000));
        assertEquals(0, log.fraction(Double.NaN));
        assertEquals(Scale.linear(1), Report.timeScale(List.of(r("x", "generic", "allocator", 0, Double.NaN))),
                "a chart of nothing measurable still draws, on an axis to 1");
        assertEquals(0.5, Scale.linear(812).fraction(500), 1e-12);
        assertEquals("2.5", Scale.label(2.5));
        assertEquals("0.25", Scale.label(0.25));
        assertEquals("1000", Scale.label(1000));
        assertEquals("0", Scale.label(0));
        assertEquals("0.1", Scale.label(0.1));
    }

    @Test
    void theTableHasOneLinePerResultAndSaysWhatTheColumnsMean() {
        String table = report().table();
        assertTrue(table.contains("2.00 ± 0.22"), table);
        assertTrue(table.contains("3.0 MiB*"), "a sampled peak is starred: " + table);
        assertTrue(table.contains("note: skipped jemalloc"), table);
        assertEquals(1 + 5 + 3, table.lines().count(), table);
    }
}
