package org.hakgen.bench;

/** The state and set-up the single-threaded slot loops share (fixed, random-mixed, mid). */
final class SlotLoop {
    final Build build;
    final Subject subject;
    final int[] slots;
    final long[] sizes;
    final int mask;

    SlotLoop(String buildName, String api, Workload w, int workset) {
        this.build = Builds.open(buildName);
        FootprintProfiler.measure(build);
        this.subject = build.subject(Build.Api.of(api), workset);
        this.slots = w.slots();
        this.sizes = w.sizes();
        this.mask = w.mask();
        // Every slot starts full, so the first op already frees before it allocates.
        for (int i = 0; i < workset; i++) {
            subject.alloc(i, sizes[i & mask]);
        }
    }

    void close() {
        FootprintProfiler.closing(build);
        subject.freeAll();
        build.close();
    }
}
