package org.hakgen.generator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.hakgen.runtime.HakConfig;

/**
 * Reads a profile: YAML through Jackson, every rule checked with the line and column of the value that
 * breaks it, and only then bound to a {@link Profile}. All problems are collected, not just the first,
 * so {@code hakgen check} can print them together; nothing downstream sees an invalid profile.
 *
 * <p>Jackson's tree does not keep positions, so one pass over the parser's tokens first records where
 * each JSON pointer ({@code /classes/2/size}) starts in the file.
 */
public final class ProfileReader {
    /** How far the shares may sum from 1. */
    public static final double SHARE_TOLERANCE = 1e-3;
    /** Largest request a workload may name: 1 GiB. */
    static final int MAX_REQUEST = 1 << 30;

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT);

    private static final List<String> TOP = List.of("name", "description", "classes", "mid", "large", "layers",
            "drainInterval", "predictability", "crossThreadFrees", "stats", "guard", "workload");
    private static final List<String> STATS = List.of("ultraHot", "heapV2", "threadList", "mid", "guard");

    private ProfileReader() {}

    /**
     * Reads and validates {@code yaml}, naming it {@code displayName} in problems; {@code expectedName},
     * when not null, is the name the profile must carry.
     */
    public static Profile read(String displayName, String expectedName, byte[] yaml) throws ProfileException {
        Map<String, int[]> positions = new HashMap<>();
        JsonNode root;
        try {
            positions = positions(yaml);
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String what = e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
            throw new ProfileException(List.of(new ProfileException.Problem(displayName,
                    at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), "(file)",
                    "not valid YAML: " + what)));
        } catch (IOException e) {
            throw new ProfileException(List.of(new ProfileException.Problem(displayName, 1, 1, "(file)",
                    "cannot be read: " + e.getMessage())));
        }
        Checker checker = new Checker(displayName, positions);
        checker.profile(root, expectedName);
        if (!checker.problems.isEmpty()) {
            throw new ProfileException(checker.problems);
        }
        try {
            return MAPPER.treeToValue(root, Profile.class);
        } catch (JsonProcessingException e) {
            // The checker accepts only what binds; reaching here is a bug in the checker, said as such.
            throw new IllegalStateException("hakgen: profile " + displayName + " passed validation but did not bind: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Suffix of a pointer whose position is its key's rather than its value's. */
    private static final String KEY = "#key";

    /** Where each pointer's value, and each key (pointer + {@link #KEY}), starts: line and column, 1-based. */
    private static Map<String, int[]> positions(byte[] yaml) throws IOException {
        Map<String, int[]> positions = new HashMap<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonLocation at = p.currentTokenLocation();
                String pointer = p.getParsingContext().pathAsPointer().toString();
                if (t == JsonToken.FIELD_NAME) {
                    positions.put(pointer + KEY, new int[] {at.getLineNr(), at.getColumnNr()});
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    positions.putIfAbsent(pointer, new int[] {at.getLineNr(), at.getColumnNr()});
                } else {
                    positions.put(pointer, new int[] {at.getLineNr(), at.getColumnNr()});
                }
            }
        }
        return positions;
    }

    /** Walks the tree once, collecting problems. */
    private static final class Checker {
        final String file;
        final Map<String, int[]> positions;
        final List<ProfileException.Problem> problems = new ArrayList<>();

        Checker(String file, Map<String, int[]> positions) {
            this.file = file;
            this.positions = positions;
        }

        void problem(String pointer, String message) {
            problemAt(pointer, pointer, message);
        }

        /** A problem with {@code pointer}, placed at {@code at} (or the nearest enclosing position known). */
        void problemAt(String at, String pointer, String message) {
            if (!positions.containsKey(at) && at.endsWith(KEY)) {
                at = at.substring(0, at.length() - KEY.length());
            }
            while (!positions.containsKey(at) && !at.isEmpty()) {
                at = at.substring(0, at.lastIndexOf('/'));
            }
            int[] lc = positions.getOrDefault(at, new int[] {1, 1});
            problems.add(new ProfileException.Problem(file, lc[0], lc[1], field(pointer), message));
        }

        /** {@code /classes/2/size} as {@code classes[2].size}. */
        static String field(String pointer) {
            StringBuilder b = new StringBuilder();
            for (String part : pointer.substring(Math.min(1, pointer.length())).split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.chars().allMatch(Character::isDigit)) {
                    b.append('[').append(part).append(']');
                } else {
                    b.append(b.isEmpty() ? "" : ".").append(part);
                }
            }
            return b.isEmpty() ? "(profile)" : b.toString();
        }

        // ---- Shapes -----------------------------------------------------------------------------

        boolean object(JsonNode n, String pointer, List<String> keys) {
            if (!n.isObject()) {
                problem(pointer, "expected a mapping with keys " + keys + ", found " + describe(n));
                return false;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!keys.contains(key)) {
                    problemAt(pointer + "/" + key + KEY, pointer + "/" + key,
                            "unknown key '" + key + "'; valid keys here: " + String.join(", ", keys));
                }
            }
            return true;
        }

        Integer integer(JsonNode parent, String pointer, String key, long min, long max, boolean required) {
            JsonNode n = parent.get(key);
            String at = pointer + "/" + key;
            if (n == null || n.isNull()) {
                if (required) {
                    problem(at, "missing; valid: an integer from " + min + " to " + max);
                }
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
                problem(at, describe(n) + " is not valid; valid: an integer from " + min + " to " + max);
                return null;
            }
            return (int) n.asLong();
        }

        Double share(JsonNode parent, String pointer, String key, boolean required) {
            JsonNode n = parent.get(key);
            String at = pointer + "/" + key;
            if (n == null || n.isNull()) {
                if (required) {
                    problem(at, "missing; valid: a share from 0 to 1");
                }
                return null;
            }
            if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 1 || Double.isNaN(n.asDouble())) {
                problem(at, describe(n) + " is not valid; valid: a share from 0 to 1 (e.g. 0.25)");
                return null;
            }
            return n.asDouble();
        }

        Boolean bool(JsonNode parent, String pointer, String key) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isBoolean()) {
                problem(pointer + "/" + key, describe(n) + " is not valid; valid: true or false");
                return null;
            }
            return n.asBoolean();
        }

        String string(JsonNode parent, String pointer, String key, boolean required) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    problem(pointer + "/" + key, "missing; valid: a string");
                }
                return null;
            }
            if (!n.isTextual()) {
                problem(pointer + "/" + key, describe(n) + " is not valid; valid: a string");
                return null;
            }
            return n.asText();
        }

        String choice(JsonNode parent, String pointer, String key, List<String> valid, boolean required) {
            String s = string(parent, pointer, key, required);
            if (s != null && !valid.contains(s)) {
                problem(pointer + "/" + key, "'" + s + "' is not valid; valid: " + String.join(", ", valid));
                return null;
            }
            return s;
        }

        /** Whether {@code key} is there with a value; {@code key:} with nothing after it is left out. */
        static boolean present(JsonNode parent, String key) {
            JsonNode n = parent.get(key);
            return n != null && !n.isNull() && !(n.isTextual() && n.asText().isEmpty());
        }

        /** The most characters of a text a message quotes. */
        static final int QUOTED = 60;

        /** {@code n} for a message: a text quoted, and cut short when long (a file that is not a profile is one text). */
        static String describe(JsonNode n) {
            if (n.isTextual()) {
                String text = n.asText();
                return text.length() <= QUOTED ? "'" + text + "'"
                        : "'" + text.substring(0, QUOTED) + "…' (" + text.length() + " characters)";
            }
            if (n.isObject()) {
                return "a mapping";
            }
            if (n.isArray()) {
                return "a list";
            }
            return n.toString();
        }

        // ---- The profile ------------------------------------------------------------------------

        void profile(JsonNode root, String expectedName) {
            if (root == null || root.isMissingNode()) {
                problem("", "the file is empty; a profile needs at least name, description, classes and workload");
                return;
            }
            if (!object(root, "", TOP)) {
                return;
            }
            String name = string(root, "", "name", true);
            if (name != null) {
                if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                    problem("/name", "'" + name + "' is not valid; valid: lower-case words of letters and digits "
                            + "joined by '-', starting with a letter (e.g. c2c3-heavy)");
                } else if (expectedName != null && !name.equals(expectedName)) {
                    problem("/name", "'" + name + "' differs from the file name; valid: '" + expectedName
                            + "' (a profile NAME lives in profiles/NAME.yaml)");
                }
            }
            String description = string(root, "", "description", true);
            if (description != null && (description.isBlank() || description.contains("\n"))) {
                problem("/description", "must be one non-empty line");
            }
            List<Integer> sizes = classes(root);
            Double mid = share(root, "", "mid", false);
            Double large = share(root, "", "large", false);
            boolean sharesValid = sizes != null && (mid != null || !root.has("mid")) && (large != null || !root.has("large"));
            if (sharesValid) {
                double sum = (mid == null ? 0 : mid) + (large == null ? 0 : large);
                for (JsonNode c : root.get("classes")) {
                    sum += c.get("share").asDouble();
                }
                if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
                    problem("/classes", String.format(Locale.ROOT, "the shares of the classes, mid and large sum to %.4f; "
                            + "valid: 1 within %.0e", sum, SHARE_TOLERANCE));
                }
            }
            if (present(root, "layers")) {
                layers(root.get("layers"), sizes);
            }
            integer(root, "", "drainInterval", 1, 1 << 20, false);
            share(root, "", "predictability", false);
            share(root, "", "crossThreadFrees", false);
            if (present(root, "stats")) {
                JsonNode stats = root.get("stats");
                if (!stats.isArray()) {
                    problem("/stats", describe(stats) + " is not valid; valid: a list of " + String.join(", ", STATS));
                } else {
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < stats.size(); i++) {
                        JsonNode s = stats.get(i);
                        if (!s.isTextual() || !STATS.contains(s.asText())) {
                            problem("/stats/" + i, describe(s) + " is not a layer; valid: " + String.join(", ", STATS));
                        } else if (!seen.add(s.asText())) {
                            problem("/stats/" + i, "'" + s.asText() + "' is listed twice");
                        }
                    }
                }
            }
            if (present(root, "guard") && object(root.get("guard"), "/guard", List.of("mincore", "log", "seal"))) {
                bool(root.get("guard"), "/guard", "mincore");
                bool(root.get("guard"), "/guard", "log");
                bool(root.get("guard"), "/guard", "seal");
            }
            if (!root.has("workload")) {
                problem("/workload", "missing; valid: a mapping with kind fixed, uniform, trace or larson");
            } else {
                workload(root.get("workload"));
            }
        }

        /** The class table; its sizes when every entry is valid, else null. */
        List<Integer> classes(JsonNode root) {
            JsonNode classes = root.get("classes");
            if (classes == null) {
                problem("/classes", "missing; valid: a list of {size, share}, ascending multiples of 8 up to "
                        + HakConfig.TINY_MAX);
                return null;
            }
            if (!classes.isArray() || classes.isEmpty() || classes.size() > 31) {
                problem("/classes", (classes.isArray() ? "a list of " + classes.size() + " classes" : describe(classes))
                        + " is not valid; valid: a list of 1 to 31 {size, share}");
                return null;
            }
            List<Integer> sizes = new ArrayList<>();
            boolean ok = true;
            int previous = 0;
            for (int i = 0; i < classes.size(); i++) {
                String at = "/classes/" + i;
                JsonNode c = classes.get(i);
                if (!object(c, at, List.of("size", "share"))) {
                    ok = false;
                    continue;
                }
                Integer size = integer(c, at, "size", 8, HakConfig.TINY_MAX, true);
                Double share = share(c, at, "share", true);
                ok &= size != null && share != null;
                if (size != null) {
                    if (size % 8 != 0) {
                        problem(at + "/size", size + " is not a multiple of 8; valid: multiples of 8 from 8 to "
                                + HakConfig.TINY_MAX + " (e.g. " + (size + 7) / 8 * 8 + ")");
                        ok = false;
                    } else if (size <= previous) {
                        problem(at + "/size", size + " does not ascend; valid: a size above " + previous
                                + ", the class before it");
                        ok = false;
                    }
                    previous = Math.max(previous, size);
                    sizes.add(size);
                }
            }
            return ok ? sizes : null;
        }

        void layers(JsonNode layers, List<Integer> sizes) {
            if (!object(layers, "/layers", List.of("ultraHot", "heapV2", "mid"))) {
                return;
            }
            JsonNode u = layers.get("ultraHot");
            if (present(layers, "ultraHot") && object(u, "/layers/ultraHot", List.of("enabled", "classes", "slots"))) {
                bool(u, "/layers/ultraHot", "enabled");
                classList(u, "/layers/ultraHot", sizes, 2);
                integer(u, "/layers/ultraHot", "slots", 1, 64, false);
            }
            JsonNode h = layers.get("heapV2");
            if (present(layers, "heapV2")
                    && object(h, "/layers/heapV2", List.of("enabled", "classes", "slots", "classSlots", "mode"))) {
                bool(h, "/layers/heapV2", "enabled");
                List<Integer> heapClasses = classList(h, "/layers/heapV2", sizes, 31);
                integer(h, "/layers/heapV2", "slots", 1, 256, false);
                classSlots(h, heapClasses);
                choice(h, "/layers/heapV2", "mode", List.of("stealing", "leftover"), false);
            }
            JsonNode m = layers.get("mid");
            if (present(layers, "mid") && object(m, "/layers/mid", List.of("max"))) {
                Integer max = integer(m, "/layers/mid", "max", HakConfig.MID_MAX_DEFAULT, HakConfig.MID_MAX_LIMIT, true);
                if (max != null && !HakConfig.validMidMax(max)) {
                    problem("/layers/mid/max", max + " is not valid; valid: 32768, 65536, 131072 or 262144 (32 to 256 KiB, "
                            + "a power of two)");
                }
            }
        }

        /**
         * HeapV2's {@code classSlots}: a mapping from some of its {@code classes} (which must be listed)
         * to their magazines' slots, 1 to 256.
         */
        void classSlots(JsonNode h, List<Integer> heapClasses) {
            JsonNode m = h.get("classSlots");
            String at = "/layers/heapV2/classSlots";
            if (!present(h, "classSlots")) {
                return;
            }
            if (!m.isObject() || m.isEmpty()) {
                problem(at, describe(m) + " is not valid; valid: a mapping from class size to slots, e.g. {64: 8, 128: 4}");
                return;
            }
            if (heapClasses == null) {
                problem(at, "needs heapV2's classes listed; valid: classSlots for classes named in /layers/heapV2/classes");
                return;
            }
            for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                Integer size = key.matches("[0-9]{1,4}") ? Integer.valueOf(key) : null;
                if (size == null || !heapClasses.contains(size)) {
                    problemAt(at + "/" + key + KEY, at + "/" + key, "'" + key + "' is not one of heapV2's classes; valid: one of "
                            + heapClasses);
                    continue;
                }
                integer(m, at, key, 1, 256, true);
            }
        }

        /** A list of class sizes from the table, at most {@code max}, no repeats; null when absent or invalid. */
        List<Integer> classList(JsonNode parent, String pointer, List<Integer> sizes, int max) {
            JsonNode list = parent.get("classes");
            String at = pointer + "/classes";
            if (list == null) {
                return null;
            }
            if (!list.isArray() || list.isEmpty() || list.size() > max) {
                problem(at, (list.isArray() ? "a list of " + list.size() : describe(list))
                        + " is not valid; valid: a list of 1 to " + max + " class sizes from the table");
                return null;
            }
            List<Integer> classes = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode c = list.get(i);
                if (!c.isIntegralNumber()) {
                    problem(at + "/" + i, describe(c) + " is not a class size; valid: one of " + (sizes == null ? "the classes" : sizes));
                    return null;
                }
                int size = c.asInt();
                if (sizes != null && !sizes.contains(size)) {
                    problem(at + "/" + i, size + " names a class that does not exist; valid: one of " + sizes);
                    return null;
                }
                if (classes.contains(size)) {
                    problem(at + "/" + i, size + " is listed twice");
                    return null;
                }
                classes.add(size);
            }
            return classes;
        }

        void workload(JsonNode w) {
            String at = "/workload";
            if (!object(w, at, List.of("kind", "sizes", "min", "max", "workset", "file", "threads"))) {
                return;
            }
            String kind = choice(w, at, "kind", List.of("fixed", "uniform", "trace", "larson"), true);
            if (kind == null) {
                return;
            }
            List<String> uses = switch (kind) {
                case "fixed" -> List.of("kind", "sizes", "workset");
                case "uniform" -> List.of("kind", "min", "max", "workset");
                case "trace" -> List.of("kind", "file");
                default -> List.of("kind", "min", "max", "workset", "threads");
            };
            for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!uses.contains(key) && List.of("sizes", "min", "max", "workset", "file", "threads").contains(key)) {
                    problemAt(at + "/" + key + KEY, at + "/" + key, "does not apply to kind " + kind + "; valid keys for it: " + String.join(", ", uses));
                }
            }
            switch (kind) {
                case "fixed" -> {
                    JsonNode sizes = w.get("sizes");
                    if (sizes == null || !sizes.isArray() || sizes.isEmpty()) {
                        problem(at + "/sizes", (sizes == null ? "missing" : describe(sizes) + " is not valid")
                                + "; valid: a list of request sizes, e.g. [16, 32]");
                    } else {
                        for (int i = 0; i < sizes.size(); i++) {
                            JsonNode s = sizes.get(i);
                            if (!s.isIntegralNumber() || s.asLong() < 1 || s.asLong() > MAX_REQUEST) {
                                problem(at + "/sizes/" + i, describe(s) + " is not valid; valid: a request size from 1 to " + MAX_REQUEST);
                            }
                        }
                    }
                    integer(w, at, "workset", 1, 1 << 20, true);
                }
                case "uniform", "larson" -> {
                    Integer min = integer(w, at, "min", 1, MAX_REQUEST, true);
                    Integer max = integer(w, at, "max", 1, MAX_REQUEST, true);
                    if (min != null && max != null && min > max) {
                        problem(at + "/max", max + " is below min " + min + "; valid: at least " + min);
                    }
                    integer(w, at, "workset", 1, 1 << 20, true);
                    if (kind.equals("larson")) {
                        integer(w, at, "threads", 2, 64, true);
                    }
                }
                default -> {
                    String file = string(w, at, "file", true);
                    boolean bare = file != null && !file.contains("/");
                    if (file != null && (file.isBlank() || file.contains("..") || !bare && !file.startsWith("/"))) {
                        problem(at + "/file", "'" + file + "' is not valid; valid: a file name in ../shared/traces "
                                + "(e.g. sqlite.mtrace.gz) or an absolute path without '..'");
                    }
                }
            }
        }
    }
}
