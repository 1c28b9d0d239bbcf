package org.hakgen.runtime;

/** The generic build's contract and its own tests again, with the guard in seal mode ({@link HakConfig#guardSeal}). */
class SealedGenericAllocatorTest extends GenericAllocatorTest {
    @Override
    protected HakConfig config() {
        return super.config().toBuilder().guardSeal(true).build();
    }
}
