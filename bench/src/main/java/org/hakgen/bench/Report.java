package org.hakgen.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a run measured, as a table for the terminal, {@code report.json} for programs and a
 * self-contained {@code report.html} (inline SVG charts, no script, no network) for people.
 *
 * @param title     what was run, in a few words
 * @param command   the command line that produced it
 * @param context   JDK, machine, date, JMH effort, workloads: shown as given
 * @param baselines per workload, the build every ratio on it is taken against
 * @param results   every measurement
 * @param notes     peers skipped and why, failed trials
 */
public record Report(String title, String command, Map<String, String> context, Map<String, String> baselines,
                     List<Result> results, List<String> notes) {

    /** The baseline measurement of {@code r}'s workload with the same API, if any. */
    Result baselineOf(Result r) {
        List<Result> runs = baselineRuns(r.workload());
        for (Result b : runs) {
            if (b.api().equals(r.api())) {
                return b;
            }
        }
        for (Result b : runs) {   // peers have no heap API: compare them with the baseline's allocator API
            if (b.api().equals("allocator")) {
                return b;
            }
        }
        return null;
    }

    /** The measurements of {@code workload}'s baseline build, through each API it ran. */
    private List<Result> baselineRuns(String workload) {
        String base = baselines.get(workload);
        return results.stream().filter(b -> b.workload().equals(workload) && b.build().equals(base)).toList();
    }

    /**
     * How the reports name each workload's baseline: the label of its result ("generic, configured as
     * c2c3-heavy"), or its build's id where it has no result (its trial failed).
     */
    Map<String, String> baselineNameByWorkload() {
        Map<String, String> names = new LinkedHashMap<>();
        baselines.forEach((w, base) -> names.put(w,
                baselineRuns(w).stream().map(Result::label).findFirst().orElse(base)));
        return names;
    }

    /** The baselines in words: one name when every workload has the same, else each workload's. */
    String baselineNames() {
        Map<String, String> byWorkload = baselineNameByWorkload();
        LinkedHashSet<String> names = new LinkedHashSet<>(byWorkload.values());
        if (names.size() == 1) {
            return names.getFirst() + (byWorkload.size() > 1 ? ", on every workload" : "");
        }
        return String.join("; ", byWorkload.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    /** The table printed at the end of a run. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s %-34s %-9s %12s %9s %8s %16s %10s %10s%n", "workload", "build", "api",
                "ops/s", "ns/op", "± ns", "× baseline", "mapped", "peak"));
        for (Result r : results) {
            Result base = baselineOf(r);
            String ratio = base == null ? "-" : ratio(r.speedupOver(base));
            sb.append(String.format(Locale.ROOT, "%-14s %-34s %-9s %12s %9.2f %8.2f %16s %10s %10s%n", r.workload(),
                    r.label(), r.api(), si(r.opsPerSecond()), r.ns(), r.error(), ratio, bytes(r.mapped()),
                    bytes(r.peak()) + (r.peakExact() ? "" : "*")));
        }
        sb.append("× baseline: the baseline's ns/op over this build's (higher is faster), ± its error; baseline: ")
                .append(baselineNames()).append('\n');
        sb.append("mapped: bytes held from the OS at iteration ends; peak: the most at any time (* = most seen at "
                + "iteration ends; the allocator keeps no high-water mark)\n");
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    static String ratio(double[] r) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", r[0], r[1]);
    }

    static String si(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1f M", v / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String bytes(long b) {
        if (b < 0) {
            return "n/a";
        }
        if (b >= 1 << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1 << 30));
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
        }
        return b + " B";
    }

    /** Writes {@code report.json} and {@code report.html} into {@code dir}; returns both paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("report.json"), html = dir.resolve("report.html");
        Files.writeString(json, json(), StandardCharsets.UTF_8);
        Files.writeString(html, html(), StandardCharsets.UTF_8);
        return List.of(json, html);
    }

    /** The report as JSON: the context, and per result its figures and its ratio to the baseline. */
    public String json() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("command", command);
        root.put("context", context);
        root.put("baselines", baselines);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", r.workload());
            m.put("build", r.build());
            m.put("label", r.label());
            m.put("api", r.api());
            m.put("threads", r.threads());
            m.put("nsPerOp", r.ns());
            m.put("nsPerOpError", r.error());
            m.put("opsPerSecond", r.opsPerSecond());
            m.put("samples", r.samples());
            Result base = baselineOf(r);
            if (base != null) {
                double[] x = r.speedupOver(base);
                m.put("speedupOverBaseline", x[0]);
                m.put("speedupError", x[1]);
            }
            m.put("bytesMapped", r.mapped());
            m.put("peakBytesMapped", r.peak());
            m.put("peakIsExact", r.peakExact());
            rows.add(m);
        }
        root.put("results", rows);
        root.put("notes", notes);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    // ---- HTML -------------------------------------------------------------------------------------

    /** A self-contained page: context, table, one bar chart per workload, and the heatmap when there are several. */
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
                        + "text-align:right}td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}"
                        + "code{background:#f4f4f4;padding:1px 4px}svg text{font:12px system-ui,sans-serif}"
                        + "h2{margin-top:1.6em}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p><code>").append(esc(command)).append("</code></p>\n<table>");
        context.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td style=\"text-align:left\">")
                .append(esc(v)).append("</td></tr>"));
        h.append("</table>\n");
        List<String> workloads = new ArrayList<>(new LinkedHashSet<>(results.stream().map(Result::workload).toList()));
        Map<String, String> baselineNames = baselineNameByWorkload();
        if (workloads.size() > 1) {
            h.append("<h2>Every build on every workload</h2>\n<p>Each cell is the build's speed-up over <b>")
                    .append(esc(String.join(", ", new LinkedHashSet<>(baselineNames.values()))))
                    .append("</b> on that workload (its ns/op over the build's; green is faster, red slower), "
                            + "through <code>allocator</code>.</p>\n");
            h.append(heatmap(workloads));
        }
        for (String w : workloads) {
            List<Result> rs = results.stream().filter(r -> r.workload().equals(w)).toList();
            h.append("<h2>Workload ").append(esc(w)).append("</h2>\n");
            Scale time = timeScale(rs);
            h.append("<p>Time per op (lower is better), with JMH's 99.9% error bars")
                    .append(time.log() ? ", on a logarithmic scale (the slowest is over 10× the fastest)" : "")
                    .append("; the speed-up over <b>").append(esc(baselineNames.getOrDefault(w, "-"))).append("</b> at the right.</p>\n");
            h.append(bars(rs, time));
            h.append("<p>Footprint: bytes held from the OS (bar: at iteration ends; tick: peak).</p>\n");
            h.append(footprint(rs));
        }
        h.append("<h2>All figures</h2>\n<table><tr><th>workload</th><th>build</th><th>api</th><th>ops/s</th><th>ns/op</th>"
                + "<th>± ns</th><th>× baseline</th><th>mapped</th><th>peak</th></tr>\n");
        for (Result r : results) {
            Result base = baselineOf(r);
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.2f</td><td>%.2f</td>"
                            + "<td>%s</td><td>%s</td><td>%s</td></tr>%n", esc(r.workload()), esc(r.label()), r.api(),
                    si(r.opsPerSecond()), r.ns(), r.error(), base == null ? "-" : ratio(r.speedupOver(base)),
                    bytes(r.mapped()), bytes(r.peak()) + (r.peakExact() ? "" : "*")));
        }
        h.append("</table>\n<p>* the most seen at iteration ends: that allocator keeps no high-water mark.</p>\n");
        if (!notes.isEmpty()) {
            h.append("<h2>Notes</h2><ul>");
            notes.forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** The time scale of {@code rs}'s chart: logarithmic when the slowest is over 10× the fastest, else linear from 0. */
    static Scale timeScale(List<Result> rs) {
        double fastest = rs.stream().mapToDouble(Result::ns).filter(v -> v > 0).min().orElse(1);
        double slowest = rs.stream().mapToDouble(r -> r.ns() + r.error()).filter(Double::isFinite).max().orElse(1);
        return slowest > 10 * fastest ? Scale.log(fastest, slowest) : Scale.linear(slowest > 0 ? slowest : 1);
    }

    private String bars(List<Result> rs, Scale scale) {
        int rowH = 26, left = 300, plotW = 520, right = 150, top = 10;
        int height = top + rs.size() * rowH + 30;
        StringBuilder s = new StringBuilder(svgOpen(left + plotW + right, height));
        axis(s, left, plotW, top + rs.size() * rowH, scale, "ns/op");
        int y = top;
        for (Result r : rs) {
            String fill = r.build().equals(Builds.FLOOR) ? "#5a9e5f" : Builds.PEERS.contains(r.build()) ? "#d99b45"
                    : r.build().startsWith("generic") ? "#9aa7b8" : "#2f7ed8";
            double w = scale.fraction(r.ns()) * plotW;
            s.append(text(left - 8, y + 17, "end", r.label() + " · " + r.api()));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>", left,
                    y + 4, w, fill));
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
                    left + scale.fraction(r.ns() - r.error()) * plotW, left + scale.fraction(r.ns() + r.error()) * plotW,
                    y + 13, y + 13));
            Result base = baselineOf(r);
            String label = String.format(Locale.ROOT, "%.2f ns", r.ns())
                    + (base == null ? "" : "  ×" + String.format(Locale.ROOT, "%.2f", r.speedupOver(base)[0]));
            s.append(text(left + plotW + 6, y + 17, "start", label));
            y += rowH;
        }
        return s.append("</svg>\n").toString();
    }

    private String footprint(List<Result> rs) {
        int rowH = 22, left = 300, plotW = 520, right = 150, top = 10;
        double mib = 1 << 20;
        Scale scale = Scale.linear(Math.max(1, rs.stream().mapToDouble(r -> Math.max(r.mapped(), r.peak())).max().orElse(1)) / mib);
        StringBuilder s = new StringBuilder(svgOpen(left + plotW + right, top + rs.size() * rowH + 30));
        axis(s, left, plotW, top + rs.size() * rowH, scale, "MiB");
        int y = top;
        for (Result r : rs) {
            double w = scale.fraction(r.mapped() / mib) * plotW, p = scale.fraction(r.peak() / mib) * plotW;
            s.append(text(left - 8, y + 15, "end", r.label() + " · " + r.api()));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"#7fb77e\"/>",
                    left, y + 4, w));
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#c0392b\" "
                    + "stroke-width=\"3\"/>", left + p, left + p, y + 2, y + 20));
            s.append(text(left + plotW + 6, y + 15, "start", bytes(r.mapped()) + " / " + bytes(r.peak())
                    + (r.peakExact() ? "" : "*")));
            y += rowH;
        }
        return s.append("</svg>\n").toString();
    }

    private String heatmap(List<String> workloads) {
        List<String> builds = new ArrayList<>(new LinkedHashSet<>(results.stream().filter(r -> r.api().equals("allocator"))
                .map(Result::label).toList()));
        int cellW = 120, cellH = 30, left = 300, top = 40;
        StringBuilder s = new StringBuilder(svgOpen(left + workloads.size() * cellW + 20, top + builds.size() * cellH + 10));
        for (int c = 0; c < workloads.size(); c++) {
            s.append(text(left + c * cellW + cellW / 2, top - 10, "middle", workloads.get(c)));
        }
        for (int row = 0; row < builds.size(); row++) {
            String b = builds.get(row);
            int y = top + row * cellH;
            s.append(text(left - 8, y + 20, "end", b));
            for (int c = 0; c < workloads.size(); c++) {
                String w = workloads.get(c);
                Result r = results.stream().filter(x -> x.label().equals(b) && x.workload().equals(w)
                        && x.api().equals("allocator")).findFirst().orElse(null);
                Result base = r == null ? null : baselineOf(r);
                String fill = "#eee", label = "-";
                if (r != null && base != null) {
                    double[] x = r.speedupOver(base);
                    fill = color(x[0]);
                    label = String.format(Locale.ROOT, "%.2f±%.2f", x[0], x[1]);
                }
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                        + "stroke=\"#fff\"/>", left + c * cellW, y, cellW, cellH, fill));
                s.append(text(left + c * cellW + cellW / 2, y + 20, "middle", label));
            }
        }
        return s.append("</svg>\n").toString();
    }

    /** White at 1×, greener to 2× and beyond, redder down to 0.5× and below. */
    static String color(double ratio) {
        double t = Math.max(-1, Math.min(1, Math.log(ratio) / Math.log(2)));
        int r, g, b;
        if (t >= 0) {
            r = (int) (255 - t * 150);
            g = (int) (255 - t * 55);
            b = (int) (255 - t * 150);
        } else {
            r = (int) (255 + t * 35);
            g = (int) (255 + t * 140);
            b = (int) (255 + t * 140);
        }
        return String.format("#%02x%02x%02x", r, g, b);
    }

    private static void axis(StringBuilder s, int left, int width, int y, Scale scale, String unit) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#888\"/>", left,
                left + width, y, y));
        List<Double> ticks = scale.ticks();
        for (int k = 0; k < ticks.size(); k++) {
            double x = left + scale.fraction(ticks.get(k)) * width;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#888\"/>", x, x,
                    y, y + 4));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, y + 17,
                    esc(Scale.label(ticks.get(k)) + (k == ticks.size() - 1 ? " " + unit : ""))));
        }
    }

    private static String svgOpen(int w, int h) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w
                + " " + h + "\" role=\"img\">";
    }

    private static String text(int x, int y, String anchor, String t) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + esc(t) + "</text>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
