package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StateLayoutTest {

    private final StateLayout layout = StateLayout.builder()
            .scalar("x", "mV", 10.0)
            .vector("v", 3, "mV", 5.0)
            .matrix("W", 2, 3, "1", 0.1)
            .input("r", 2, "Hz")
            .build();

    @Test
    void laysOutBlocksContiguouslyInDeclarationOrder() {
        assertEquals(1 + 3 + 6 + 2, layout.dimension());
        assertEquals(0, layout.block("x").offset());
        assertEquals(1, layout.block("v").offset());
        assertEquals(4, layout.block("W").offset());
        assertEquals(10, layout.block("r").offset());
        assertTrue(layout.block("r").input());
    }

    @Test
    void resolvesElementReferencesRowMajor() {
        assertEquals(0, layout.index("x"));
        assertEquals(3, layout.index("v[2]"));
        assertEquals(4 + 1 * 3 + 2, layout.index("W[1, 2]"));
        assertEquals("W[1,2]", layout.variableName(9));
        assertEquals("v[0]", layout.variableName(1));
    }

    @Test
    void scalesAreRepeatedPerElement() {
        assertArrayEquals(new double[] {10, 5, 5, 5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1, 1}, layout.scales());
    }

    @Test
    void unknownNamesAndBadIndicesAreNamedInTheError() {
        final OdeException e = assertThrows(OdeException.class, () -> layout.block("u"));
        assertEquals(ErrorCode.UNKNOWN_VARIABLE, e.code());
        assertTrue(e.getMessage().contains("'u'") && e.getMessage().contains("x, v, W, r"), e.getMessage());
        final OdeException range = assertThrows(OdeException.class, () -> layout.index("v[3]"));
        assertTrue(range.getMessage().contains("index 3") && range.getMessage().contains("'v'"), range.getMessage());
        final OdeException vec = assertThrows(OdeException.class, () -> layout.index("v"));
        assertTrue(vec.getMessage().contains("v[i]"), vec.getMessage());
    }

    @Test
    void rejectsDuplicateNamesBadSizesAndScales() {
        assertThrows(OdeException.class, () -> StateLayout.builder().scalar("a", "1", 1).scalar("a", "1", 1));
        assertThrows(OdeException.class, () -> StateLayout.builder().vector("a", 0, "1", 1));
        final OdeException e = assertThrows(OdeException.class,
                () -> StateLayout.builder().scalar("a", "1", Double.NaN));
        assertTrue(e.getMessage().contains("tolerance scale of 'a'"), e.getMessage());
        assertThrows(OdeException.class, () -> StateLayout.builder().scalar("2a", "1", 1));
    }

    @Test
    void issue12_sizesBeyondOneArrayAreErrors() {
        // 65536 x 65536 wrapped around to 0 elements and 46341 x 46341 to a negative size before
        final OdeException wrapped = assertThrows(OdeException.class,
                () -> StateLayout.builder().matrix("W", 65536, 65536, "1", 1.0));
        assertTrue(wrapped.getMessage().contains("'W'") && wrapped.getMessage().contains("at most 2147483639"),
                wrapped.getMessage());
        assertThrows(OdeException.class, () -> StateLayout.builder().matrix("W", 46341, 46341, "1", 1.0));
        assertThrows(OdeException.class, () -> StateLayout.builder().vector("a", Integer.MAX_VALUE - 9, "1", 1.0)
                .vector("b", 2, "1", 1.0));
    }

    @Test
    void issue12_manyBlocksAreFoundByIndex() {
        // GIVEN 10,000 blocks of sizes 1, 2, 3 and 9 (aligned to 8, leaving padding)
        final StateLayout.Builder b = StateLayout.builder().align(8);
        for (int i = 0; i < 10_000; i++) {
            b.vector("b" + i, new int[] {1, 2, 3, 9}[i % 4], "1", 1.0);
        }
        final StateLayout l = b.build();
        // THEN every element maps to its block, and padding to none
        int padding = 0;
        for (int k = 0; k < l.dimension(); k++) {
            if (l.isPadding(k)) {
                padding++;
                continue;
            }
            final StateLayout.Block blk = l.blockOf(k);
            assertTrue(k >= blk.offset() && k < blk.offset() + blk.size(), k + " in " + blk);
        }
        int sizes = 0;
        for (final StateLayout.Block blk : l.blocks()) {
            sizes += blk.size();
        }
        assertEquals(l.dimension() - sizes, padding);
        assertThrows(OdeException.class, () -> b.vector("b17", 1, "1", 1.0));
    }
}
