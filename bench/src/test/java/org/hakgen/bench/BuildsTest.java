package org.hakgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.hakgen.generated.c2c3heavy.C2c3HeavyAllocator;
import org.hakgen.generator.Profile;
import org.hakgen.generator.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every name a benchmark accepts opens a build that allocates, writes, frees and gives everything back. */
class BuildsTest {

    static Stream<String> hakBuilds() {
        return Stream.concat(Stream.of("generic", "generic:c2c3-heavy", "generic:larson"), Builds.SHIPPED.stream());
    }

    /** Peers that can share a JVM with the others: every native peer but glibc needs a JVM of its own. */
    static Stream<String> inProcessPeers() {
        return Stream.of("malloc", "netty-pooled", "netty-adaptive", "arena");
    }

    @Test
    void everyShippedProfileHasItsCommittedBuild() {
        List<String> expected = Profiles.names().stream().map(n -> n.equals("generic") ? "generic-profile" : n).sorted().toList();
        assertEquals(expected, Builds.SHIPPED.stream().sorted().toList(),
                "Builds.SHIPPED and its switch must name the committed build of every profile in profiles/");
    }

    @ParameterizedTest
    @MethodSource("hakBuilds")
    void hakBuildsRunTheLoopsThroughBothApisAndLeaveNothingInUse(String name) {
        for (Build.Api api : Build.Api.values()) {
            try (HakBuild b = (HakBuild) Builds.open(name)) {
                exercise(b, api);
                Build.Footprint f = b.footprint();
                assertTrue(f.mapped() > 0 && f.peak() >= f.mapped() && f.exactPeak(), f.toString());
                assertEquals(0, ((HakBuild) b).stats().bytesInUse(), name + " " + api + " left blocks in use");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("inProcessPeers")
    void peersRunTheLoopsThroughTheirOnlyApi(String name) {
        try (Build b = Builds.open(name)) {
            exercise(b, Build.Api.ALLOCATOR);
            assertTrue(b.footprint().mapped() >= 0);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> b.subject(Build.Api.HEAP, 1));
            assertTrue(e.getMessage().contains("valid api: allocator"), e.getMessage());
        }
    }

    @Test
    void theMagazinesExperimentKnowsEveryPeer() throws IOException {
        String script = Files.readString(Path.of("experiments/magazines/run.sh"));
        for (String peer : Builds.PEERS) {
            assertTrue(script.contains("peer:" + peer + " |") || script.contains("peer:" + peer + ")"),
                    "bench/experiments/magazines/run.sh checks peer:NAME against its own list, which lacks " + peer);
        }
    }

    @Test
    void genericConfiguredAsABuildHasThatBuildsConfig() {
        assertEquals(C2c3HeavyAllocator.CONFIG, Builds.config("c2c3-heavy"));
    }

    @Test
    void unknownNamesSayWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Builds.open("tcmallok"));
        assertTrue(e.getMessage().contains("no build 'tcmallok'") && e.getMessage().contains("netty-pooled"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Builds.open("generic:nope"));
        assertTrue(e.getMessage().contains("no hakgen build 'nope'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Build.Api.of("handle"));
        assertTrue(e.getMessage().contains("valid: allocator, heap"), e.getMessage());
    }

    @Test
    void aConfinedArenaRefusesLarson() {
        try (Build b = Builds.open("arena")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> b.shareSlots(4));
            assertTrue(e.getMessage().contains("confined arena"), e.getMessage());
        }
    }

    @Test
    void theFloorRunsTheLoopsThroughBothApisAndReusesTheLastBlockFreed() {
        for (Build.Api api : Build.Api.values()) {
            try (FloorBuild b = (FloorBuild) Builds.open(Builds.FLOOR)) {
                exercise(b, api);
                FloorBuild.Lifo lists = b.lists();
                long p = lists.malloc(100), q = lists.malloc(100), r = lists.malloc(24);
                assertEquals(List.of(128L, 128L, 32L), List.of(lists.sizeOf(p), lists.sizeOf(q), lists.sizeOf(r)));
                assertTrue(p != q && Math.abs(p - q) >= 128, "two live blocks overlap: " + p + ", " + q);
                lists.free(q);
                lists.free(p);
                assertEquals(p, lists.malloc(65), "a LIFO hands out the block freed last");
                assertEquals(q, lists.malloc(128));
                assertEquals(8, lists.sizeOf(lists.malloc(0)));
                Build.Footprint f = b.footprint();
                assertTrue(f.mapped() > 0 && f.peak() == f.mapped(), f.toString());
            }
        }
    }

    @Test
    void theFloorRefusesWhatItCannotDo() throws Exception {
        try (FloorBuild b = (FloorBuild) Builds.open(Builds.FLOOR)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> b.lists().malloc(FloorBuild.MAX_SIZE + 1));
            assertTrue(e.getMessage().contains("0 to 65536 bytes"), e.getMessage());
            e = assertThrows(UnsupportedOperationException.class, () -> b.shareSlots(4));
            assertTrue(e.getMessage().contains("one thread only"), e.getMessage());
            Throwable[] other = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    b.subject(Build.Api.HEAP, 1);
                } catch (Throwable x) {
                    other[0] = x;
                }
            });
            t.start();
            t.join();
            assertTrue(other[0] instanceof UnsupportedOperationException, String.valueOf(other[0]));
            Subject s = b.subject(Build.Api.HEAP, 1);
            s.alloc(0, 64);   // still works after the refusals
            s.freeAll();
        }
        Scenario mid = Scenario.of("m", new Profile.Workload(
                Profile.Workload.Kind.UNIFORM, null, 1024, 100_000, 256, null, null));
        assertTrue(mid.refusal(Builds.FLOOR).contains("stop at 65536 B"), mid.refusal(Builds.FLOOR));
    }

    /** The fixed, uniform and Larson loops, a realloc and a calloc in every slot, then everything freed. */
    private static void exercise(Build b, Build.Api api) {
        Workload w = Workload.uniform(1, 40_000, 64);
        boolean larson = !(b instanceof ArenaBuild || b instanceof FloorBuild);
        if (larson) {
            b.shareSlots(32);
        }
        Subject s = b.subject(api, 64);
        for (int i = 0; i < 64; i++) {
            s.alloc(i, w.sizes()[i]);
        }
        for (int k = 0; k < 20_000; k++) {
            int i = k & w.mask();
            s.replace(w.slots()[i], w.sizes()[i]);
            if (larson) {
                s.exchange(k & 31, w.sizes()[i] % 1000 + 8);
            }
        }
        for (int i = 0; i < 64; i++) {
            s.realloc(i, 100 + i * 300);
        }
        for (int i = 0; i < 64; i++) {
            s.free(i);
            s.calloc(i, 1 + i * 700);
        }
        s.freeAll();
        b.freeShared();
    }
}
