package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void withReturnsACopyAndLeavesTheOriginalUnchanged() {
        final Parameters p = Parameters.empty().with("gL", 0.1).with("tau", 10.0);
        final Parameters q = p.withValue("gL", 0.2);
        assertEquals(0.1, p.get("gL"));
        assertEquals(0.2, q.get("gL"));
        assertEquals(List.of("gL", "tau"), q.names());
    }

    @Test
    void unknownAndNonFiniteValuesAreRejectedByName() {
        final Parameters p = Parameters.empty().with("gL", 0.1);
        final OdeException e = assertThrows(OdeException.class, () -> p.get("gA"));
        assertTrue(e.getMessage().contains("'gA'") && e.getMessage().contains("gL"), e.getMessage());
        assertThrows(OdeException.class, () -> p.withValue("gA", 1.0));
        final OdeException nan = assertThrows(OdeException.class, () -> p.with("gL", Double.NaN));
        assertTrue(nan.getMessage().contains("parameter 'gL'"), nan.getMessage());
    }

    @Test
    void issue12_manyParametersAreFoundByName() {
        final java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100_000; i++) {
            values.put("c" + i, (double) i);
        }
        final Parameters p = Parameters.of(values);
        assertEquals(100_000, p.size());
        for (int i = 0; i < 100_000; i += 7) {
            assertEquals(i, p.get("c" + i));
        }
        assertEquals(-1.0, p.withValue("c99999", -1.0).get("c99999"));
        final OdeException e = assertThrows(OdeException.class, () -> p.get("d"));
        assertTrue(e.getMessage().contains("and 99970 more"), e.getMessage());
    }

    @Test
    void arrayParametersAreCopiedCheckedAndReplacedByShape() {
        // GIVEN a scalar and a 2x3 array parameter
        final double[] w = {1, 2, 3, 4, 5, 6};
        final Parameters p = Parameters.empty().with("tau", 10.0).withArray("W", 2, 3, w);
        w[0] = 99;
        // THEN the array was copied, is read as a copy, and has its shape
        assertEquals(1.0, p.array("W")[0]);
        p.array("W")[1] = 99;
        assertEquals(2.0, p.array("W")[1]);
        assertTrue(p.isArray("W"));
        assertEquals(2, p.rows("W"));
        assertEquals(3, p.cols("W"));
        assertEquals(1, p.rows("tau"));
        assertEquals(List.of("tau", "W"), p.names());
        assertEquals(java.util.Map.of("tau", 10.0), p.asMap());
        final double[] into = new double[8];
        p.copyArray("W", into, 2);
        assertEquals(6.0, into[7]);
        // AND replacing keeps the shape: the same number of values, else an error naming the parameter
        final Parameters q = p.withValue("W", new double[] {6, 5, 4, 3, 2, 1});
        assertEquals(6.0, q.array("W")[0]);
        assertEquals(1.0, p.array("W")[0]);
        assertTrue(assertThrows(OdeException.class, () -> p.withValue("W", new double[5])).getMessage()
                .contains("parameter 'W'"));
        assertTrue(assertThrows(OdeException.class, () -> p.withArray("W", 3, 2, w)).getMessage()
                .contains("a 2x3 array"));
        // AND scalars and arrays are not mixed up, and non-finite elements are refused by index
        assertTrue(assertThrows(OdeException.class, () -> p.get("W")).getMessage().contains("'W' is a 2x3 array"));
        assertThrows(OdeException.class, () -> p.array("tau"));
        assertThrows(OdeException.class, () -> p.withValue("tau", new double[] {1}));
        assertThrows(OdeException.class, () -> p.with("W", 1.0));
        assertTrue(assertThrows(OdeException.class, () -> p.withValue("W", new double[] {1, 2, Double.NaN, 4, 5, 6}))
                .getMessage().contains("parameter 'W'[2]"));
        assertEquals(q, p.withValue("W", new double[] {6, 5, 4, 3, 2, 1}));
        assertTrue(!q.equals(p));
    }
}
