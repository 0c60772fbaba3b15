package org.neurode.solvers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.JacobianPattern;
import org.neurode.core.OdeException;
import org.neurode.solvers.compare.DiffusionChain;

/** The selection rule of {@link LinearAlgebra} on the structures it was measured on. */
class LinearAlgebraSelectionTest {

    /** A pattern from a row-wise generator of column sets. */
    private static JacobianPattern pattern(final int n, final java.util.function.IntFunction<int[]> row) {
        final int[] start = new int[n + 1];
        final java.util.List<Integer> cols = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            final java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
            set.add(i);
            for (final int c : row.apply(i)) {
                if (c >= 0 && c < n) {
                    set.add(c);
                }
            }
            cols.addAll(set);
            start[i + 1] = cols.size();
        }
        return new JacobianPattern(n, start, cols.stream().mapToInt(Integer::intValue).toArray());
    }

    private static JacobianPattern grid(final int m) {
        return pattern(m * m, i -> new int[] {i % m > 0 ? i - 1 : -1, i % m < m - 1 ? i + 1 : -1, i - m, i + m});
    }

    private static JacobianPattern random(final int n, final double density, final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        return pattern(n, i -> {
            final int[] out = new int[n];
            int k = 0;
            for (int c = 0; c < n; c++) {
                if (rng.nextDouble() < density) {
                    out[k++] = c;
                }
            }
            return java.util.Arrays.copyOf(out, k);
        });
    }

    @Test
    void selectsByStructureAsMeasured() {
        assertEquals("dense", LinearAlgebra.storage(null));
        assertEquals("dense", LinearAlgebra.storage(DiffusionChain.tridiagonal(LinearAlgebra.DENSE_BELOW - 1)));
        assertEquals("banded", LinearAlgebra.storage(DiffusionChain.tridiagonal(LinearAlgebra.DENSE_BELOW)));
        assertEquals("banded", LinearAlgebra.storage(DiffusionChain.tridiagonal(100_000)));
        // a full band of half-width 5: banded (measured 2.7 times faster than sparse at n = 1,600); 2-D grids:
        // sparse (at n = 400, kl + ku = 40: 0.14 against 0.19 ms banded)
        assertEquals("banded", LinearAlgebra.storage(pattern(1600, i -> new int[] {i - 5, i - 4, i - 3, i - 2, i - 1,
            i + 1, i + 2, i + 3, i + 4, i + 5})));
        assertEquals("sparse", LinearAlgebra.storage(grid(20)));
        assertEquals("sparse", LinearAlgebra.storage(grid(150)));
        // random patterns: sparse at 2% and n = 200 (measured 0.48 vs 1.2 ms), dense at 10% and n = 200 (3.5 vs
        // 1.2 ms) and at 2% and n = 800 (150 vs 105 ms)
        assertEquals("sparse", LinearAlgebra.storage(random(200, 0.02, 1L)));
        assertEquals("dense", LinearAlgebra.storage(random(200, 0.10, 2L)));
        assertEquals("dense", LinearAlgebra.storage(random(800, 0.02, 3L)));
        assertEquals("dense", LinearAlgebra.storage(JacobianPattern.dense(100)));
        // above the dense limit a dense-ish pattern is refused with the numbers
        final OdeException e = assertThrows(OdeException.class,
                () -> LinearAlgebra.storage(random(2100, 0.11, 4L)));
        assertTrue(e.getMessage().contains("2100 x 2100") && e.getMessage().contains("too dense"),
                e.getMessage());
    }
}
