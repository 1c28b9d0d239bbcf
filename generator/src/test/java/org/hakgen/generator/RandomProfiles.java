package org.hakgen.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Random profiles as YAML text: valid ones over every knob, and invalid ones made by breaking one rule. Test helper. */
final class RandomProfiles {
    private RandomProfiles() {}

    static String valid(String name, SplittableRandom r) {
        TreeSet<Integer> set = new TreeSet<>();
        int n = r.nextInt(1, 13);
        while (set.size() < n) {
            set.add(8 * r.nextInt(1, 129));
        }
        List<Integer> sizes = new ArrayList<>(set);
        double[] weights = new double[n + 2];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            double w = r.nextInt(4) == 0 ? 0 : Math.pow(r.nextDouble(), 3);   // skewed: a few hot classes
            weights[i] = i >= n && r.nextInt(3) > 0 ? 0 : w;
            total += weights[i];
        }
        if (total == 0) {
            weights[0] = total = 1;
        }
        StringBuilder y = new StringBuilder();
        y.append("name: ").append(name).append('\n');
        y.append("description: random profile ").append(name).append('\n');
        y.append("classes:\n");
        double sum = 0;
        List<String> shares = new ArrayList<>();
        for (int i = 0; i < n + 2; i++) {
            double s = i == n + 1 ? Math.max(0, 1 - sum) : weights[i] / total;
            s = Math.round(s * 1e6) / 1e6;
            sum += s;
            shares.add(String.format(Locale.ROOT, "%.6f", Math.min(1, s)));
        }
        for (int i = 0; i < n; i++) {
            y.append("  - { size: ").append(sizes.get(i)).append(", share: ").append(shares.get(i)).append(" }\n");
        }
        y.append("mid: ").append(shares.get(n)).append('\n');
        y.append("large: ").append(shares.get(n + 1)).append('\n');
        y.append("layers:\n");
        switch (r.nextInt(3)) {
            case 0 -> { }
            case 1 -> y.append("  ultraHot: { enabled: false }\n");
            default -> y.append("  ultraHot: { classes: ").append(pick(sizes, r, 2)).append(", slots: ")
                    .append(r.nextInt(1, 65)).append(" }\n");
        }
        switch (r.nextInt(3)) {
            case 0 -> { }
            case 1 -> y.append("  heapV2: { enabled: false }\n");
            default -> {
                List<Integer> heap = pick(sizes, r, 6);
                y.append("  heapV2: { classes: ").append(heap).append(", slots: ").append(r.nextInt(1, 257));
                if (r.nextBoolean()) {   // some classes sized apart, as hakgen infer writes them
                    List<String> own = new ArrayList<>();
                    for (int size : heap) {
                        if (r.nextBoolean()) {
                            own.add(size + ": " + r.nextInt(1, 257));
                        }
                    }
                    if (!own.isEmpty()) {
                        y.append(", classSlots: {").append(String.join(", ", own)).append('}');
                    }
                }
                y.append(", mode: ").append(r.nextBoolean() ? "stealing" : "leftover").append(" }\n");
            }
        }
        if (r.nextInt(3) == 0) {
            y.append("  mid: { max: ").append(32768 << r.nextInt(4)).append(" }\n");
        }
        if (r.nextBoolean()) {
            y.append("drainInterval: ").append(r.nextInt(3) == 0 ? r.nextInt(1, 8) : r.nextInt(1, 5000)).append('\n');
        }
        if (r.nextBoolean()) {
            y.append("predictability: ").append(String.format(Locale.ROOT, "%.3f", r.nextDouble())).append('\n');
        }
        if (r.nextBoolean()) {
            y.append("crossThreadFrees: ").append(String.format(Locale.ROOT, "%.3f", r.nextDouble())).append('\n');
        }
        List<String> stats = new ArrayList<>();
        for (String s : List.of("ultraHot", "heapV2", "threadList", "mid", "guard")) {
            if (r.nextBoolean()) {
                stats.add(s);
            }
        }
        y.append("stats: ").append(stats).append('\n');
        y.append("guard: { mincore: ").append(r.nextBoolean()).append(", log: false")
                .append(r.nextBoolean() ? ", seal: " + r.nextBoolean() : "").append(" }\n");
        y.append("workload: { kind: uniform, min: 1, max: 2048, workset: 64 }\n");
        return y.toString();
    }

    private static List<Integer> pick(List<Integer> sizes, SplittableRandom r, int max) {
        List<Integer> copy = new ArrayList<>(sizes);
        List<Integer> picked = new ArrayList<>();
        int k = r.nextInt(1, Math.min(max, sizes.size()) + 1);
        for (int i = 0; i < k; i++) {
            picked.add(copy.remove(r.nextInt(copy.size())));
        }
        return picked;
    }

    /** A valid profile with one rule broken, chosen by {@code r}. */
    static String invalid(String name, SplittableRandom r) {
        String y = valid(name, r);
        return switch (r.nextInt(20)) {
            case 0 -> y + "colour: blue\n";
            case 1 -> y.replaceFirst("share: ([0-9.]+)", "share: 1.5");
            case 2 -> y.replaceFirst("size: (\\d+)", "size: 13");
            case 3 -> y.replaceFirst("size: (\\d+)", "size: 2000");
            case 4 -> y.replace("mid: ", "mid: 0.3").replace("mid: 0.30.", "mid: 0.3");
            case 5 -> y.replace("layers:\n", "layers:\n  heapV2: { classes: [12345] }\n").replaceFirst("  heapV2: \\{ (enabled|classes: \\[[0-9, ]+\\]), .*\n(?=.*heapV2)", "");
            case 6 -> y.replace("layers:\n", "layers:\n  ultraHot: { slots: 0 }\n").replaceFirst("(?m)^  ultraHot: \\{ (?!slots: 0).*\n", "");
            case 7 -> y.replaceFirst("(?m)^drainInterval: \\d+\n", "") + "drainInterval: 0\n";
            case 8 -> y.replace("stats: [", "stats: [sometimes, ");
            case 9 -> y.replace("kind: uniform", "kind: bursty");
            case 10 -> y.replaceFirst("(?m)^name: .*\n", "");
            case 11 -> y.replaceFirst("(?m)^name: .*\n", "name: Not A Name\n");
            case 12 -> y.substring(0, y.length() / 2) + "\n  - {{ [";
            case 13 -> y.replace("min: 1, max: 2048", "min: 4096, max: 2048");
            case 14 -> y.replaceFirst("(?m)^classes:\n", "classes: 17\n").replaceAll("(?m)^  - \\{ size.*\n", "");
            case 16 -> y.replaceFirst("(?m)^predictability: .*\n", "") + "predictability: -0.2\n";
            case 15 -> y.replaceFirst("(?m)^  mid: .*\n", "").replace("layers:\n", "layers:\n  mid: { max: 100000 }\n");
            case 18 -> y.replaceFirst("(?m)^crossThreadFrees: .*\n", "") + "crossThreadFrees: 2\n";
            case 17 -> y.replace("log: false", "log: false, seal: sometimes").replace(", seal: true }", " }").replace(", seal: false }", " }");
            default -> "\u0000\u0001 not yaml at all: [\n";
        };
    }
}
