package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A model's three kinds of values: the integrated state, the inputs in their own buffer, the parameters. */
class ModelTest {

    /** dx/dt = I - x, written by hand: the input I is read from the equation's own buffer. */
    private static final class Driven implements Equation {
        private final double[] in = new double[1];

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public double[] inputs() {
            return in;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = in[0] - y[0];
        }
    }

    private static Model driven() {
        return Model.of("driven", StateLayout.builder().scalar("x", "1", 1.0).build(),
                StateLayout.builder().input("I", 1, "1").build(), Parameters.empty(), p -> new Driven(),
                new double[] {0.0}, new double[] {2.0}, List.of(), List.of());
    }

    @Test
    void aHandWrittenEquationReadsItsInputsFromItsOwnBuffer() {
        // GIVEN a model with one state and one input of default 2
        final Model m = driven();
        // THEN the state has one element, and each equation gets a buffer of its own filled with the default
        assertEquals(1, m.dimension());
        final Equation a = m.equation();
        final Equation b = m.equation();
        assertNotSame(a.inputs(), b.inputs());
        final double[] f = new double[1];
        a.derivatives(0, new double[] {0.5}, f);
        assertEquals(1.5, f[0]);
        // AND writing one buffer changes that equation only
        a.inputs()[0] = 3.0;
        a.derivatives(0, new double[] {0.5}, f);
        assertEquals(2.5, f[0]);
        b.derivatives(0, new double[] {0.5}, f);
        assertEquals(1.5, f[0]);
        // AND a model with another default fills new buffers with it; the original keeps its own
        final Model m5 = m.withInput("I", 5.0);
        assertArrayEquals(new double[] {5.0}, m5.initialInputs());
        assertEquals(5.0, m5.equation().inputs()[0]);
        assertEquals(2.0, m.equation().inputs()[0]);
        assertEquals("I", m.block("I").name());
        assertTrue(m.block("I").input());
        assertTrue(!m.block("x").input());
    }

    @Test
    void inputsAreRefusedInTheStateLayoutAndByTheWrongName() {
        // a state layout with an input block: inputs are not integrated
        final OdeException inState = assertThrows(OdeException.class, () -> Model.of("m",
                StateLayout.builder().scalar("x", "1", 1.0).input("I", 1, "1").build(), Parameters.empty(),
                p -> new Driven(), new double[2]));
        assertTrue(inState.getMessage().contains("input block 'I'"), inState.getMessage());
        // an equation whose buffer does not fit the input layout
        final Model wrong = Model.of("m", StateLayout.builder().scalar("x", "1", 1.0).build(),
                StateLayout.builder().input("I", 2, "1").build(), Parameters.empty(), p -> new Driven(),
                new double[1], new double[2], List.of(), List.of());
        assertThrows(OdeException.class, wrong::equation);
        // setting a state variable or an unknown name as an input
        final Model m = driven();
        assertTrue(assertThrows(OdeException.class, () -> m.withInput("x", 1.0)).getMessage()
                .contains("state variable"));
        assertThrows(OdeException.class, () -> m.withInput("J", 1.0));
        assertThrows(OdeException.class, () -> m.withInput("I", Double.NaN));
        assertTrue(assertThrows(OdeException.class, () -> m.block("y")).getMessage().contains("x, I"));
        // a schedule of an unknown input names the inputs
        assertTrue(assertThrows(OdeException.class, () -> Problem.of(m, 1.0).withInput(
                InputSchedule.constant("J", 0.0, 1.0))).getMessage().contains("its inputs: I"));
    }
}
