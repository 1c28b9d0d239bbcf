/**
 * hakgen's runtime: the allocator API and the backend every build shares.
 *
 * <h2>Glossary</h2>
 * Sizes are of the generic build's defaults. "OS page" means the kernel's 4 KiB page; this package
 * never says a bare "page".
 * <table>
 * <caption>Nouns, their sizes and owners</caption>
 * <tr><th>noun</th><th>size</th><th>owned by</th><th>what it is</th></tr>
 * <tr><td>block</td><td>its class's size</td><td>the program, or a cache</td><td>what malloc returns</td></tr>
 * <tr><td>class</td><td>8 … 1024 B tiny, 1280 … 32768 B mid</td><td>{@link org.hakgen.runtime.SizeClasses}</td>
 *     <td>a block size; {@code cls} is its index. hakmem's numbering counted a 1-byte header, so its
 *     C2/C3 (16 B / 32 B requests) are our classes of 16 B and 32 B</td></tr>
 * <tr><td>chunk</td><td>2 MiB, 2 MiB aligned</td><td>{@link org.hakgen.runtime.SharedPool}</td>
 *     <td>one mapping from the OS, 32 units of 64 KiB (hakmem's SuperSlab)</td></tr>
 * <tr><td>slab</td><td>64 KiB tiny; mid 64–512 KiB, at least 16 blocks up to 32 KiB</td><td>its class's {@link org.hakgen.runtime.CentralPool}</td>
 *     <td>a run of a chunk's units holding blocks of one class</td></tr>
 * <tr><td>large block</td><td>&gt; 32 KiB, OS pages</td><td>{@link org.hakgen.runtime.LargeMappings}</td>
 *     <td>a mapping of its own, unmapped on free</td></tr>
 * <tr><td>thread cache</td><td>a few KiB of heap</td><td>one thread</td>
 *     <td>{@code ThreadCache} (generic) or a generated front end, on {@link org.hakgen.runtime.FrontEnd}: UltraHot (L0), HeapV2 (L1), thread list (L2)</td></tr>
 * <tr><td>magazine</td><td>4 (UltraHot) or 16 (HeapV2) slots</td><td>a thread cache</td>
 *     <td>a LIFO array of free blocks' addresses</td></tr>
 * <tr><td>slab map</td><td>256 KiB of heap per 4 GiB of address space used</td><td>the backend</td>
 *     <td>{@link org.hakgen.runtime.SlabMap}: address → slab, for the slow paths and error messages</td></tr>
 * <tr><td>slab range</td><td>up to 64 GiB reserved once per process</td><td>{@link org.hakgen.runtime.SlabRange}</td>
 *     <td>where every chunk is mapped; its side tables (a state byte per 8 bytes, a tag per unit) are
 *     the guard of every malloc and free, by arithmetic</td></tr>
 * </table>
 *
 * <h2>Where memory comes from</h2>
 * Blocks come only from chunks and large mappings, which come only from {@code mmap}. The slab
 * range's side tables are mappings of their own ({@code MAP_NORESERVE}: only the parts under chunks in
 * use are ever touched, and a chunk's bytes mapped count its share). Every other piece of bookkeeping —
 * chunks, slabs, the slab map, magazines, list heads — lives on the Java heap, so the allocator never
 * allocates from itself.
 */
package org.hakgen.runtime;
