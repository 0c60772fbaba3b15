package org.neurode.models.node;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.core.Equation;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.models.learn.ModelJson;
import org.neurode.models.learn.ParameterVector;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.adaptive.ElementaryController;
import org.neurode.solvers.adaptive.StartingStep;
import org.neurode.solvers.adaptive.StepController;
import org.neurode.solvers.rk.ButcherTableau;
import org.neurode.solvers.rk.ExplicitRungeKutta;

/**
 * A neural ordinary differential equation (Chen, Rubanova, Bettencourt and Duvenaud, "Neural Ordinary
 * Differential Equations", NeurIPS 2018): \( dz/dt = f_\theta(g(z)) \) with an {@link Mlp} as the vector field
 * \( f_\theta \) and an optional fixed input transform \( g \) (identity, or \( z \mapsto z^3 \) elementwise for
 * torchdiffeq's spiral demo). Time and state are dimensionless (the time unit is that of the data).
 *
 * <p>Three ways to use it:
 * <ul>
 * <li>as an ode-core {@link Model} ({@link #model}, {@link #equation}), so that any registered
 * {@link Solver} integrates it, and {@link #predict} samples a trajectory at given times through one;</li>
 * <li>{@link #sensitivity} with {@link GradientMethod#BACKPROP}: <em>discretise-then-optimise</em>, hand-written
 * reverse mode through the explicit Runge-Kutta steps of the forward pass (step sizes frozen, as Hipparchus'
 * field integrators and diffrax's checkpointed adjoint do); the gradient of the discrete solution, exact to
 * rounding;</li>
 * <li>{@link #sensitivity} with {@link GradientMethod#ADJOINT}: <em>optimise-then-discretise</em>, the continuous
 * adjoint (Pontryagin's adjoint equation, as in Chen et al. 2018, Sec. 2): the cotangent
 * \( a(t) = \partial L/\partial z(t) \) solves \( da/dt = -a^T \partial f/\partial z \) backwards from the last
 * observation, jumps by \( \partial L/\partial z(t_i) \) at every observation time, and
 * \( dL/d\theta = \int_{t_0}^{t_N} a^T \partial f/\partial \theta \, dt \) is integrated along with it as a
 * quadrature. The forward solution is not integrated backwards (which is unstable for dissipative fields)
 * but read from the dense output of the forward pass (the <em>interpolating</em> adjoint).</li>
 * </ul>
 *
 * @since 0.2
 */
public final class NeuralOde {

    /** The {@code kind} of saved files. */
    public static final String KIND = "neural-ode";

    /** Fixed elementwise transform \( g \) applied to the state before the network. */
    public enum InputTransform {
        /** \( g(z) = z \). */
        IDENTITY,
        /** \( g(z) = z^3 \) elementwise (torchdiffeq's {@code ode_demo.py}: {@code self.net(y**3)}). */
        CUBE;

        double apply(final double z) {
            return this == CUBE ? z * z * z : z;
        }

        double derivative(final double z) {
            return this == CUBE ? 3.0 * z * z : 1.0;
        }
    }

    /** How {@link Sensitivity#backward} computes gradients. */
    public enum GradientMethod {
        /** Reverse mode through the Runge-Kutta steps of the forward pass (discretise-then-optimise). */
        BACKPROP,
        /** The continuous adjoint with the forward pass's dense output (optimise-then-discretise). */
        ADJOINT
    }

    /**
     * The time discretisation of {@link Sensitivity}: an explicit Runge-Kutta tableau, fixed-step or adaptive.
     * Observation times are always step points (forced stops).
     *
     * @param method    {@code rk4} (classical Runge-Kutta with its third-order continuous extension,
     *                  Hairer-Nørsett-Wanner I, II.6) or a tableau of {@link ExplicitRungeKutta#tableau}:
     *                  {@code tsit5}, {@code vern6} to {@code vern9}, {@code dop853}
     * @param adaptive  true for step-size control by the embedded error estimate (not for {@code rk4})
     * @param step      fixed step (time unit of the data): each interval between observations is split into
     *                  \( \lceil \Delta t / \mathrm{step} \rceil \) equal steps; for adaptive methods the first
     *                  step if positive, else Hairer's starting step
     * @param rtol      relative tolerance (adaptive)
     * @param atol      absolute tolerance (adaptive)
     * @param seminorm  adjoint only: leave the parameter quadrature out of the backward error norm (Kidger,
     *                  Chen and Lyons 2021, "Hey, that's not an ODE"); false controls it as torchdiffeq does
     */
    public record Integration(String method, boolean adaptive, double step, double rtol, double atol,
                              boolean seminorm) {

        /**
         * Validates.
         *
         * @param method   tableau name
         * @param adaptive adaptive or fixed
         * @param step     step
         * @param rtol     relative tolerance
         * @param atol     absolute tolerance
         * @param seminorm seminorm for the adjoint
         */
        public Integration {
            method = method.trim().toLowerCase(Locale.ROOT);
            tableauOf(method);
            if (adaptive && "rk4".equals(method)) {
                throw new IllegalArgumentException("rk4 has no error estimate: use it with a fixed step");
            }
            if (!adaptive && !(step > 0)) {
                throw new IllegalArgumentException("a fixed-step integration needs a positive step, not " + step);
            }
            if (adaptive && !(rtol > 0 && atol > 0)) {
                throw new IllegalArgumentException("tolerances must be positive: rtol " + rtol + ", atol " + atol);
            }
        }

        /**
         * @param method tableau name
         * @param step   step size (positive)
         * @return a fixed-step integration
         */
        public static Integration fixed(final String method, final double step) {
            return new Integration(method, false, step, 0.0, 0.0, true);
        }

        /**
         * @param method tableau name with an error estimate
         * @param rtol   relative tolerance
         * @param atol   absolute tolerance
         * @return an adaptive integration (automatic first step, adjoint seminorm)
         */
        public static Integration adaptive(final String method, final double rtol, final double atol) {
            return new Integration(method, true, 0.0, rtol, atol, true);
        }

        /**
         * @param on true for the adjoint seminorm
         * @return a copy
         */
        public Integration withSeminorm(final boolean on) {
            return new Integration(method, adaptive, step, rtol, atol, on);
        }
    }

    /**
     * Work counters of a {@link Sensitivity}, cumulative since its creation or {@link Sensitivity#resetStatistics}.
     *
     * @param forwardEvaluations  vector-field evaluations of forward passes
     * @param backwardEvaluations evaluations in backward passes: vector-Jacobian products (each with the network
     *                            evaluation it needs) and the forward field evaluations of lazy dense-output stages
     * @param forwardSteps        accepted forward steps
     * @param backwardSteps       accepted backward steps (adjoint) or reversed steps (backprop)
     * @param rejectedSteps       rejected steps, forward and backward
     * @param forwardNanos        wall time of forward passes (ns)
     * @param backwardNanos       wall time of backward passes (ns)
     * @param passes              backward passes
     */
    public record Statistics(long forwardEvaluations, long backwardEvaluations, long forwardSteps,
                             long backwardSteps, long rejectedSteps, long forwardNanos, long backwardNanos,
                             long passes) {
    }

    private static final double STRETCH = 0.1;
    private static final int MAX_STEPS = 5_000_000;

    private final Mlp field;
    private final InputTransform transform;
    private final int n;

    /**
     * @param field     the vector field; input and output sizes equal the state dimension (reference kept)
     * @param transform the fixed input transform
     * @throws IllegalArgumentException if the network is not square
     */
    public NeuralOde(final Mlp field, final InputTransform transform) {
        if (field.inputSize() != field.outputSize()) {
            throw new IllegalArgumentException("the vector field must map the state to its derivative: "
                    + field.inputSize() + " inputs, " + field.outputSize() + " outputs");
        }
        this.field = field;
        this.transform = transform;
        this.n = field.inputSize();
    }

    /**
     * The model of torchdiffeq's spiral demo ({@code examples/ode_demo.py}; Chen et al. 2018):
     * \( dz/dt = \mathrm{Linear}(50, 2)(\tanh(\mathrm{Linear}(2, 50)(z^3))) \), weights \( N(0, 0.1^2) \), biases 0.
     *
     * @param random generator of the initial weights (advanced)
     * @return the model
     */
    public static NeuralOde spiral(final Random random) {
        final Mlp mlp = Mlp.tanhHidden(2, 50, 2);
        mlp.initialize(random, 0.1, 0.0);
        return new NeuralOde(mlp, InputTransform.CUBE);
    }

    /** @return the vector field (reference) */
    public Mlp field() {
        return field;
    }

    /** @return the trainable parameters \( \theta \) (the network's vector itself) */
    public ParameterVector parameters() {
        return field.parameters();
    }

    /** @return the state dimension */
    public int dimension() {
        return n;
    }

    /** @return the input transform */
    public InputTransform transform() {
        return transform;
    }

    /** @return a deep copy (same shapes and parameter values, gradient zero) */
    public NeuralOde copy() {
        final Mlp m = Mlp.fromConfig(ModelJson.mapper().valueToTree(field.config()), "copy");
        m.parameters().copyFrom(field.parameters());
        return new NeuralOde(m, transform);
    }

    /**
     * A fresh equation \( dz/dt = f_\theta(g(z)) \) reading the <em>current</em> parameter values (changes made
     * by an optimizer are seen at the next evaluation). Allocation-free; not thread-safe (own scratch).
     *
     * @return the equation
     */
    public Equation equation() {
        final double[] gz = new double[n];
        final double[] record = new double[field.recordSize()];
        return new Equation() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                for (int i = 0; i < n; i++) {
                    gz[i] = transform.apply(y[i]);
                }
                field.forward(gz, dydt, record, 0);
            }

            @Override
            public boolean autonomous() {
                return true;
            }
        };
    }

    /**
     * The network as an ode-core model with one state block {@code z} (dimensionless) and no named parameters.
     * The model holds a snapshot of the current parameter values: later training does not change it.
     *
     * @param z0 default initial state (copied)
     * @return the model
     */
    public Model model(final double[] z0) {
        final NeuralOde frozen = copy();
        final StateLayout layout = StateLayout.builder().vector("z", n, "1", 1.0).build();
        return Model.of("neural-ode", layout, Parameters.empty(), p -> frozen.equation(), z0);
    }

    /**
     * Predicts the trajectory at given times with a registered solver (its dense output between steps).
     *
     * @param solver  the solver
     * @param options solve options (tolerances or step; the recorder is replaced)
     * @param z0      state at {@code times[0]} (not modified)
     * @param times   strictly increasing times, at least two (not modified)
     * @param out     predictions {@code [times.length][n]} (modified)
     * @return the trajectory (statistics, status)
     * @throws OdeException if the solve does not complete
     */
    public Trajectory predict(final Solver solver, final SolveOptions options, final double[] z0,
                              final double[] times, final double[][] out) {
        checkTimes(times);
        final Problem problem = new Problem(model(z0), z0, times[0], times[times.length - 1], List.of());
        final Trajectory tr = solver.solve(problem, options.withRecorder(Recorder.at(times)));
        if (tr.status() != Status.SUCCESS || tr.size() != times.length) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "prediction with " + solver.name() + " ended with "
                    + tr.status() + " after " + tr.size() + " of " + times.length + " samples: " + tr.message());
        }
        for (int k = 0; k < times.length; k++) {
            for (int j = 0; j < n; j++) {
                out[k][j] = tr.value(k, j);
            }
        }
        return tr;
    }

    /**
     * Creates a workspace that runs forward passes and computes gradients by one method. Not thread-safe.
     *
     * @param method      backprop or adjoint
     * @param integration the time discretisation
     * @return the workspace
     */
    public Sensitivity sensitivity(final GradientMethod method, final Integration integration) {
        return new Sensitivity(method, integration);
    }

    /**
     * Saves the model with {@link ModelJson} (kind {@value #KIND}): configuration {@code dimension},
     * {@code transform} and the network's {@code sizes} and {@code activations}; parameters in full precision.
     *
     * @param file destination (written atomically)
     */
    public void save(final Path file) {
        ModelJson.write(file, KIND, configuration(), field.parameters());
    }

    /**
     * The model's configuration as {@link #save} writes it: {@code dimension}, {@code transform} and the
     * network's {@code sizes} and {@code activations} (the parameters aside).
     *
     * @return the configuration
     * @since 0.2
     */
    public java.util.Map<String, Object> configuration() {
        return ModelJson.config("dimension", n, "transform", transform.name().toLowerCase(Locale.ROOT), "field",
                field.config());
    }

    /**
     * Loads a model saved by {@link #save}; it computes bit-identical outputs.
     *
     * @param file the file
     * @return the model
     * @throws OdeException naming the file and field if it is not a saved neural ODE
     */
    public static NeuralOde load(final Path file) {
        final ModelJson.Document doc = ModelJson.read(file);
        if (!KIND.equals(doc.kind())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": kind is '" + doc.kind() + "', expected '"
                    + KIND + "'");
        }
        final JsonNode cfg = doc.config();
        final InputTransform tr;
        try {
            tr = InputTransform.valueOf(cfg.path("transform").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": config.transform must be identity or cube");
        }
        final Mlp mlp = Mlp.fromConfig(cfg.path("field"), file.toString());
        if (mlp.inputSize() != mlp.outputSize()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": the field maps " + mlp.inputSize()
                    + " inputs to " + mlp.outputSize() + " outputs");
        }
        ModelJson.readParameters(doc, mlp.parameters(), file.toString());
        return new NeuralOde(mlp, tr);
    }

    @Override
    public String toString() {
        return "NeuralOde[" + field + ", " + transform + "]";
    }

    private static void checkTimes(final double[] times) {
        if (times.length < 2) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "need at least two observation times, got "
                    + times.length);
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1]))) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "observation times must be finite and strictly"
                        + " increasing: times[" + i + "] = " + times[i]);
            }
        }
    }

    /** The tableau of a method name: {@code rk4} here, the others from the solver layer. */
    static ButcherTableau tableauOf(final String method) {
        if ("rk4".equals(method)) {
            final double sixth = 1.0 / 6.0;
            final double third = 1.0 / 3.0;
            return new ButcherTableau("rk4", new double[] {0.0, 0.5, 0.5, 1.0, 1.0},
                    new double[][] {{}, {0.5}, {0.0, 0.5}, {0.0, 0.0, 1.0}, {sixth, third, third, sixth}},
                    new double[] {sixth, third, third, sixth}, new double[4], null, 4, 0, false,
                    // Hairer-Nørsett-Wanner I, II.6: b1 = t - 3t^2/2 + 2t^3/3, b2 = b3 = t^2 - 2t^3/3,
                    // b4 = -t^2/2 + 2t^3/3 (order 3)
                    new double[][] {{1.0, -1.5, 2.0 / 3}, {0.0, 1.0, -2.0 / 3}, {0.0, 1.0, -2.0 / 3},
                                    {0.0, -0.5, 2.0 / 3}, {}}, 3);
        }
        try {
            return ExplicitRungeKutta.tableau(method);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown integration method '" + method
                    + "' (rk4, tsit5, vern6, vern7, vern8, vern9, dop853)", e);
        }
    }

    /**
     * Forward passes and gradients of a loss on the predicted trajectory, by one {@link GradientMethod}.
     *
     * <p>Protocol: {@link #forward} integrates from {@code z0} over the observation times and keeps what the
     * backward pass needs (a tape of the accepted steps: stage states, stage derivatives and, for backprop,
     * the network records of every stage); {@link #backward} takes \( \partial L/\partial z(t_i) \) and adds
     * \( \partial L/\partial\theta \) to {@link ParameterVector#gradient()} (it is not cleared here). The tape
     * grows as needed and is reused, so training allocates nothing once it has seen its longest trajectory.
     *
     * <p>The generic explicit Runge-Kutta loop here repeats the solver layer's stepper on purpose: reverse mode
     * needs every stage of every step, which the solver layer's {@code StepMethod} keeps private.
     *
     * @since 0.2
     */
    public final class Sensitivity {

        private final GradientMethod method;
        private final Integration integration;
        private final int s;
        private final int total;
        private final int end;
        private final boolean fsal;
        private final double[][] a;
        private final double[] b;
        private final double[] c;
        private final double[] e;
        private final double[] e3;
        private final double[][] dense;
        /** Main stages whose derivative reaches the solution (reverse mode skips the others). */
        private final boolean[] needed;
        /** Stages from the end stage on that the dense output needs. */
        private final boolean[] denseNeeded;
        private final int controlOrder;
        private final int p;
        private final int rec;
        private final boolean keepRecords;

        // tape: per step, k[total][n], then Y[s][n], then (backprop) records[s][rec]
        private final int kOff;
        private final int yOff;
        private final int recOff;
        private final int stride;
        private double[] tape = new double[0];
        private double[] stepT = new double[0];
        private double[] stepH = new double[0];
        private boolean[] denseReady = new boolean[0];
        private int steps;
        private int[] obsStep = new int[0];
        private double[] times = new double[0];
        private int count;
        private boolean forwardDone;

        // scratch
        private final double[] z;
        private final double[] zNew;
        private final double[] err;
        private final double[] err3;
        private final double[] gz;
        private final double[] gzBar;
        private final double[] fz;
        private final double[] record;
        private final double[] mlpScratch;
        private final double[] zBar;
        private final double[] kBar;
        private final double[][] stageBar;
        // adjoint scratch
        private final double[] adj;
        private final double[] adjNew;
        private final double[] stageArg;
        private final double[] zInterp;
        private final double[][] ka;
        private final double[][] q;
        private final double[] quad;
        private final double[] quadErr;
        private final double[] weights;
        // step control: the solver layer's elementary controller and starting step, with the scalar tolerances
        private final StepController controller = ElementaryController.DEFAULT;
        private final double[] atolVector;
        private final double[] rtolVector;
        private final double[] startF0;
        private final double[] startY;
        /** The field for the starting step's trial evaluation (counted as a forward evaluation). */
        private final StartingStep.Derivatives forwardField = this::startingTrial;
        /** The augmented field for the adjoint starting step (quadrature into stage 1). */
        private final StartingStep.Derivatives adjointField = this::adjointStartingTrial;
        private int cursor;

        // counters
        private long forwardEvaluations;
        private long backwardEvaluations;
        private long forwardSteps;
        private long backwardSteps;
        private long rejectedSteps;
        private long forwardNanos;
        private long backwardNanos;
        private long passes;

        private Sensitivity(final GradientMethod method, final Integration integration) {
            this.method = method;
            this.integration = integration;
            final ButcherTableau t = tableauOf(integration.method());
            this.s = t.stages();
            this.total = t.totalStages();
            this.end = t.endStage();
            this.fsal = t.fsal();
            this.a = t.matrix();
            this.c = t.nodes();
            this.dense = t.densePolynomials();
            this.b = t.b();
            this.e = t.e();
            this.e3 = t.e3();
            this.controlOrder = t.controlOrder();
            this.needed = new boolean[s];
            for (int i = s - 1; i >= 0; i--) {
                boolean used = b[i] != 0.0;
                for (int l = i + 1; l < s && !used; l++) {
                    used = needed[l] && a[l][i] != 0.0;
                }
                needed[i] = used;
            }
            this.denseNeeded = new boolean[total];
            for (int i = total - 1; i >= end; i--) {
                boolean used = dense[i].length > 0;
                for (int l = i + 1; l < total && !used; l++) {
                    used = denseNeeded[l] && a[l][i] != 0.0;
                }
                denseNeeded[i] = used;
            }
            this.p = field.parameters().size();
            this.rec = field.recordSize();
            this.keepRecords = method == GradientMethod.BACKPROP;
            this.kOff = 0;
            this.yOff = total * n;
            this.recOff = yOff + s * n;
            this.stride = recOff + (keepRecords ? s * rec : 0);
            this.z = new double[n];
            this.zNew = new double[n];
            this.err = new double[n];
            this.err3 = new double[n];
            this.gz = new double[n];
            this.gzBar = new double[n];
            this.fz = new double[n];
            this.record = new double[rec];
            this.mlpScratch = new double[field.scratchSize()];
            this.zBar = new double[n];
            this.kBar = new double[n];
            this.stageBar = new double[s][n];
            this.adj = new double[n];
            this.adjNew = new double[n];
            this.stageArg = new double[n];
            this.zInterp = new double[n];
            final boolean adjoint = method == GradientMethod.ADJOINT;
            this.ka = adjoint ? new double[s][n] : null;
            this.q = adjoint ? new double[s][p] : null;
            this.quad = adjoint ? new double[p] : null;
            this.quadErr = adjoint ? new double[p] : null;
            this.weights = new double[total];
            this.atolVector = new double[n];
            this.rtolVector = new double[n];
            Arrays.fill(atolVector, integration.atol());
            Arrays.fill(rtolVector, integration.rtol());
            this.startF0 = new double[n];
            this.startY = new double[n];
        }

        /** @return the gradient method */
        public GradientMethod method() {
            return method;
        }

        /** @return the time discretisation */
        public Integration integration() {
            return integration;
        }

        /** @return the owning model */
        public NeuralOde model() {
            return NeuralOde.this;
        }

        /**
         * Integrates from {@code z0} at {@code times[0]} and writes the state at every observation time.
         *
         * @param z0    initial state (not modified)
         * @param obs   strictly increasing observation times, at least two (copied)
         * @param out   predictions {@code [obs.length][n]} (modified; {@code out[0]} = {@code z0})
         * @throws OdeException on step-size underflow or more than five million steps
         */
        public void forward(final double[] z0, final double[] obs, final double[][] out) {
            checkTimes(obs);
            if (z0.length != n || out.length < obs.length) {
                throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "initial state or output rows", n + " and "
                        + obs.length, z0.length + " and " + out.length);
            }
            final long start = System.nanoTime();
            forwardDone = false;
            count = obs.length;
            if (times.length < count) {
                times = new double[count];
                obsStep = new int[count];
            }
            System.arraycopy(obs, 0, times, 0, count);
            steps = 0;
            System.arraycopy(z0, 0, z, 0, n);
            System.arraycopy(z0, 0, out[0], 0, n);
            obsStep[0] = 0;
            double t = times[0];
            boolean k0Ready = false;
            boolean lastRejected = false;
            double hNext = integration.step() > 0 ? integration.step() : Double.NaN;
            for (int i = 1; i < count; i++) {
                final double tEnd = times[i];
                if (!integration.adaptive()) {
                    final int m = Math.max(1, (int) Math.ceil((tEnd - t) / integration.step() - 1e-9));
                    final double h = (tEnd - t) / m;
                    for (int r = 0; r < m; r++) {
                        ensureCapacity(steps + 1);
                        final int base = steps * stride;
                        if (!k0Ready) {
                            stageZero(base);
                        }
                        attempt(h, base);
                        k0Ready = accept(t, h, base);
                        t = r == m - 1 ? tEnd : t + h;
                    }
                } else {
                    while (t < tEnd) {
                        ensureCapacity(steps + 1);
                        final int base = steps * stride;
                        if (!k0Ready) {
                            stageZero(base);
                            k0Ready = true;
                        }
                        if (Double.isNaN(hNext)) {
                            hNext = initialStep(base);
                        }
                        final double wanted = hNext;
                        double h = hNext;
                        boolean clipped = false;
                        if (t + (1 + STRETCH) * h >= tEnd) {
                            clipped = h > tEnd - t;
                            h = tEnd - t;
                        }
                        while (true) {
                            if (h < 1e-14 * Math.max(1.0, Math.abs(t)) || steps >= MAX_STEPS) {
                                throw new OdeException(ErrorCode.STEP_SIZE_UNDERFLOW, Double.toString(t),
                                        Double.toString(h), " (neural ODE forward pass with " + integration.method()
                                        + ", step " + steps + ")");
                            }
                            final double norm = attempt(h, base);
                            if (norm <= 1.0) {
                                hNext = h * stepFactor(norm, true, lastRejected);
                                lastRejected = false;
                                break;
                            }
                            rejectedSteps++;
                            clipped = false;
                            h *= stepFactor(norm, false, lastRejected);
                            lastRejected = true;
                        }
                        if (clipped) {
                            // a step shortened to reach an observation says nothing against the step wanted
                            hNext = Math.max(hNext, wanted);
                        }
                        k0Ready = accept(t, h, base);
                        t = t + h >= tEnd || tEnd - (t + h) <= 1e-12 * Math.max(1.0, Math.abs(tEnd)) ? tEnd : t + h;
                    }
                }
                obsStep[i] = steps;
                System.arraycopy(z, 0, out[i], 0, n);
            }
            forwardDone = true;
            forwardNanos += System.nanoTime() - start;
        }

        /**
         * The backward pass of the last {@link #forward}: adds \( \partial L/\partial\theta \) to
         * {@link ParameterVector#gradient()} and writes \( \partial L/\partial z_0 \).
         *
         * @param outputGradient \( \partial L/\partial z(t_i) \), {@code [times][n]} (not modified)
         * @param z0Gradient     \( \partial L/\partial z_0 \) (modified), or null
         * @throws IllegalStateException if no forward pass came before
         */
        public void backward(final double[][] outputGradient, final double[] z0Gradient) {
            if (!forwardDone) {
                throw new IllegalStateException("backward needs a forward pass first");
            }
            final long start = System.nanoTime();
            if (method == GradientMethod.BACKPROP) {
                backprop(outputGradient);
            } else {
                adjoint(outputGradient);
            }
            if (z0Gradient != null) {
                System.arraycopy(method == GradientMethod.BACKPROP ? zBar : adj, 0, z0Gradient, 0, n);
            }
            passes++;
            backwardNanos += System.nanoTime() - start;
        }

        /** @return the counters */
        public Statistics statistics() {
            return new Statistics(forwardEvaluations, backwardEvaluations, forwardSteps, backwardSteps,
                                  rejectedSteps, forwardNanos, backwardNanos, passes);
        }

        /** Sets every counter to zero. */
        public void resetStatistics() {
            forwardEvaluations = 0;
            backwardEvaluations = 0;
            forwardSteps = 0;
            backwardSteps = 0;
            rejectedSteps = 0;
            forwardNanos = 0;
            backwardNanos = 0;
            passes = 0;
        }

        /** @return accepted steps of the last forward pass */
        public int lastForwardSteps() {
            return steps;
        }

        // ------------------------------------------------------------ forward machinery

        private void ensureCapacity(final int stepsNeeded) {
            if (stepT.length >= stepsNeeded) {
                return;
            }
            final int cap = Math.max(16, Math.max(stepsNeeded, 2 * stepT.length));
            tape = Arrays.copyOf(tape, cap * stride);
            stepT = Arrays.copyOf(stepT, cap);
            stepH = Arrays.copyOf(stepH, cap);
            denseReady = Arrays.copyOf(denseReady, cap);
        }

        /** Stage 0 of the step at {@code base}: Y0 = z, k0 = f(z). */
        private void stageZero(final int base) {
            System.arraycopy(z, 0, tape, base + yOff, n);
            fieldAt(tape, base + yOff, tape, base + kOff, base + recOff);
            forwardEvaluations++;
        }

        /**
         * f(g(Y)) for Y at {@code src[srcOff..]} into {@code dst[dstOff..]}; the network record goes to the tape
         * at {@code recordAt} (backprop) or to scratch.
         */
        private void fieldAt(final double[] src, final int srcOff, final double[] dst, final int dstOff,
                             final int recordAt) {
            for (int i = 0; i < n; i++) {
                gz[i] = transform.apply(src[srcOff + i]);
            }
            if (keepRecords) {
                field.forward(gz, fz, tape, recordAt);
            } else {
                field.forward(gz, fz, record, 0);
            }
            System.arraycopy(fz, 0, dst, dstOff, n);
        }

        /** Stages 1..s-1 and the candidate zNew; returns the error norm (0 for fixed steps). */
        private double attempt(final double h, final int base) {
            final double[] tp = tape;
            for (int i = 1; i < s; i++) {
                final int yi = base + yOff + i * n;
                for (int d = 0; d < n; d++) {
                    double sum = 0.0;
                    for (int j = 0; j < i; j++) {
                        sum += a[i][j] * tp[base + kOff + j * n + d];
                    }
                    tp[yi + d] = z[d] + h * sum;
                }
                fieldAt(tp, yi, tp, base + kOff + i * n, base + recOff + i * rec);
                forwardEvaluations++;
            }
            for (int d = 0; d < n; d++) {
                double sum = 0.0;
                for (int j = 0; j < s; j++) {
                    sum += b[j] * tp[base + kOff + j * n + d];
                }
                zNew[d] = z[d] + h * sum;
            }
            if (!integration.adaptive()) {
                return 0.0;
            }
            for (int d = 0; d < n; d++) {
                double s5 = 0.0;
                double s3 = 0.0;
                for (int j = 0; j < s; j++) {
                    final double kj = tp[base + kOff + j * n + d];
                    s5 += e[j] * kj;
                    if (e3 != null) {
                        s3 += e3[j] * kj;
                    }
                }
                err[d] = h * s5;
                err3[d] = h * s3;
            }
            return combinedNorm(err, err3, z, zNew, n);
        }

        /** Hairer's RMS norm, with DOP853's combination of two estimates when the tableau has two. */
        private double combinedNorm(final double[] e5, final double[] e3v, final double[] y0, final double[] y1,
                                    final int len) {
            final double n5 = rms(e5, y0, y1, len);
            if (e3 == null) {
                return n5;
            }
            final double n3 = rms(e3v, y0, y1, len);
            final double deno = n5 * n5 + 0.01 * n3 * n3;
            return deno == 0.0 ? 0.0 : n5 * n5 / Math.sqrt(deno);
        }

        private double rms(final double[] v, final double[] y0, final double[] y1, final int len) {
            double sum = 0.0;
            for (int i = 0; i < len; i++) {
                final double sc = integration.atol() + integration.rtol() * Math.max(Math.abs(y0[i]),
                                                                                     Math.abs(y1[i]));
                final double r = v[i] / sc;
                sum += r * r;
            }
            return Math.sqrt(sum / len);
        }

        /** The step-size factor of the solver layer's elementary controller (as tsit5 and dop853 there). */
        private double stepFactor(final double norm, final boolean accepted, final boolean lastRej) {
            return controller.factor(Double.NaN, norm, controlOrder, accepted, lastRej);
        }

        /** Stores the accepted step and advances z; returns true if stage 0 of the next step is known (FSAL). */
        private boolean accept(final double t, final double h, final int base) {
            stepT[steps] = t;
            stepH[steps] = h;
            denseReady[steps] = false;
            steps++;
            forwardSteps++;
            System.arraycopy(zNew, 0, z, 0, n);
            if (!fsal) {
                return false;
            }
            // the last main stage is f(z_new): it becomes stage 0 of the next step
            ensureCapacity(steps + 1);
            final int next = steps * stride;
            final double[] tp = tape;
            System.arraycopy(tp, base + kOff + (s - 1) * n, tp, next + kOff, n);
            System.arraycopy(tp, base + yOff + (s - 1) * n, tp, next + yOff, n);
            if (keepRecords) {
                System.arraycopy(tp, base + recOff + (s - 1) * rec, tp, next + recOff, rec);
            }
            return true;
        }

        /** Hairer's starting step ({@link StartingStep}), one extra evaluation; k0 is known. */
        private double initialStep(final int base) {
            System.arraycopy(tape, base + kOff, startF0, 0, n);
            return StartingStep.hairer(0.0, z, startF0, controlOrder, Double.POSITIVE_INFINITY, atolVector,
                    rtolVector, forwardField, startY, fz);
        }

        // ------------------------------------------------------------ discretise-then-optimise

        private void backprop(final double[][] outputGradient) {
            final double[] grad = field.parameters().gradient();
            Arrays.fill(zBar, 0.0);
            for (int i = count - 1; i >= 1; i--) {
                for (int d = 0; d < n; d++) {
                    zBar[d] += outputGradient[i][d];
                }
                for (int m = obsStep[i] - 1; m >= obsStep[i - 1]; m--) {
                    reverseStep(m, grad);
                }
            }
            for (int d = 0; d < n; d++) {
                zBar[d] += outputGradient[0][d];
            }
        }

        /** Reverse mode through step m: zBar := (dz_{m+1}/dz_m)^T zBar, grad += (dz_{m+1}/dtheta)^T zBar. */
        private void reverseStep(final int m, final double[] grad) {
            final int base = m * stride;
            final double h = stepH[m];
            final double[] tp = tape;
            for (int i = s - 1; i >= 0; i--) {
                if (!needed[i]) {
                    continue;
                }
                // kBar_i = h b_i zBar + sum_{l > i} h a_li YBar_l
                for (int d = 0; d < n; d++) {
                    double sum = b[i] * zBar[d];
                    for (int l = i + 1; l < s; l++) {
                        if (needed[l]) {
                            sum += a[l][i] * stageBar[l][d];
                        }
                    }
                    kBar[d] = h * sum;
                }
                field.backward(tp, base + recOff + i * rec, kBar, gzBar, grad, mlpScratch);
                backwardEvaluations++;
                final int yi = base + yOff + i * n;
                for (int d = 0; d < n; d++) {
                    stageBar[i][d] = gzBar[d] * transform.derivative(tp[yi + d]);
                }
            }
            for (int i = 0; i < s; i++) {
                if (needed[i]) {
                    for (int d = 0; d < n; d++) {
                        zBar[d] += stageBar[i][d];
                    }
                }
            }
            backwardSteps++;
        }

        // ------------------------------------------------------------ continuous adjoint

        private void adjoint(final double[][] outputGradient) {
            Arrays.fill(quad, 0.0);
            System.arraycopy(outputGradient[count - 1], 0, adj, 0, n);
            cursor = steps - 1;
            double hNext = integration.step() > 0 ? integration.step() : Double.NaN;
            for (int i = count - 1; i >= 1; i--) {
                // reversed time tau = -t runs from -times[i] to -times[i-1]
                final double tau0 = -times[i];
                final double tau1 = -times[i - 1];
                hNext = adjointInterval(tau0, tau1, hNext);
                for (int d = 0; d < n; d++) {
                    adj[d] += outputGradient[i - 1][d];
                }
            }
            final double[] grad = field.parameters().gradient();
            for (int j = 0; j < p; j++) {
                grad[j] += quad[j];
            }
        }

        /** Integrates the adjoint and the quadrature over one interval; returns the next step to try. */
        private double adjointInterval(final double tau0, final double tau1, final double hStart) {
            double tau = tau0;
            // the adjoint jumped at tau0: no stage is reusable
            augmented(tau, adj, ka[0], q[0]);
            if (!integration.adaptive()) {
                final int m = Math.max(1, (int) Math.ceil((tau1 - tau0) / integration.step() - 1e-9));
                final double h = (tau1 - tau0) / m;
                for (int r = 0; r < m; r++) {
                    if (r > 0 && !fsal) {
                        augmented(tau, adj, ka[0], q[0]);
                    }
                    adjointAttempt(tau, h);
                    adjointAccept(h);
                    tau = r == m - 1 ? tau1 : tau + h;
                }
                return hStart;
            }
            double hNext = hStart;
            if (Double.isNaN(hNext)) {
                hNext = adjointInitialStep(tau);
            }
            boolean k0Ready = true;
            boolean lastRejected = false;
            while (tau < tau1) {
                if (!k0Ready) {
                    augmented(tau, adj, ka[0], q[0]);
                }
                // the forward solution is a different polynomial in each forward step and only continuous at
                // their ends: an adjoint step across such an end sees a kink and is rejected, so the forward
                // step ends are forced step points of the backward pass
                final double stop = Math.min(tau1, forwardBoundary(tau));
                final double wanted = hNext;
                double h = hNext;
                boolean clipped = false;
                if (tau + (1 + STRETCH) * h >= stop) {
                    clipped = h > stop - tau;
                    h = stop - tau;
                }
                while (true) {
                    if (h < 1e-14 * Math.max(1.0, Math.abs(tau))) {
                        throw new OdeException(ErrorCode.STEP_SIZE_UNDERFLOW, Double.toString(-tau),
                                Double.toString(h), " (neural ODE adjoint pass with " + integration.method() + ")");
                    }
                    final double norm = adjointAttempt(tau, h);
                    if (norm <= 1.0) {
                        hNext = h * stepFactor(norm, true, lastRejected);
                        lastRejected = false;
                        break;
                    }
                    rejectedSteps++;
                    clipped = false;
                    h *= stepFactor(norm, false, lastRejected);
                    lastRejected = true;
                }
                if (clipped) {
                    hNext = Math.max(hNext, wanted);
                }
                k0Ready = adjointAccept(h);
                final double landed = tau + h >= stop || stop - (tau + h) <= 1e-12 * Math.max(1.0, Math.abs(stop))
                        ? stop : tau + h;
                tau = landed;
            }
            return hNext;
        }

        /**
         * The reversed time of the start of the forward step that contains t = -tau strictly inside or at its end,
         * i.e. the next forward step point the backward pass reaches.
         */
        private double forwardBoundary(final double tau) {
            final double t = -tau;
            final double slack = 1e-12 * Math.max(1.0, Math.abs(t));
            int m = Math.min(Math.max(cursor, 0), steps - 1);
            while (m < steps - 1 && stepT[m + 1] < t - slack) {
                m++;
            }
            while (m > 0 && stepT[m] >= t - slack) {
                m--;
            }
            return -stepT[m];
        }

        /** Stages 1..s-1 of the augmented system, adjNew; returns the error norm (0 for fixed steps). */
        private double adjointAttempt(final double tau, final double h) {
            for (int i = 1; i < s; i++) {
                for (int d = 0; d < n; d++) {
                    double sum = 0.0;
                    for (int j = 0; j < i; j++) {
                        sum += a[i][j] * ka[j][d];
                    }
                    stageArg[d] = adj[d] + h * sum;
                }
                augmented(tau + c[i] * h, stageArg, ka[i], q[i]);
            }
            for (int d = 0; d < n; d++) {
                double sum = 0.0;
                for (int j = 0; j < s; j++) {
                    sum += b[j] * ka[j][d];
                }
                adjNew[d] = adj[d] + h * sum;
            }
            if (!integration.adaptive()) {
                return 0.0;
            }
            for (int d = 0; d < n; d++) {
                double s5 = 0.0;
                double s3 = 0.0;
                for (int j = 0; j < s; j++) {
                    s5 += e[j] * ka[j][d];
                    if (e3 != null) {
                        s3 += e3[j] * ka[j][d];
                    }
                }
                err[d] = h * s5;
                err3[d] = h * s3;
            }
            final double normA = combinedNorm(err, err3, adj, adjNew, n);
            if (integration.seminorm()) {
                return normA;
            }
            // full norm: the quadrature's own estimate h sum e_j q_j, scaled by |quad| (torchdiffeq's default,
            // which takes the maximum over the parts of the augmented state)
            for (int k = 0; k < p; k++) {
                double s5 = 0.0;
                double sumB = 0.0;
                for (int j = 0; j < s; j++) {
                    s5 += e[j] * q[j][k];
                    sumB += b[j] * q[j][k];
                }
                quadErr[k] = h * s5;
                final double sc = integration.atol() + integration.rtol()
                        * Math.max(Math.abs(quad[k]), Math.abs(quad[k] + h * sumB));
                quadErr[k] /= sc;
            }
            double sum = 0.0;
            for (int k = 0; k < p; k++) {
                sum += quadErr[k] * quadErr[k];
            }
            return Math.max(normA, Math.sqrt(sum / p));
        }

        /** Accepts the augmented step: adj, quad advance; returns true if stage 0 of the next step is known. */
        private boolean adjointAccept(final double h) {
            System.arraycopy(adjNew, 0, adj, 0, n);
            for (int j = 0; j < s; j++) {
                final double hb = h * b[j];
                if (hb != 0.0) {
                    final double[] qj = q[j];
                    for (int k = 0; k < p; k++) {
                        quad[k] += hb * qj[k];
                    }
                }
            }
            backwardSteps++;
            if (!fsal) {
                return false;
            }
            final double[] swapK = ka[0];
            ka[0] = ka[s - 1];
            ka[s - 1] = swapK;
            final double[] swapQ = q[0];
            q[0] = q[s - 1];
            q[s - 1] = swapQ;
            return true;
        }

        /** The forward starting step's trial evaluation (time-independent field). */
        private void startingTrial(final double time, final double[] state, final double[] out) {
            for (int i = 0; i < n; i++) {
                gz[i] = transform.apply(state[i]);
            }
            field.forward(gz, out, record, 0);
            forwardEvaluations++;
        }

        private void adjointStartingTrial(final double tau, final double[] state, final double[] out) {
            augmented(tau, state, out, q[1]);
        }

        /** Hairer's starting step for the adjoint part (one extra augmented evaluation into stage 1). */
        private double adjointInitialStep(final double tau) {
            return StartingStep.hairer(tau, adj, ka[0], controlOrder, Double.POSITIVE_INFINITY, atolVector, rtolVector,
                    adjointField, stageArg, ka[1]);
        }

        /**
         * The augmented right-hand side in reversed time \( \tau = -t \): \( da/d\tau = (\partial f/\partial z)^T a \),
         * \( dq/d\tau = (\partial f/\partial\theta)^T a \), with z(t) from the forward dense output.
         */
        private void augmented(final double tau, final double[] av, final double[] da, final double[] dq) {
            interpolate(-tau, zInterp);
            for (int i = 0; i < n; i++) {
                gz[i] = transform.apply(zInterp[i]);
            }
            field.forward(gz, fz, record, 0);
            Arrays.fill(dq, 0.0);
            field.backward(record, 0, av, gzBar, dq, mlpScratch);
            for (int i = 0; i < n; i++) {
                da[i] = gzBar[i] * transform.derivative(zInterp[i]);
            }
            backwardEvaluations++;
        }

        /** z(t) from the continuous extension of the forward step containing t. */
        private void interpolate(final double t, final double[] out) {
            while (cursor > 0 && t < stepT[cursor]) {
                cursor--;
            }
            while (cursor < steps - 1 && t > stepT[cursor] + stepH[cursor]) {
                cursor++;
            }
            final int m = cursor;
            ensureDense(m);
            final double h = stepH[m];
            final double theta = (t - stepT[m]) / h;
            for (int j = 0; j < total; j++) {
                final double[] poly = dense[j];
                double w = 0.0;
                for (int k = poly.length - 1; k >= 0; k--) {
                    w = (w + poly[k]) * theta;
                }
                weights[j] = h * w;
            }
            final int base = m * stride;
            final double[] tp = tape;
            for (int d = 0; d < n; d++) {
                double sum = tp[base + yOff + d];
                for (int j = 0; j < total; j++) {
                    if (weights[j] != 0.0) {
                        sum += weights[j] * tp[base + kOff + j * n + d];
                    }
                }
                out[d] = sum;
            }
        }

        /** Fills the end stage and the lazy dense stages of forward step m (evaluations counted backward). */
        private void ensureDense(final int m) {
            if (denseReady[m]) {
                return;
            }
            final int base = m * stride;
            final double[] tp = tape;
            final double h = stepH[m];
            if (!fsal && denseNeeded[end]) {
                if (m + 1 < steps) {
                    System.arraycopy(tp, (m + 1) * stride + kOff, tp, base + kOff + end * n, n);
                } else {
                    combineStage(base, h, b, s, stageArg);
                    evaluateInto(stageArg, tp, base + kOff + end * n);
                }
            }
            for (int i = end + 1; i < total; i++) {
                if (denseNeeded[i]) {
                    combineStage(base, h, a[i], i, stageArg);
                    evaluateInto(stageArg, tp, base + kOff + i * n);
                }
            }
            denseReady[m] = true;
        }

        /** out = y_m + h sum_{j < len} w_j k_j for the step at base. */
        private void combineStage(final int base, final double h, final double[] w, final int len,
                                  final double[] out) {
            for (int d = 0; d < n; d++) {
                double sum = 0.0;
                for (int j = 0; j < len; j++) {
                    sum += w[j] * tape[base + kOff + j * n + d];
                }
                out[d] = tape[base + yOff + d] + h * sum;
            }
        }

        private void evaluateInto(final double[] y, final double[] dst, final int dstOff) {
            for (int i = 0; i < n; i++) {
                gz[i] = transform.apply(y[i]);
            }
            field.forward(gz, fz, record, 0);
            System.arraycopy(fz, 0, dst, dstOff, n);
            backwardEvaluations++;
        }
    }
}
