package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelFile;
import org.neurode.solvers.compare.IvpProblem;

/**
 * Every registered solver names the variable and the time of the first non-finite derivative or state:
 * \( y' = \sqrt{1 - t} \) on [0, 2] has a NaN derivative for every t &gt; 1.
 */
class NonFiniteDerivativeReportTest {

    /** The fixed step of the fixed-step methods. */
    private static final double DT = 0.01;

    static Stream<String> solvers() {
        return Solvers.names().stream();
    }

    /**
     * The run is advanced in segments of 0.02 with samples every 0.01, as the {@code simulate} command does,
     * and in one go (where Radau IIA's trial steps had stopped crossing t = 1 before the step underflowed, so
     * that it forgot the NaN derivative it had seen and named no cause):
     * each segment restarts Hipparchus, whose starting-step estimate evaluates the derivative one trial step
     * ahead and was NaN from t = 0.98 on; the Hipparchus-backed adaptive solvers then reported "step NaN" and
     * "the derivative of y was NaN at t = NaN" at t = 0.98 (and the own Radau solver named neither variable nor
     * time, the own explicit and Rosenbrock ones no time). Asserted: the message names y and a time within
     * 1e-6 of t = 1 for the adaptive methods (they shrink the step towards the singularity; measured at most
     * 1e-12 after it), and within two steps from t = 1 for the fixed-step ones (the first stage past t = 1 makes the
     * state at the end of that step NaN).
     */
    @ParameterizedTest
    @MethodSource("solvers")
    void issue12_everySolverNamesTheVariableAndTimeOfTheFirstNonFiniteDerivative(final String name) {
        // GIVEN y' = sqrt(1 - t) as a model file (so that the exponential methods get their linear part)
        final ModelFile file = ModelFile.parse("model sqrt\nstate y = 0\ndy/dt = sqrt(1 - t)\ntime 0 2\n",
                "sqrt.ode", "sqrt");
        final Problem problem = IvpProblem.from(file, "sqrt.ode").problem();
        final Solver solver = Solvers.get(name);
        SolveOptions options = SolveOptions.defaults().withRecorder(Recorder.every(0.01)).withFailFast(false);
        if (!solver.info().adaptive()) {
            options = options.withStep(DT);
        }
        // WHEN advancing it past t = 1 in segments, and in one go
        for (final double segment : new double[] {0.02, 2.0}) {
            final Simulation simulation = solver.start(problem, options);
            for (int k = 1; k <= Math.round(2.0 / segment) && simulation.status() == Status.SUCCESS; k++) {
                simulation.advanceTo(segment * k);
            }
            check(name, solver, simulation.finish());
        }
    }

    private static void check(final String name, final Solver solver, final Trajectory tr) {
        // THEN it fails, naming y and the time where its derivative (or state) stopped being finite
        assertEquals(Status.FAILED, tr.status(), tr.message());
        final Matcher m = Pattern.compile("(the derivative of y was|y became) (NaN|-?Infinity) at t = ([-+0-9.Ee]+)")
                .matcher(tr.message());
        assertTrue(m.find(), name + ": " + tr.message());
        final double at = Double.parseDouble(m.group(3));
        if (solver.info().adaptive()) {
            assertTrue(Math.abs(at - 1.0) <= 1e-6, name + ": " + tr.message());
        } else {
            assertTrue(at >= 1.0 && at <= 1.0 + 2 * DT + 1e-9, name + ": " + tr.message());
        }
    }
}
