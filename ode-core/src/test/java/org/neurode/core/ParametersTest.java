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
}
