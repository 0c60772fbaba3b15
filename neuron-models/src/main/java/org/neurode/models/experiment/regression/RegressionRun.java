package org.neurode.models.experiment.regression;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.neurode.core.Model;
import org.neurode.core.StateLayout;
import org.neurode.models.Microcircuit;
import org.neurode.models.tasks.MicrocircuitMeasures;
import org.neurode.models.tasks.Teacher;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

/**
 * The teacher-student regression of Sacramento et al. (2018, Fig. 2; docs/microcircuit.md) with its two
 * baselines, trained on the same teacher and the same pattern sequence:
 * <ul>
 * <li>the microcircuit 30-50-10 from {@link Microcircuit.Config#paperRegression()}, all weights
 * U(-1, 1) (not self-predicting), top-down weights fixed;</li>
 * <li>the shallow learner: the same circuit, same initial state and noise, with the forward learning rate
 * of layer 1 set to 0;</li>
 * <li>a 30-50-10 rate network with the same initial forward weights trained by SGD ({@link BackpropNetwork}).</li>
 * </ul>
 * Training: each pattern is held {@code patternMs} with nudging, plasticity and noise on. Every
 * {@code testEvery} patterns one fresh noise-free pattern is tested (see {@link CircuitLearner}); the test
 * error \( |r_2 - r^{trgt}|^2 \) enters an exponential moving average
 * \( e \leftarrow (1 - \alpha) e + \alpha\, err \) with \( \alpha \) = {@code emaAlpha} per test point,
 * started at the mean error on the held-out set before training. The run is a pure function of its
 * settings: inputs, noise and test patterns are derived from (seed, purpose, pattern index)
 * ({@link Streams}), so a run resumed from a checkpoint (the command line's {@code RegressionCheckpoint}) ends with the same numbers.
 * Not thread-safe; {@link #runTo} may use a helper thread for the shallow learner.
 *
 * @since 0.1
 */
public final class RegressionRun implements org.neurode.models.experiment.Checkpointable {

    /**
     * Curve columns, in order: the three moving averages, the three single-pattern errors of the test point
     * (at pattern 0 the held-out means), then the microcircuit's mismatches and alignment angle.
     */
    public static final List<String> COLUMNS = List.of("pattern", "testError", "shallowTestError", "backpropTestError",
            "testErrorSample", "shallowTestErrorSample", "backpropTestErrorSample", "apicalMismatch",
            "interneuronMismatch", "alignmentAngleDeg");

    /** Columns of the held-out curve: the pattern, then the mean error of each learner on the held-out set. */
    public static final List<String> HELD_OUT_COLUMNS = List.of("pattern", "microcircuit", "shallow", "backprop");

    /** Receives progress after every pattern. */
    public interface Listener {
        /**
         * @param done      patterns trained so far
         * @param testError current moving-average test error of the microcircuit
         */
        void patternDone(long done, double testError);
    }

    /** Called at checkpoint times with the run between two patterns. */
    public interface Checkpointer {
        /**
         * @param run the run (consistent: between patterns)
         */
        void save(RegressionRun run);
    }

    /** Index of the microcircuit in the per-learner arrays (moving averages, errors). */
    public static final int CIRCUIT = 0;
    /** Index of the shallow learner. */
    public static final int SHALLOW = 1;
    /** Index of the backprop network. */
    public static final int BACKPROP = 2;

    private final RegressionSettings settings;
    private final Microcircuit.Config config;
    private final Teacher teacher;
    private final CircuitLearner circuit;
    private final CircuitLearner shallow;
    private final BackpropNetwork backprop;
    private final MicrocircuitMeasures measures;
    private final double[] ema = new double[3];
    private final double[] initialHeldOut;
    private final List<double[]> curves = new ArrayList<>();
    /** Held-out measurements: rows {pattern, circuit, shallow, backprop}, every heldOutEvery patterns. */
    private final List<double[]> heldOutCurve = new ArrayList<>();
    private long done;
    private double previousWallSeconds;

    private final double[] x;
    private final double[] uTarget;
    private final double[] rTarget;
    private final double[] out;
    private final double[] outShallow;

    private RegressionRun(final RegressionSettings settings, final double[] circuitState, final double[] shallowState,
                          final double[][] topDown, final double[] w1, final double[] w2) {
        this.settings = settings;
        this.config = config(settings);
        this.teacher = Teacher.random(config, settings.teacherHidden(),
                Streams.of(settings.seed(), Streams.TEACHER, 0));
        final Solver solver = Solvers.get(settings.solver());
        final String output = "u" + config.layers();
        final Model built = Microcircuit.build(config);
        final double[] y0;
        final Model model;
        if (circuitState != null) {
            y0 = circuitState;
            model = withTopDown(built, topDown);
        } else {
            // the random start: plastic weights into the state, fixed top-down weights into the model
            y0 = built.initialState();
            model = Microcircuit.randomWeights(built, y0, 1.0, Streams.of(settings.seed(), Streams.STUDENT, 0));
        }
        // the shallow learner starts from the same weights, top-down ones included
        final Model shallowModel = withTopDown(Microcircuit.build(shallowConfig(config)), topDown(model, config));
        this.measures = new MicrocircuitMeasures(config, model);
        this.circuit = new CircuitLearner(model, solver, settings.dt(), y0, output);
        this.shallow = new CircuitLearner(shallowModel, solver, settings.dt(), shallowState != null ? shallowState : y0,
                output);
        final StateLayout l = model.layout();
        final int[] n = config.sizes();
        this.backprop = new BackpropNetwork(n[0], n[1], n[2],
                w1 != null ? w1 : block(y0, l.block("W1")), w2 != null ? w2 : block(y0, l.block("W2")),
                settings.backpropRate(), config::phi, u -> config.gamma() * config.beta()
                        / (1.0 + Math.exp(-config.beta() * (u - config.theta()))));
        this.x = new double[n[0]];
        this.uTarget = new double[n[2]];
        this.rTarget = new double[n[2]];
        this.out = new double[n[2]];
        this.outShallow = new double[n[2]];
        this.initialHeldOut = new double[3];
    }

    /**
     * A new run at pattern 0: measures the held-out errors and the first curve point.
     *
     * @param settings the settings
     * @return the run
     */
    public static RegressionRun start(final RegressionSettings settings) {
        final RegressionRun run = new RegressionRun(settings, null, null, null, null, null);
        final double[] h = run.heldOutErrors();
        System.arraycopy(h, 0, run.initialHeldOut, 0, 3);
        System.arraycopy(h, 0, run.ema, 0, 3);
        run.curves.add(run.curveRow(h));
        run.heldOutCurve.add(heldOutRow(0, h));
        return run;
    }

    /**
     * A run continued from saved values (the command line saves them in its {@code RegressionCheckpoint}).
     *
     * @param settings       the settings
     * @param done           patterns trained
     * @param circuitState   state of the microcircuit (copied)
     * @param shallowState   state of the shallow learner (copied)
     * @param topDown        the fixed top-down weights of both circuits, B_1..B_(N-1) (see {@link #topDown()})
     * @param w1             backprop hidden weights (copied)
     * @param w2             backprop output weights (copied)
     * @param ema            moving averages (copied)
     * @param initialHeldOut held-out errors before training (copied)
     * @param curves         curve rows so far (copied)
     * @param heldOutCurve   held-out rows so far (copied)
     * @param wallSeconds    wall time of earlier sessions (s)
     * @return the run
     */
    public static RegressionRun restore(final RegressionSettings settings, final long done, final double[] circuitState,
                                 final double[] shallowState, final double[][] topDown, final double[] w1,
                                 final double[] w2, final double[] ema, final double[] initialHeldOut,
                                 final List<double[]> curves, final List<double[]> heldOutCurve,
                                 final double wallSeconds) {
        final RegressionRun run = new RegressionRun(settings, circuitState, shallowState, topDown, w1, w2);
        run.done = done;
        System.arraycopy(ema, 0, run.ema, 0, 3);
        System.arraycopy(initialHeldOut, 0, run.initialHeldOut, 0, 3);
        for (final double[] row : curves) {
            run.curves.add(row.clone());
        }
        for (final double[] row : heldOutCurve) {
            run.heldOutCurve.add(row.clone());
        }
        run.previousWallSeconds = wallSeconds;
        return run;
    }

    /**
     * The student's configuration: the paper's regression circuit with the hidden size of the settings and
     * learning rates multiplied by the scale. The noise keeps the paper's per-step convention at 0.1 ms, so
     * its intensity does not depend on {@code --dt}.
     *
     * @param s settings
     * @return the configuration
     */
    public static Microcircuit.Config config(final RegressionSettings s) {
        final Microcircuit.Config p = Microcircuit.Config.paperRegression();
        final int[] sizes = p.sizes();
        sizes[1] = s.studentHidden();
        return new Microcircuit.Config(sizes, p.gL(), p.gB(), p.gA(), p.gD(), p.gSom(), p.gamma(), p.beta(),
                p.theta(), p.tau0(), p.tauW(), p.etaForward(), p.etaIP(), p.etaPI(), p.etaTopDown(), p.sigma(),
                p.noiseConvention(), p.dtForNoise()).withLearningRateScale(s.learningRateScale());
    }

    private static Microcircuit.Config shallowConfig(final Microcircuit.Config c) {
        final double[] eta = c.etaForward().clone();
        for (int k = 0; k < eta.length - 1; k++) {
            eta[k] = 0.0;
        }
        return c.withForwardRates(eta);
    }

    /**
     * The names of a circuit's fixed top-down weights, in layer order: B_k for every hidden layer k whose top-down
     * weights do not learn (all of them in the regression, whose top-down learning rate is 0).
     *
     * @param c the configuration
     * @return the names, possibly none
     */
    public static List<String> topDownNames(final Microcircuit.Config c) {
        final List<String> names = new ArrayList<>();
        if (c.etaTopDown() == 0.0) {
            for (int k = 1; k < c.layers(); k++) {
                names.add("B" + k);
            }
        }
        return names;
    }

    private static double[][] topDown(final Model model, final Microcircuit.Config c) {
        final List<String> names = topDownNames(c);
        final double[][] b = new double[names.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = model.parameters().array(names.get(i));
        }
        return b;
    }

    /** The model with fixed top-down weights, in the order of {@link #topDownNames}. */
    private Model withTopDown(final Model model, final double[][] topDown) {
        final List<String> names = topDownNames(config);
        if (topDown == null || topDown.length != names.size()) {
            throw new IllegalArgumentException("the circuit has " + names.size() + " fixed top-down weight matrices, "
                    + (topDown == null ? "none" : topDown.length) + " were given");
        }
        Model m = model;
        for (int i = 0; i < topDown.length; i++) {
            try {
                m = m.withParameter(names.get(i), topDown[i]);
            } catch (org.neurode.core.OdeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return m;
    }

    private static double[] block(final double[] y, final StateLayout.Block b) {
        final double[] v = new double[b.size()];
        System.arraycopy(y, b.offset(), v, 0, b.size());
        return v;
    }

    /**
     * Trains until {@code settings.patterns()} patterns are done.
     *
     * @param helper          executor for the shallow learner (null: same thread)
     * @param stop            polled after every pattern: true ends the run early (after a checkpoint)
     * @param listener        progress receiver
     * @param checkpointEvery nanoseconds between checkpoints (Long.MAX_VALUE: none)
     * @param checkpointer    receives the run at checkpoint times and at the end
     */
    public void runTo(final ExecutorService helper, final java.util.function.BooleanSupplier stop, final Listener listener,
               final long checkpointEvery, final Checkpointer checkpointer) {
        long nextCheckpoint = checkpointEvery == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + checkpointEvery;
        while (done < settings.patterns() && !stop.getAsBoolean()) {
            trainPattern(helper, done);
            done++;
            if (done % settings.testEvery() == 0) {
                testPoint();
            }
            if (done % settings.heldOutEvery() == 0) {
                heldOutCurve.add(heldOutRow(done, heldOutErrors()));
            }
            listener.patternDone(done, ema[CIRCUIT]);
            if (System.nanoTime() >= nextCheckpoint) {
                checkpointer.save(this);
                nextCheckpoint = System.nanoTime() + checkpointEvery;
            }
        }
        checkpointer.save(this);
    }

    private void trainPattern(final ExecutorService helper, final long p) {
        Streams.uniform(Streams.of(settings.seed(), Streams.TRAIN, p), x);
        teacher.targetPotential(x, uTarget);
        for (int i = 0; i < uTarget.length; i++) {
            rTarget[i] = config.phi(uTarget[i]);
        }
        // the full circuit and the shallow learner see the same noise
        final long noise = Streams.seed(settings.seed(), Streams.NOISE, p);
        if (helper == null) {
            circuit.train(x, uTarget, settings.patternMs(), noise);
            shallow.train(x, uTarget, settings.patternMs(), noise);
        } else {
            // the two circuits are independent: the shallow one runs on the helper thread (inputs read-only)
            final Future<?> f = helper.submit(() -> shallow.train(x, uTarget, settings.patternMs(), noise));
            circuit.train(x, uTarget, settings.patternMs(), noise);
            join(f);
        }
        backprop.train(x, rTarget, out);
    }

    private static void join(final Future<?> f) {
        org.neurode.models.experiment.Futures.join(f);
    }

    private void testPoint() {
        Streams.uniform(Streams.of(settings.seed(), Streams.TEST, done), x);
        final double[] err = errors(x);
        for (int k = 0; k < 3; k++) {
            ema[k] = (1.0 - settings.emaAlpha()) * ema[k] + settings.emaAlpha() * err[k];
        }
        curves.add(curveRow(err));
    }

    /**
     * One curve point; the mismatches are those of the latest noise-free test presentation (no nudging:
     * in the self-predicting state both vanish, while during nudged training they carry the output error).
     */
    private double[] curveRow(final double[] samples) {
        final double[] y = circuit.lastTestState();
        return new double[] {done, ema[CIRCUIT], ema[SHALLOW], ema[BACKPROP], samples[CIRCUIT], samples[SHALLOW],
                             samples[BACKPROP], measures.apicalMismatch(y, 1), measures.interneuronMismatch(y, 1),
                             measures.alignmentAngleDeg(y, 1)};
    }

    /** Squared rate errors of the three learners on one noise-free pattern (x is not modified). */
    private double[] errors(final double[] input) {
        teacher.targetRate(input, rTarget);
        circuit.testPotentials(input, settings.patternMs(), out);
        shallow.testPotentials(input, settings.patternMs(), outShallow);
        final double[] err = new double[3];
        for (int i = 0; i < rTarget.length; i++) {
            final double d0 = config.phi(out[i]) - rTarget[i];
            final double d1 = config.phi(outShallow[i]) - rTarget[i];
            err[CIRCUIT] += d0 * d0;
            err[SHALLOW] += d1 * d1;
        }
        backprop.predict(input, out);
        for (int i = 0; i < rTarget.length; i++) {
            final double d = out[i] - rTarget[i];
            err[BACKPROP] += d * d;
        }
        return err;
    }

    /**
     * Mean test error of the three learners on the fixed held-out set (does not change the learners).
     *
     * @return errors indexed {@link #CIRCUIT}, {@link #SHALLOW}, {@link #BACKPROP}
     */
    public double[] heldOutErrors() {
        final double[] mean = new double[3];
        final double[] input = new double[x.length];
        for (int i = 0; i < settings.heldOut(); i++) {
            Streams.uniform(Streams.of(settings.seed(), Streams.HELD_OUT, i), input);
            final double[] err = errors(input);
            for (int k = 0; k < 3; k++) {
                mean[k] += err[k] / settings.heldOut();
            }
        }
        return mean;
    }

    /**
     * The held-out errors after training, measured now unless the last held-out row is of this pattern; a new
     * measurement is appended to the curve.
     *
     * @return errors indexed {@link #CIRCUIT}, {@link #SHALLOW}, {@link #BACKPROP}
     */
    public double[] finalHeldOut() {
        final double[] last = heldOutCurve.get(heldOutCurve.size() - 1);
        if (last[0] == done) {
            return new double[] {last[1], last[2], last[3]};
        }
        final double[] h = heldOutErrors();
        heldOutCurve.add(heldOutRow(done, h));
        return h;
    }

    private static double[] heldOutRow(final long pattern, final double[] errors) {
        return new double[] {pattern, errors[CIRCUIT], errors[SHALLOW], errors[BACKPROP]};
    }

    /** @return held-out rows (live), columns {@link #HELD_OUT_COLUMNS} */
    public List<double[]> heldOutCurve() {
        return heldOutCurve;
    }

    /** @return the settings */
    public RegressionSettings settings() {
        return settings;
    }

    /** @return patterns trained */
    @Override
    public long done() {
        return done;
    }

    /** @return moving-average test errors (live) */
    public double[] ema() {
        return ema;
    }

    /** @return held-out errors before training (live) */
    public double[] initialHeldOut() {
        return initialHeldOut;
    }

    /** @return curve rows (live), columns {@link #COLUMNS} */
    public List<double[]> curves() {
        return curves;
    }

    /** @return state of the microcircuit (live) */
    public double[] circuitState() {
        return circuit.state();
    }

    /** @return state of the shallow learner (live) */
    public double[] shallowState() {
        return shallow.state();
    }

    /**
     * @return the fixed top-down weights of the circuits (the same in both; copies), in the order of
     *         {@link #topDownNames}: constants of the run, not state, so a checkpoint saves them apart
     */
    public double[][] topDown() {
        return topDown(circuit.model(), config);
    }

    /** @return backprop hidden weights (live) */
    public double[] backpropHidden() {
        return backprop.hiddenWeights();
    }

    /** @return backprop output weights (live) */
    public double[] backpropOutput() {
        return backprop.outputWeights();
    }

    /** @return wall time of earlier sessions (s) */
    public double previousWallSeconds() {
        return previousWallSeconds;
    }

    /** @return the measures of the microcircuit's state */
    public MicrocircuitMeasures measures() {
        return measures;
    }
}
