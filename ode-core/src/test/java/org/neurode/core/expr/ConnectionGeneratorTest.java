package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.OdeException;
import org.neurode.core.Projection;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.ModelDocument;

/**
 * Connection generators and several synapses per pair (Brian2's {@code connect(j='k for k in range(...) if ...',
 * n=...)}). The expected pairs are Brian2 2.5.1's for the same rules (numpy target, printed S.i and S.j), which
 * involve no random draws and so must agree exactly.
 */
class ConnectionGeneratorTest {

    private static final String HEAD = String.join("\n",
            "model gen",
            "state v[10] = 0",
            "state g[8] = 0",
            "dv/dt = 1 - v",
            "dg/dt = -g",
            "population A 10: v",
            "population B 8: g",
            "threshold v > 0.5 reset v = 0",
            "");

    private static int[][] pairs(final String rule) {
        final ModelDocument doc = ModelFile.document(HEAD + "projection S: A -> B connect " + rule
                + " on_pre g += 1\n", "gen.ode", "gen");
        final Projection p = ModelBuilder.from(doc.model()).build().projections().get(0);
        final int[][] out = new int[2][p.synapses()];
        for (int k = 0; k < p.synapses(); k++) {
            out[0][k] = p.source(k);
            out[1][k] = p.target(k);
        }
        return out;
    }

    @Test
    void aGeneratorWithAConditionAndTwoSynapsesPerPairGivesBrian2sPairs() {
        final int[][] ij = pairs("j = k for k in range(i - 3, i + 4, 2) if k >= 0 and k < N_post n = 2");
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4,
            4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9}, ij[0]);
        assertArrayEquals(new int[] {1, 1, 3, 3, 0, 0, 2, 2, 4, 4, 1, 1, 3, 3, 5, 5, 0, 0, 2, 2, 4, 4, 6, 6, 1, 1, 3, 3,
            5, 5, 7, 7, 2, 2, 4, 4, 6, 6, 3, 3, 5, 5, 7, 7, 4, 4, 6, 6, 5, 5, 7, 7, 6, 6}, ij[1]);
    }

    @Test
    void aGeneratedTargetExpressionAndAMultiplicityPerPairGiveBrian2sPairsInItsOrder() {
        // targets in decreasing order within a source are kept in the generator's order, as Brian2 does
        final int[][] ij = pairs("j = N_post - 1 - k for k in range(3) n = 1 + i - 2 * floor(i / 2)");
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6,
            6, 6, 7, 7, 7, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 9, 9}, ij[0]);
        assertArrayEquals(new int[] {7, 6, 5, 7, 7, 6, 6, 5, 5, 7, 6, 5, 7, 7, 6, 6, 5, 5, 7, 6, 5, 7, 7, 6, 6, 5, 5, 7,
            6, 5, 7, 7, 6, 6, 5, 5, 7, 6, 5, 7, 7, 6, 6, 5, 5}, ij[1]);
    }

    @Test
    void aProbabilityThinsTheGeneratedPairsAndNMultipliesAnyRule() {
        // all 80 pairs twice; the 3 x 8 pairs of sources 0..2 three times; a generator at p = 0.5 keeps about half
        assertEquals(160, pairs("all n = 2")[0].length);
        assertEquals(3 * 8 * 3, pairs("if i < 3 n = 3")[0].length);
        final int full = pairs("j = k for k in range(i - 3, i + 4) if k >= 0 and k < N_post")[0].length;
        final int half = pairs("j = k for k in range(i - 3, i + 4) if k >= 0 and k < N_post p = 0.5")[0].length;
        // 49 pairs at p = 1 (4 + 5 + 6 + 7 + 7 + 6 + 5 + 4 + 3 + 2 neighbours in range); at p = 0.5 a binomial
        // count of mean 24.5 and sd 3.5 (the seed fixes it): within 4 sd
        assertEquals(49, full);
        assertEquals(24.5, half, 4 * 3.5);
    }

    @Test
    void rulesAreWrittenAsTheyAreRead() {
        for (final String rule : new String[] {"j = k for k in range(i - 3, i + 4, 2) if k >= 0 and k < N_post n = 2",
            "j = N_post - 1 - k for k in range(3) n = 1 + i - 2 * floor(i / 2)", "all n = 2", "if i != j p = 0.1 n = 3",
            "j = k for k in range(N_post) p = 0.5"}) {
            final ConnectSpec c = ConnectSpec.parse(rule);
            assertEquals(c, ConnectSpec.parse(c.text()), rule);
        }
        assertEquals("j = k for k in range(i - 3, i + 4, 2) if k >= 0 and k < N_post n = 2",
                ConnectSpec.parse("j = k for k in range(i-3, i+4, 2) if k >= 0 and k < N_post n = 2").text());
    }

    @Test
    void badGeneratorsAreErrorsNamingThePart() {
        final OdeException outside = assertThrows(OdeException.class, () -> pairs("j = k for k in range(i - 1, i + 2)"));
        assertTrue(outside.getMessage().contains("the generator gives the target j = -1.0 for i = 0, k = -1, outside "
                + "the 8 targets (0 to 7); leave it out with a condition: if k >= 0 and k < N_post"),
                outside.getMessage());
        final OdeException arity = assertThrows(OdeException.class, () -> ConnectSpec.parse(
                "j = k for k in range(1, 2, 3, 4)"));
        assertTrue(arity.getMessage().contains("range() of a connection generator takes 1 to 3 arguments"),
                arity.getMessage());
        final OdeException variable = assertThrows(OdeException.class, () -> ConnectSpec.parse(
                "j = i for i in range(3)"));
        assertTrue(variable.getMessage().contains("must be a new identifier (not i, j, N_pre, N_post or t)"),
                variable.getMessage());
        final OdeException extra = assertThrows(OdeException.class, () -> ConnectSpec.parse(
                "j = k for k in range(3) unless k"));
        assertTrue(extra.getMessage().contains("unexpected 'unless k' after range(...)"), extra.getMessage());
        final OdeException n = assertThrows(OdeException.class, () -> pairs("all n = 0.5 + i"));
        assertTrue(n.getMessage().contains("the number of synapses per pair n = 0.5 + i is 0.5 for i = 0, j = 0"),
                n.getMessage());
        final OdeException constant = assertThrows(OdeException.class, () -> ConnectSpec.parse("all n = 1.5"));
        assertTrue(constant.getMessage().contains("n = 1.5 is not a whole number from 0"), constant.getMessage());
    }
}
