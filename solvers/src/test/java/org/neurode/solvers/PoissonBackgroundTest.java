package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;

/**
 * Poisson backgrounds of large networks: a group whose members share one rate draws only its spikes (geometric gaps
 * between successes of one Bernoulli sequence over members and steps), and a run can leave such events out of its
 * log ({@link SolveOptions#withUnloggedEvents}).
 */
class PoissonBackgroundTest {

    private static final int N = 1000;
    private static final int STEPS = 2000;

    /** N counters g, each counting the spikes of its own background source (one to one). */
    private static Model counters(final String rate) {
        final ModelBuilder b = ModelBuilder.named("background");
        final Var g = b.vector("g", N, "");
        b.ode(g, "0 * g");
        b.population(new PopulationSpec("T", N, List.of("g")));
        b.population(PopulationSpec.poisson("noise", N, rate));
        b.projection(ProjectionSpec.of("C", "noise", "T", ConnectSpec.oneToOne(), "g += 1"));
        return b.build();
    }

    @Test
    void membersOfOneRateFireAsIndependentBernoulliTrials() {
        // GIVEN 1,000 sources at 0.5 per ms (500 Hz), steps of 0.1 ms: p = 0.05 per member and step
        final Trajectory tr = Solvers.get("euler").solve(Problem.of(counters("0.5"), STEPS * 0.1),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.finalOnly()));
        final double p = 0.05;
        // THEN the total is N * steps * p = 100,000 within 5 standard deviations (sd = sqrt(N steps p (1 - p)) = 308)
        final double[] y = tr.finalState();
        double total = 0;
        double sq = 0;
        for (final double c : y) {
            total += c;
            sq += c * c;
        }
        assertEquals(N * STEPS * p, total, 5 * Math.sqrt(N * STEPS * p * (1 - p)));
        // AND the counts per member spread binomially: variance steps p (1 - p) = 95; the sample variance of 1,000
        // counts has a relative standard deviation of about sqrt(2 / 999) = 4.5%: within 20% (4.4 of them)
        final double mean = total / N;
        final double var = (sq - N * mean * mean) / (N - 1);
        assertEquals(STEPS * p * (1 - p), var, 0.2 * STEPS * p * (1 - p));
        // AND the counts per step too (variance N p (1 - p) = 47.5 over 2,000 steps, relative sd 3%: within 20%),
        // with no correlation between neighbouring steps (|r| below 5 / sqrt(2,000) = 0.11)
        final int[] perStep = new int[STEPS];
        final EventLog log = tr.events();
        for (int k = 0; k < log.size(); k++) {
            perStep[(int) Math.round(log.time(k) / 0.1)]++;
        }
        double m = 0;
        for (final int c : perStep) {
            m += c;
        }
        m /= STEPS;
        double v = 0;
        double cov = 0;
        for (int s = 0; s < STEPS; s++) {
            v += (perStep[s] - m) * (perStep[s] - m);
            if (s > 0) {
                cov += (perStep[s] - m) * (perStep[s - 1] - m);
            }
        }
        assertEquals(N * p * (1 - p), v / (STEPS - 1), 0.2 * N * p * (1 - p));
        assertTrue(Math.abs(cov / v) < 0.11, "lag-1 correlation " + cov / v);
    }

    @Test
    void unloggedEventsStillActButAreNotKept() {
        // GIVEN the same model run with and without the background in the log
        final Model m = counters("0.5");
        final SolveOptions o = SolveOptions.fixedStep(0.1).withRecorder(Recorder.finalOnly());
        final Trajectory kept = Solvers.get("euler").solve(Problem.of(m, 50.0), o);
        final Trajectory dropped = Solvers.get("euler").solve(Problem.of(m, 50.0),
                o.withUnloggedEvents(Set.of("noise")));
        // THEN the spikes acted the same (the same draws: the counters agree to the bit)
        assertArrayEquals(kept.finalState(), dropped.finalState(), 0.0);
        assertTrue(kept.events().count("noise") > 20_000, "kept " + kept.events().count("noise"));
        // AND none is in the log of the second run
        assertEquals(0, dropped.events().size());
    }

    @Test
    void anUnknownUnloggedEventIsAnErrorNamingTheEvents() {
        final Model m = counters("0.5");
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("euler").solve(Problem.of(m, 1.0),
                SolveOptions.fixedStep(0.1).withUnloggedEvents(Set.of("nosie"))));
        assertTrue(e.getMessage().contains("unlogged event 'nosie'") && e.getMessage().contains("noise"),
                e.getMessage());
    }
}
