package org.hakgen.runtime;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HakConfigTest {
    @Test
    void defaultsAreHakmems() {
        HakConfig c = HakConfig.defaults();
        assertEquals(List.of(8, 16, 32, 64, 128, 256, 512, 1024), c.tinyClasses());
        assertEquals(List.of(16, 32), c.ultraHotSizes());
        assertEquals(4, c.ultraHotSlots());
        assertEquals(0xF, c.heapV2ClassMask());
        assertEquals(16, c.heapV2Slots());
        assertEquals(2048, c.drainInterval());
        assertEquals(EnumSet.noneOf(HakConfig.Layer.class), c.stats());
    }

    @Test
    void environmentVariablesAreHonoured() {
        HakConfig c = HakConfig.fromEnvironment(Map.ofEntries(
                Map.entry("HAKMEM_TINY_ULTRA_HOT", "0"),
                Map.entry("HAKMEM_TINY_HEAP_V2", "1"),
                Map.entry("HAKMEM_TINY_HEAP_V2_CLASS_MASK", "0x6"),
                Map.entry("HAKMEM_TINY_HEAP_V2_LEFTOVER_MODE", "1"),
                Map.entry("HAKMEM_TINY_HEAP_V2_STATS", "1"),
                Map.entry("HAKMEM_TINY_ULTRA_HOT_STATS", "1"),
                Map.entry("HAKMEM_TINY_SLL_DRAIN_INTERVAL", "512"),
                Map.entry("HAKMEM_EXTERNAL_GUARD_MINCORE", "1"),
                Map.entry("HAKMEM_EXTERNAL_GUARD_LOG", "1"),
                Map.entry("HAKMEM_EXTERNAL_GUARD_STATS", "1"),
                Map.entry("HAKMEM_MEMORY_LIMIT", "64M"),
                Map.entry("HAKMEM_TINY_CLASSES", "8,16,32,48,64,128"),
                Map.entry("PATH", "/usr/bin")));
        assertEquals(false, c.ultraHot());
        assertEquals(0x6, c.heapV2ClassMask());
        assertEquals(true, c.heapV2Leftover());
        assertEquals(512, c.drainInterval());
        assertEquals(true, c.guardMincore());
        assertEquals(true, c.guardLog());
        assertEquals(64L << 20, c.memoryLimit());
        assertEquals(List.of(8, 16, 32, 48, 64, 128), c.tinyClasses());
        assertEquals(EnumSet.of(HakConfig.Layer.ULTRA_HOT, HakConfig.Layer.HEAP_V2, HakConfig.Layer.GUARD), c.stats());
        assertEquals(EnumSet.allOf(HakConfig.Layer.class), HakConfig.fromEnvironment(Map.of("HAKMEM_STATS", "1")).stats());
    }

    @Test
    void badValuesNameTheVariableAndWhatIsValid() {
        expect("HAKMEM_TINY_ULTRA_HOT=yes is not a flag; valid: 0 or 1", Map.of("HAKMEM_TINY_ULTRA_HOT", "yes"));
        expect("HAKMEM_TINY_SLL_DRAIN_INTERVAL=0 is out of range; valid: 1 to 1048576",
                Map.of("HAKMEM_TINY_SLL_DRAIN_INTERVAL", "0"));
        expect("HAKMEM_TINY_SLL_DRAIN_INTERVAL=lots is not a number; valid: 1 to 1048576",
                Map.of("HAKMEM_TINY_SLL_DRAIN_INTERVAL", "lots"));
        expect("heapV2ClassMask: 0x100 names a class that does not exist; valid: bits 0 to 7 "
                + "(the 8 tiny classes [8, 16, 32, 64, 128, 256, 512, 1024])",
                Map.of("HAKMEM_TINY_HEAP_V2_CLASS_MASK", "0x100"));
        expect("tinyClasses: 12 in [8, 12, 16] is invalid; valid: ascending multiples of 8 from 8 to 1024",
                Map.of("HAKMEM_TINY_CLASSES", "8,12,16"));
        expect("tinyClasses: 16 in [8, 32, 16] is invalid; valid: ascending multiples of 8 from 8 to 1024",
                Map.of("HAKMEM_TINY_CLASSES", "8,32,16"));
        expect("memoryLimit: 1024 bytes is below one chunk; valid: at least 2097152 (2 MiB)",
                Map.of("HAKMEM_MEMORY_LIMIT", "1K"));
        expect("HAKMEM_TINY_ULTRA_HOT_CLASSES=16,2000: '2000' is not a size; valid: sizes in bytes from 1 to 1024 "
                + "separated by commas, e.g. 8,16,32,64", Map.of("HAKMEM_TINY_ULTRA_HOT_CLASSES", "16,2000"));
        expect("HAKMEM_TINY_CLASSES=8,x,16: 'x' is not a size; valid: sizes in bytes from 1 to 1024 separated by commas, "
                + "e.g. 8,16,32,64", Map.of("HAKMEM_TINY_CLASSES", "8,x,16"));
        expect("HAKMEM_TINY_CLASSES=8,16,: '' is not a size; valid: sizes in bytes from 1 to 1024 separated by commas, "
                + "e.g. 8,16,32,64", Map.of("HAKMEM_TINY_CLASSES", "8,16,"));
    }

    @Test
    void midMaxIsAPowerOfTwoFrom32To256KiB() {
        assertEquals(32768, HakConfig.defaults().midMax());
        assertEquals(131072, HakConfig.fromEnvironment(Map.of("HAKMEM_MID_MAX", "128K")).midMax());
        assertEquals(65536, HakConfig.fromEnvironment(Map.of("HAKMEM_MID_MAX", "65536")).midMax());
        expect("HAKMEM_MID_MAX=100K is invalid; valid: 32K, 64K, 128K or 256K", Map.of("HAKMEM_MID_MAX", "100K"));
        expect("HAKMEM_MID_MAX=1M is invalid; valid: 32K, 64K, 128K or 256K", Map.of("HAKMEM_MID_MAX", "1M"));
        expect("HAKMEM_MID_MAX=big is invalid; valid: 32K, 64K, 128K or 256K", Map.of("HAKMEM_MID_MAX", "big"));
        expect("HAKMEM_MEMORY_LIMIT=big is not a byte count; valid: a whole number of bytes from 1, with an optional K, M or G suffix",
                Map.of("HAKMEM_MEMORY_LIMIT", "big"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HakConfig.defaults().toBuilder().midMax(16384).build());
        assertEquals("midMax: 16384 is invalid; valid: 32768, 65536, 131072 or 262144 (32, 64, 128 or 256 KiB)", e.getMessage());
    }

    private static void expect(String message, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HakConfig.fromEnvironment(env));
        assertEquals(message, e.getMessage());
    }

    @Test
    void builderValidates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HakConfig.defaults().toBuilder().ultraHotSlots(0).build());
        assertEquals("ultraHotSlots: 0 is out of range; valid: 1 to 64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HakConfig.defaults().toBuilder()
                .tinyClasses(java.util.List.of(8, 16, 512)).ultraHotSizes(java.util.List.of(16, 600)).build());
        assertEquals("ultraHotSizes: 600 is not a tiny request size; valid: 1 to 512", e.getMessage());
    }

    @Test
    void heapV2ClassSlotsSizeSomeMagazinesApart() {
        HakConfig c = HakConfig.defaults().toBuilder().heapV2ClassSlots(Map.of(32, 2, 64, 200)).build();
        assertEquals(16, c.heapV2SlotsOf(0), "8 B keeps heapV2Slots");
        assertEquals(2, c.heapV2SlotsOf(2));
        assertEquals(200, c.heapV2SlotsOf(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HakConfig.defaults().toBuilder().heapV2ClassSlots(Map.of(128, 4)).build());
        assertEquals("heapV2ClassSlots: 128 B is not a class with a HeapV2 magazine; valid: the classes heapV2ClassMask names",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HakConfig.defaults().toBuilder().heapV2ClassSlots(Map.of(16, 0)).build());
        assertEquals("heapV2ClassSlots of 16 B: 0 is out of range; valid: 1 to 256", e.getMessage());
        assertEquals(Map.of(), c.toBuilder().tinyClasses(java.util.List.of(8, 16, 24, 1024)).build().heapV2ClassSlots(),
                "a new table drops the slots of classes it does not have");
    }
}
