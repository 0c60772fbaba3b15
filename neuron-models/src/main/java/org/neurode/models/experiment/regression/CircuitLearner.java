package org.neurode.models.experiment.regression;

import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;

/**
 * One microcircuit student of the regression experiment (the full circuit or the shallow learner): its
 * state, trained pattern by pattern and tested on copies of that state. The state holds the integrated
 * variables only; the pattern's inputs ({@code x}, {@code uTarget}, {@code nudge}, {@code plastic}) are set on
 * each simulation, and the fixed top-down weights are parameters of the model.
 *
 * <p>Each training pattern starts at t = 0 from the current state with its own noise seed
 * ({@link Simulation#restart}, {@link Simulation#reseedNoise}), so that pattern p's noise depends only on (run
 * seed, p) and every pattern runs on the same time grid: a resumed run continues bit for bit like an uninterrupted
 * one. (One long simulation would have its step grid computed from the absolute time, whose rounding at t = 10^6 ms
 * differs from that of a simulation restarted at 0 after a checkpoint.) The same two simulations, one for training
 * and one for tests, serve every pattern: a new one per pattern cost about a third of the run at 2-ms steps. Tests
 * run the noise-free model ({@link Model#withoutNoise()}) from a copy of the state with nudging and plasticity off.
 * Not thread-safe.
 *
 * @since 0.1
 */
final class CircuitLearner {

    /** Simulation end time; patterns are shorter, each simulation starts at 0. */
    private static final double T_END = 1e12;

    private final Model model;
    private final Model quiet;
    private final Solver solver;
    private final SolveOptions options;
    private final double[] state;
    private final double[] work;
    private final StateLayout.Block output;
    /** The simulations of training and of tests, made at their first use and restarted for every pattern. */
    private Simulation training;
    private Simulation testing;

    /**
     * @param model   the microcircuit (with noise and its fixed top-down weights)
     * @param solver  the solver
     * @param step    its step (ms)
     * @param initial initial state (copied)
     * @param outputBlock name of the output potentials ({@code u<N>})
     * @throws IllegalArgumentException if the initial state's length is not the model's
     */
    CircuitLearner(final Model model, final Solver solver, final double step, final double[] initial,
                   final String outputBlock) {
        if (initial.length != model.layout().dimension()) {
            throw new IllegalArgumentException("the circuit state has " + initial.length + " values, the circuit "
                    + model.layout().dimension());
        }
        this.model = model;
        this.quiet = model.withoutNoise();
        this.solver = solver;
        this.options = SolveOptions.fixedStep(step);
        this.state = initial.clone();
        this.work = new double[initial.length];
        this.output = model.layout().block(outputBlock);
    }

    /**
     * Presents one training pattern: teaching current and plasticity on, noise on.
     *
     * @param input    input rates (not modified)
     * @param uTarget  output target potentials (not modified)
     * @param duration presentation time (ms)
     * @param seed     noise seed of this pattern
     */
    void train(final double[] input, final double[] uTarget, final double duration, final long seed) {
        final Simulation sim;
        if (training == null) {
            sim = training = solver.start(Problem.of(model, state, T_END), options.withSeed(seed));
        } else {
            sim = training;
            sim.restart(0.0, state);
            sim.reseedNoise(seed);
        }
        sim.setBlock("x", input);
        sim.setBlock("uTarget", uTarget);
        sim.set("nudge", 1.0);
        sim.set("plastic", 1.0);
        sim.advance(duration);
        sim.copyState(state);
    }

    /**
     * Tests on a fresh pattern without changing the learner: a copy of the state, no nudging, no
     * plasticity, no noise, presented for {@code duration}; the output is read at the end.
     *
     * @param input    input rates (not modified)
     * @param duration presentation time (ms)
     * @param potentials output potentials at the end (modified; output size)
     */
    void testPotentials(final double[] input, final double duration, final double[] potentials) {
        System.arraycopy(state, 0, work, 0, state.length);
        final Simulation sim;
        if (testing == null) {
            sim = testing = solver.start(Problem.of(quiet, work, T_END), options);
        } else {
            sim = testing;
            sim.restart(0.0, work);
        }
        sim.setBlock("x", input);
        sim.set("nudge", 0.0);
        sim.set("plastic", 0.0);
        sim.advance(duration);
        sim.copyState(work);
        System.arraycopy(work, output.offset(), potentials, 0, output.size());
    }

    /** @return the state at the end of the latest test presentation (live; overwritten by the next test) */
    double[] lastTestState() {
        return work;
    }

    /** @return the current state (live; modified by training and by checkpoint restore) */
    double[] state() {
        return state;
    }

    /** @return the model (with its fixed top-down weights) */
    Model model() {
        return model;
    }
}
