package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.expr.ModelFile;

/**
 * What a learning driver does between stretches of a run: replace synapse weights ({@link
 * Simulation#setSynapseValues}), forget the event log ({@link Simulation#clearEvents}) and restart the generators
 * of stochastic events ({@link Simulation#reseedNoise}).
 */
class DriverControlTest {

    /** 50 stochastic inputs (rate 0.1 per ms) onto 3 targets, all to all; v counts the weighted input spikes. */
    private static final String NET = String.join("\n", "model net", "state c[50] = 0", "dc/dt = 0 * c",
            "population In 50: c", "event fire: rand() < 0.1 * dt reset c += 1", "state v[3] = 0", "dv/dt = 0 * v",
            "population Out 3: v", "projection S: In -> Out on fire connect all on_pre v += w", "synapse S.w = 1");

    private static Simulation start() {
        final Model m = ModelFile.parse(NET, "net.ode", "net").model();
        return Solvers.get("euler").start(Problem.of(m, 1e9), SolveOptions.fixedStep(1.0).withSeed(3L)
                .withRecorder(Recorder.finalOnly()));
    }

    @Test
    void newWeightsActOnTheNextSpikesAndTheTargetsOfAllToAllAreInOrder() {
        // GIVEN a run whose weights are set per synapse: synapse (i, j) at i * 3 + j gets j + 1
        final Simulation sim = start();
        final double[] w = new double[150];
        for (int k = 0; k < w.length; k++) {
            w[k] = k % 3 + 1;
        }
        sim.setSynapseValues("S", "w", w);
        assertArrayEquals(w, sim.synapseValues("S", "w"), 0.0);
        // WHEN it runs 200 ms
        sim.advance(200.0);
        // THEN target j received (j + 1) times the input spikes: each target is the one the synapse order names
        final double[] v = new double[3];
        sim.copyBlock("v", v);
        double spikes = 0;
        final double[] c = new double[50];
        sim.copyBlock("c", c);
        for (final double x : c) {
            spikes += x;
        }
        assertTrue(spikes > 100, "spikes " + spikes);
        assertArrayEquals(new double[] {spikes, 2 * spikes, 3 * spikes}, v, 0.0);
        // and a wrong length or name is an error naming it
        final OdeException e = assertThrows(OdeException.class, () -> sim.setSynapseValues("S", "w", new double[3]));
        assertTrue(e.getMessage().contains("150"), e.getMessage());
        final OdeException f = assertThrows(OdeException.class, () -> sim.setSynapseValues("T", "w", w));
        assertTrue(f.getMessage().contains("'T'"), f.getMessage());
    }

    @Test
    void reseedingRepeatsTheStochasticEventsAndClearingForgetsTheLog() {
        // GIVEN a run that has gone on for 50 ms
        final Simulation sim = start();
        sim.advance(50.0);
        final double[] state = new double[sim.layout().dimension()];
        sim.copyState(state);
        // WHEN it is reseeded and run 100 ms, then set back, reseeded alike and run 100 ms again
        sim.reseedNoise(42L);
        sim.advance(100.0);
        final double[] first = new double[state.length];
        sim.copyState(first);
        sim.setState(state);
        sim.reseedNoise(42L);
        sim.advance(100.0);
        final double[] second = new double[state.length];
        sim.copyState(second);
        // THEN every member fired as often (c counts each input's spikes), and every target got the same input
        assertArrayEquals(first, second, 0.0);
        // and another seed gives other spikes (the draws do come from the reseeded generator)
        sim.setState(state);
        sim.reseedNoise(43L);
        sim.clearEvents();
        sim.advance(100.0);
        final double[] third = new double[state.length];
        sim.copyState(third);
        assertFalse(Arrays.equals(first, third));
        // and the log holds only the events since it was cleared: the spikes of the last 100 ms
        final int at = sim.layout().block("c").offset();
        double spikes = 0;
        for (int i = at; i < at + 50; i++) {
            spikes += third[i] - state[i];
        }
        assertTrue(spikes > 100, "spikes " + spikes);
        assertEquals(spikes, sim.finish().events().size(), 0.0);
    }

    @Test
    void reseedingRestartsPoissonGroupsFromTheirOwnSeed() {
        // GIVEN a Poisson group of 50 members (0.1 per ms, drawn by gaps between spikes) counted by 50 neurons
        final String text = String.join("\n", "model pg", "population G 50 poisson 0.1", "state c[50] = 0",
                "dc/dt = 0 * c", "population C 50: c", "projection S: G -> C connect one-to-one on_pre c += 1");
        final Model m = ModelFile.parse(text, "pg.ode", "pg").model();
        final Simulation sim = Solvers.get("euler").start(Problem.of(m, 1e9), SolveOptions.fixedStep(1.0)
                .withSeed(3L).withRecorder(Recorder.finalOnly()));
        sim.advance(37.0);
        final double[] state = new double[sim.layout().dimension()];
        sim.copyState(state);
        // WHEN it is reseeded and run 100 ms twice from the same state, and once with another seed
        final double[][] runs = new double[3][state.length];
        final long[] seeds = {42L, 42L, 43L};
        for (int r = 0; r < 3; r++) {
            sim.setState(state);
            sim.reseedNoise(seeds[r]);
            sim.advance(100.0);
            sim.copyState(runs[r]);
        }
        // THEN the same seed gives the same spikes of every member (the gap in progress is dropped too), another
        // seed other spikes; about 500 spikes per run, so a generator that was not restarted cannot match
        assertArrayEquals(runs[0], runs[1], 0.0);
        assertFalse(Arrays.equals(runs[0], runs[2]));
        assertTrue(Arrays.stream(runs[0]).sum() - Arrays.stream(state).sum() > 300);
    }
}
