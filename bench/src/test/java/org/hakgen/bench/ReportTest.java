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
