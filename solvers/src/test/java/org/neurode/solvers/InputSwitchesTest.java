package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/** The input schedules of a run: forced step points and the writes into the input buffer. */
class InputSwitchesTest {

    private static Model driven() {
        final ModelBuilder b = ModelBuilder.named("driven");
        final Var x = b.scalar("x", "1");
        final Var a = b.input("a", 1, "1");
        b.input("c", 2, "1");
        b.ode(x, "a - x");
        return b.build();
    }

    @Test
    void switchesAreForcedStepPointsAndWriteTheirBlocksInTimeOrder() {
        // GIVEN two schedules on the inputs a (switching at 1 and 3) and c (switching at 2)
        final Model model = driven();
        final double[] u = new double[model.inputLayout().dimension()];
        final InputSwitches switches = new InputSwitches(List.of(
                new InputSchedule("a", new double[] {1.0, 3.0}, new double[][] {{5.0}, {7.0}}),
                InputSchedule.constant("c", 2.0, 8.0, 9.0)), model.inputLayout(), u);
        final int a = model.inputLayout().block("a").offset();
        final int c = model.inputLayout().block("c").offset();
        // WHEN the run starts, THEN nothing is due and the first forced point is the earliest switch
        assertFalse(switches.apply(0.0));
        assertEquals(1.0, switches.next());
        // WHEN the time reaches 1 (within its slack), THEN a switches and the next point is c's
        assertTrue(switches.apply(1.0 - 1e-12));
        assertEquals(5.0, u[a]);
        assertEquals(2.0, switches.next());
        // WHEN the time jumps past both remaining switches, THEN both apply, a's last value winning
        assertTrue(switches.apply(3.5));
        assertEquals(7.0, u[a]);
        assertArrayEquals(new double[] {8.0, 9.0}, new double[] {u[c], u[c + 1]});
        assertEquals(Double.POSITIVE_INFINITY, switches.next());
        assertFalse(switches.apply(10.0));
    }
}
