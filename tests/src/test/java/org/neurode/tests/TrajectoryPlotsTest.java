package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.examples.plot.TrajectoryPlots;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/** The trace figure of {@code simulate} stays readable however many variables a model records. */
class TrajectoryPlotsTest {

    @Test
    void issue12_aModelWithManyScalarStatesGetsABoundedNumberOfPanels() {
        // GIVEN 30 recorded scalar states (a model file with 1,000 of them drew 1,000 panels: a 24-MB image, 35 s)
        final ModelBuilder b = ModelBuilder.named("many");
        for (int i = 0; i < 30; i++) {
            final Var x = b.scalar("x" + i, "1");
            b.ode(x, "-x" + i);
            b.initial(x, i);
        }
        final Trajectory tr = Solvers.get("rk4").solve(Problem.of(b.build(), 1.0),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.5)));
        // WHEN the trace panels are drawn
        final List<XYChart> panels = TrajectoryPlots.tracePanels(tr, Map.of());
        // THEN the first MAX_PANELS variables get one, and the first title says so
        assertEquals(TrajectoryPlots.MAX_PANELS, panels.size());
        assertTrue(panels.get(0).getTitle().contains("first 12 of 30 recorded variables"), panels.get(0).getTitle());
        assertEquals("x11", panels.get(TrajectoryPlots.MAX_PANELS - 1).getTitle());
    }
}
