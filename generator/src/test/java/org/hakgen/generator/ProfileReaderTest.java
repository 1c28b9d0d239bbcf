package org.hakgen.generator;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each rule's message: where, which field, the bad value, what would be valid. */
class ProfileReaderTest {
    static final String GOOD = """
            name: good
            description: a good profile
            classes:
              - { size: 16, share: 0.5 }
              - { size: 32, share: 0.5 }
            workload: { kind: fixed, sizes: [16, 32], workset: 8 }
            """;

    static List<String> problems(String yaml) {
        ProfileException e = assertThrows(ProfileException.class,
                () -> ProfileReader.read("p.yaml", "good", yaml.getBytes()));
        return e.problems().stream().map(ProfileException.Problem::toString).toList();
    }

    @Test
    void aGoodProfileBindsToTheRecord() throws ProfileException {
        Profile p = ProfileReader.read("p.yaml", "good", GOOD.getBytes());
        assertEquals(List.of(new Profile.SizeShare(16, 0.5), new Profile.SizeShare(32, 0.5)), p.classes());
        assertEquals(Profile.Workload.Kind.FIXED, p.workload().kind());
    }

    @Test
    void everyProblemIsReportedWithItsPlace() {
        String yaml = GOOD.replace("size: 32", "size: 12").replace("share: 0.5 }\n  - ", "share: 0.4 }\n  - ")
                + "colour: blue\ndrainInterval: 0\n";
        assertEquals(List.of(
                "p.yaml:5:13: classes[1].size: 12 is not a multiple of 8; valid: multiples of 8 from 8 to 1024 (e.g. 16)",
                "p.yaml:7:1: colour: unknown key 'colour'; valid keys here: name, description, classes, mid, large, layers, drainInterval, predictability, crossThreadFrees, stats, guard, workload",
                "p.yaml:8:16: drainInterval: 0 is not valid; valid: an integer from 1 to 1048576"),
                problems(yaml).stream().sorted().toList());
    }

    @Test
    void sharesMustSumToOne() {
        assertEquals(List.of("p.yaml:4:3: classes: the shares of the classes, mid and large sum to 0.9000; valid: 1 within 1e-03"),
                problems(GOOD.replace("size: 32, share: 0.5", "size: 32, share: 0.4")));
    }

    @Test
    void heapV2ClassSlotsSizeSomeOfItsClassesApart() throws ProfileException {
        Profile p = ProfileReader.read("p.yaml", "good", (GOOD + "layers:\n  heapV2: { classes: [16, 32], slots: 8, classSlots: {32: 2} }\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.util.Map.of(32, 2), p.layers().heapV2().classSlots());
        List<String> problems = problems(GOOD + "layers:\n  heapV2: { classes: [16], classSlots: {32: 2, 16: 0} }\n");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("layers.heapV2.classSlots[32]: '32' is not one of heapV2's classes; valid: one of [16]"),
                problems.toString());
        assertTrue(problems.get(1).contains("layers.heapV2.classSlots[16]: 0 is not valid; valid: an integer from 1 to 256"),
                problems.toString());
        problems = problems(GOOD + "layers:\n  heapV2: { classSlots: {16: 4} }\n");
        assertTrue(problems.toString().contains("layers.heapV2.classSlots: needs heapV2's classes listed"), problems.toString());
    }

    @Test
    void theMidLayersMaxIsAPowerOfTwoFrom32To256KiBAndReachesTheConfig() throws ProfileException {
        Profile p = ProfileReader.read("p.yaml", "good", (GOOD + "layers:\n  mid: { max: 131072 }\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(131072, p.layers().mid().max());
        assertEquals(131072, Planner.plan(p, "0".repeat(64), null, "test").plan().config().midMax());
        assertEquals(32768, Planner.plan(ProfileReader.read("p.yaml", "good", GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "0".repeat(64), null, "test").plan().config().midMax());
        List<String> problems = problems(GOOD + "layers:\n  mid: { max: 100000 }\n");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("layers.mid.max: 100000 is not valid; valid: 32768, 65536, 131072 or 262144"),
                problems.toString());
        problems = problems(GOOD + "layers:\n  mid: { max: 1048576 }\n");
        assertTrue(problems.toString().contains("layers.mid.max: 1048576 is not valid; valid: an integer from 32768 to 262144"),
                problems.toString());
        problems = problems(GOOD + "layers:\n  mid: { size: 4 }\n");
        assertTrue(problems.toString().contains("unknown key 'size'; valid keys here: max"), problems.toString());
    }

    @Test
    void aLayerMustNameAClassOfTheTable() {
        assertEquals(List.of("p.yaml:8:27: layers.heapV2.classes[1]: 48 names a class that does not exist; valid: one of [16, 32]"),
                problems(GOOD + "layers:\n  heapV2: { classes: [16, 48] }\n"));
    }

    @Test
    void sizesMustAscendAndMagazinesStayInRange() {
        assertEquals(List.of(
                "p.yaml:5:13: classes[1].size: 16 does not ascend; valid: a size above 16, the class before it",
                "p.yaml:8:37: layers.ultraHot.slots: 65 is not valid; valid: an integer from 1 to 64"),
                problems(GOOD.replace("size: 32", "size: 16") + "layers:\n  ultraHot: { classes: [16], slots: 65 }\n"));
    }

    @Test
    void theNameMatchesTheFileAndMalformedYamlIsPlaced() {
        assertEquals(List.of("p.yaml:1:7: name: 'other' differs from the file name; valid: 'good' (a profile NAME lives in profiles/NAME.yaml)"),
                problems(GOOD.replace("name: good", "name: other")));
        assertEquals(List.of("p.yaml:2:15: (file): not valid YAML: mapping values are not allowed here"),
                problems("name: good\ndescription: a: b: c\n"));
    }

    /** A file that is not a profile (a trace given as one) is one text to YAML: the message quotes its start, not all of it. */
    @Test
    void aFileThatIsNotAProfileIsQuotedShort() {
        String trace = "= Start\n" + "@ ./a.out:[0x1] + 0x10 0x10\n".repeat(5000);
        List<String> found = problems(trace);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("p.yaml:1:1: (profile): expected a mapping with keys [name, "), found.get(0));
        assertTrue(found.get(0).endsWith(", found '= Start @ ./a.out:[0x1] + 0x10 0x10 @ ./a.out:[0x1] + 0x10 0…' "
                + "(140007 characters)"), found.get(0));
        assertEquals(List.of("p.yaml:1:7: name: 'other' differs from the file name; valid: 'good' (a profile NAME lives in profiles/NAME.yaml)"),
                problems(GOOD.replace("name: good", "name: other")), "a short text is quoted whole");
    }

    @Test
    void workloadKeysMustFitTheKind() {
        assertEquals(List.of("p.yaml:6:55: workload.min: does not apply to kind fixed; valid keys for it: kind, sizes, workset"),
                problems(GOOD.replace("workset: 8 }", "workset: 8, min: 3 }")));
    }
}
