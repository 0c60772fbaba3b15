package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.Equation;
import org.neurode.core.JacobianEquation;
import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;
import org.neurode.core.SparseJacobianEquation;
import org.neurode.core.expr.JacobianChecks;
import org.neurode.core.expr.ModelFile;
import org.neurode.examples.bench.Brian2Models;
import org.neurode.models.HodgkinHuxley;
import org.neurode.models.LifPopulation;
import org.neurode.models.Microcircuit;
import org.neurode.models.ThreeCompartmentPopulation;
import org.neurode.models.burst.BurstXor;
import org.neurode.models.burst.MultiplexCircuit;
import org.neurode.models.credit.SegregatedDendrites;
import org.neurode.solvers.compare.StandardProblems;

/**
 * Issue 18: the compiled Jacobians of the models of neuron-models and examples equal central differences (see
 * {@link JacobianChecks} for the increment and the scaled tolerance), and those of the stiff reference problems
 * written as model files equal the hand-written Jacobians of {@link StandardProblems} (and of the Test Set for E5
 * and OREGO) to rounding. The LTC, CfC, CT-RNN and neural-ODE cells are hand-written right-hand sides, not
 * equations: they are not compiled and have no compiled Jacobian.
 */
class CompiledJacobianTest {

    private static final Path MODELS = Path.of("..", "examples", "models");

    /** The models compiled from equations, small enough for dense central differences. */
    private static Map<String, Model> models() {
        final Map<String, Model> m = new LinkedHashMap<>();
        m.put("lif", LifPopulation.standard(50));
        final double[] v0 = new double[40];
        for (int i = 0; i < v0.length; i++) {
            v0[i] = (i * 0.37) % 1.0;
        }
        m.put("brian2-lif", LifPopulation.brian2Benchmark(v0));
        final double[] w = new double[6 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(i);
        }
        m.put("three-compartment", ThreeCompartmentPopulation.create(6, 4, 0.01, w));
        m.put("hodgkin-huxley", HodgkinHuxley.create(3, 10.0, 0.0, 5.0));
        final Microcircuit.Config small = new Microcircuit.Config(new int[] {5, 7, 6, 3}, 0.1, 1.0, 0.8, 1.0, 0.8,
                0.1, 1.0, 3.0, 3.0, 30.0, new double[] {0.001, 0.002, 0.003}, 0.004, 0.005, 0.006, 0.0,
                Microcircuit.NoiseConvention.WHITE, 0.1);
        m.put("microcircuit-5-7-6-3", withRandomWeights(Microcircuit.build(small), 11));
        m.put("microcircuit-tanh-sigmoid-biases", withRandomWeights(Microcircuit.build(small,
                org.neurode.core.spec.ExprSpec.parse("tanh(u)"), org.neurode.core.spec.ExprSpec.parse("sigmoid(u)"),
                true), 12));
        m.put("multiplex-circuit", MultiplexCircuit.model(MultiplexCircuit.Config.paper().withPyramidal(20)));
        m.put("burst-xor", ModelFile.parse(BurstXor.modelText(4, 1.0), "burst-xor.ode", "burst-xor").model());
        final int[] sizes = {3, 4, 5, 2};
        final SegregatedDendrites.Config c = SegregatedDendrites.Config.paper(sizes,
                SegregatedDendrites.Readout.POTENTIAL, SegregatedDendrites.InputCode.LOGISTIC,
                SegregatedDendrites.FeedbackMode.RANDOM, new double[] {0.1, 0.1, 0.1}, 0.5);
        final SplittableRandom r = new SplittableRandom(7);
        final double[][] sw = new double[sizes.length][];
        for (int k = 1; k < sizes.length; k++) {
            sw[k] = r.doubles((long) sizes[k] * sizes[k - 1], -1, 1).toArray();
        }
        m.put("segregated-dendrites", new SegregatedDendrites(c, "test", sw, new SplittableRandom(8)).model());
        m.put("brian2-rate", Brian2Models.rate(30, 3));
        m.put("brian2-dend", Brian2Models.dend(5, 8, 3));
        return m;
    }

    private static Model withRandomWeights(final Model built, final long seed) {
        final double[] y = built.initialState();
        return Microcircuit.randomWeights(built, y, 1.0, new SplittableRandom(seed)).withInitialState(y);
    }

    @Test
    void issue18_neuronModelsMatchCentralDifferences() {
        for (final Map.Entry<String, Model> e : models().entrySet()) {
            final Model m = e.getValue();
            final SplittableRandom rnd = new SplittableRandom(e.getKey().hashCode());
            for (int k = 0; k < 3; k++) {
                final JacobianPattern p = JacobianChecks.check(m.equation(), 2.0 * k,
                        JacobianChecks.randomState(m, rnd), e.getKey() + "#" + k);
                assertTrue(p.nonZeros() <= (long) m.dimension() * m.dimension());
            }
        }
    }

    @Test
    void issue18_paperMicrocircuitColumnsMatchCentralDifferences() {
        // GIVEN the 30-50-10 circuit of compare-solvers --problems MICROCIRCUIT (6,148 states) at random states
        final Model m = org.neurode.models.experiment.compare.NeuronProblems.get("MICROCIRCUIT").problem().model();
        final SplittableRandom rnd = new SplittableRandom(30);
        final Equation eq = m.equation();
        // THEN 40 random columns and the columns of the first input filter, potential and weight agree
        final int[] columns = rnd.ints(40, 0, m.dimension()).toArray();
        final int[] blocks = {m.layout().index("r0[0]"), m.layout().index("u1[0]"), m.layout().index("W1[0]")};
        final double[] y = JacobianChecks.randomState(m, rnd);
        JacobianChecks.checkColumns(eq, 0.0, y, columns, "microcircuit");
        JacobianChecks.checkColumns(eq, 0.0, y, blocks, "microcircuit");
    }

    @Test
    void issue18_stiffModelFilesEqualTheHandWrittenJacobians() {
        // GIVEN the Test Set problems as model files and their hand-written Jacobians
        final Map<String, JacobianEquation> hand = new LinkedHashMap<>();
        hand.put("vdpol.ode", (JacobianEquation) StandardProblems.get("VDPOLM_MU1000").problem().model().equation());
        hand.put("rober.ode", (JacobianEquation) StandardProblems.get("ROBER").problem().model().equation());
        hand.put("hires.ode", (JacobianEquation) StandardProblems.get("HIRES").problem().model().equation());
        hand.put("e5.ode", new TestSetJacobian(4, CompiledJacobianTest::e5Jacobian));
        hand.put("orego.ode", new TestSetJacobian(3, CompiledJacobianTest::oregoJacobian));
        final SplittableRandom rnd = new SplittableRandom(18);
        for (final Map.Entry<String, JacobianEquation> e : hand.entrySet()) {
            final ModelFile file = ModelFile.read(MODELS.resolve(e.getKey()));
            assertTrue(file.stiff() && !file.reference().isEmpty(), e.getKey());
            final SparseJacobianEquation eq = (SparseJacobianEquation) file.model().equation();
            final int n = eq.dimension();
            final JacobianPattern p = eq.jacobianPattern();
            final double[] values = new double[p.nonZeros()];
            final double[] compiled = new double[n * n];
            final double[] written = new double[n * n];
            for (int k = 0; k < 5; k++) {
                // positive states of the sizes the problems visit: concentrations from 1e-6 to 10
                final double[] y = new double[n];
                for (int j = 0; j < n; j++) {
                    y[j] = Math.pow(10, rnd.nextDouble(-6, 1));
                }
                eq.jacobianValues(0.0, y, values);
                p.toDense(values, compiled);
                e.getValue().jacobian(0.0, y, written);
                // THEN they agree to rounding: a few ulps of the largest term of each entry's row
                for (int i = 0; i < n; i++) {
                    double row = 0.0;
                    for (int j = 0; j < n; j++) {
                        row = Math.max(row, Math.abs(written[i * n + j]) * Math.max(y[j], 1.0));
                    }
                    for (int j = 0; j < n; j++) {
                        final double err = Math.abs(compiled[i * n + j] - written[i * n + j]) * Math.max(y[j], 1.0);
                        if (err > 1e-14 * row) {
                            fail(e.getKey() + ": entry (" + i + ", " + j + ") is " + compiled[i * n + j]
                                    + ", written " + written[i * n + j]);
                        }
                        if (written[i * n + j] != 0.0 && p.indexOf(i, j) < 0) {
                            fail(e.getKey() + ": entry (" + i + ", " + j + ") is not in the pattern");
                        }
                    }
                }
            }
        }
    }

    @Test
    void issue18_elementwiseExampleModelsGiveDiagonalBlocks() {
        // the CUBA network of 4,000 neurons: v reads v, ge, gi; ge and gi decay on their own
        assertEquals(4000 * 5, ((SparseJacobianEquation) ModelFile.read(MODELS.resolve("cuba.ode")).model()
                .equation()).jacobianPattern().nonZeros());
        // the microcircuit: potentials, filters and weights by their blocks (docs/model-language.md)
        final Model mc = org.neurode.models.experiment.compare.NeuronProblems.get("MICROCIRCUIT").problem().model();
        assertEquals(6148, mc.dimension());
        final JacobianPattern p = ((SparseJacobianEquation) mc.equation()).jacobianPattern();
        assertTrue(p.nonZeros() < 0.01 * 6148.0 * 6148.0, p.toString());
    }

    /** The Jacobian of E5 (Test Set for IVP Solvers, release 2.4), written from its equations. */
    private static void e5Jacobian(final double[] y, final double[] j) {
        final double a = 7.89e-10;
        final double b = 1.1e7;
        final double c = 1.13e3;
        final double m = 1e6;
        java.util.Arrays.fill(j, 0.0);
        j[0] = -a - b * y[2];
        j[2] = -b * y[0];
        j[4] = a;
        j[5] = -m * c * y[2];
        j[6] = -m * c * y[1];
        j[8] = a - b * y[2];
        j[9] = -m * c * y[2];
        j[10] = -b * y[0] - m * c * y[1];
        j[11] = c;
        j[12] = b * y[2];
        j[14] = b * y[0];
        j[15] = -c;
    }

    /** The Jacobian of OREGO (Test Set for IVP Solvers, release 2.4), written from its equations. */
    private static void oregoJacobian(final double[] y, final double[] j) {
        final double s = 77.27;
        final double q = 8.375e-6;
        final double w = 0.161;
        j[0] = s * (1.0 - 2.0 * q * y[0] - y[1]);
        j[1] = s * (1.0 - y[0]);
        j[2] = 0.0;
        j[3] = -y[1] / s;
        j[4] = -(1.0 + y[0]) / s;
        j[5] = 1.0 / s;
        j[6] = w;
        j[7] = 0.0;
        j[8] = -w;
    }

    /** A hand-written Jacobian as an equation (its derivatives are not used). */
    private record TestSetJacobian(int dimension, java.util.function.BiConsumer<double[], double[]> jac)
            implements JacobianEquation {
        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void jacobian(final double t, final double[] y, final double[] dfdy) {
            jac.accept(y, dfdy);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} with {2}")
    @org.junit.jupiter.params.provider.CsvSource({"rober.ode, ROBER, rodas5p", "rober.ode, ROBER, bdf",
            "rober.ode, ROBER, radau-iia-5", "hires.ode, HIRES, rodas5p", "hires.ode, HIRES, bdf",
            "vdpol.ode, VDPOLM_MU1000, rodas5p", "vdpol.ode, VDPOLM_MU1000, bdf", "e5.ode, E5, rodas5p",
            "e5.ode, E5, bdf", "e5.ode, E5, radau-iia-5"})
    void issue18_stiffModelFilesSolveAsTheHandWrittenJacobiansDo(final String fileName, final String problem,
                                                                  final String solver) {
        // GIVEN a stiff Test Set problem as a model file, solved with its compiled Jacobian (through the solvers'
        // sparse path), with the hand-written Jacobian of the built-in problem attached to the same right-hand side,
        // and without any Jacobian (finite differences). The model file's f and the built-in f may differ in
        // rounding (y^2 against y*y), which alone moves BDF's step sequence; so the hand-written Jacobian is given
        // the file's own f, and the comparison isolates the Jacobian.
        final ModelFile file = ModelFile.read(MODELS.resolve(fileName));
        final Model m = file.model();
        final org.neurode.solvers.compare.IvpProblem builtIn = StandardProblems.get(problem);
        final JacobianEquation hand = (JacobianEquation) builtIn.problem().model().equation();
        final Model handWritten = Model.of(m.name(), m.layout(), m.parameters(),
                p -> new HandJacobian(m.equationFactory().create(p), hand), m.initialState());
        final Model differenced = Model.of(m.name(), m.layout(), m.parameters(),
                p -> new WithoutJacobian(m.equationFactory().create(p)), m.initialState());
        final double rtol = 1e-6;
        final org.neurode.solvers.SolveOptions o = org.neurode.solvers.SolveOptions.tolerances(rtol,
                rtol * builtIn.atolFactor());
        final org.neurode.solvers.Solver s = org.neurode.solvers.Solvers.get(solver);
        // WHEN each is solved at rtol 1e-6 (atol by the problem's factor)
        final org.neurode.core.Trajectory a = s.solve(org.neurode.core.Problem.of(m, file.tEnd()), o);
        final org.neurode.core.Trajectory b = s.solve(org.neurode.core.Problem.of(handWritten, file.tEnd()), o);
        final org.neurode.core.Trajectory c = s.solve(org.neurode.core.Problem.of(differenced, file.tEnd()), o);
        // THEN with the compiled Jacobian it takes the steps, evaluations and Jacobians of the hand-written one
        // (the two Jacobians are equal to rounding, issue18_stiffModelFilesEqualTheHandWrittenJacobians), and
        // finite differences cost more evaluations (one per column and Jacobian)
        assertEquals(b.statistics().acceptedSteps(), a.statistics().acceptedSteps(), a.statistics() + " vs " + b.statistics());
        assertEquals(b.statistics().rhsEvaluations(), a.statistics().rhsEvaluations());
        assertEquals(b.statistics().jacobianEvaluations(), a.statistics().jacobianEvaluations());
        assertTrue(c.statistics().rhsEvaluations() > a.statistics().rhsEvaluations(), c.statistics().toString());
        // End states: a Rosenbrock step is a fixed function of J, so Jacobians equal to rounding give end states
        // within 1e-10 relative (measured <= 2e-11 after 1e11 time units of ROBER). Newton methods (bdf,
        // radau-iia-5) stop iterating within a fraction of the local tolerance, and J changes the iterates, so
        // their end states agree to the tolerance only (measured: bdf on Van der Pol 2e-10 relative at rtol 1e-6).
        final boolean newton = !solver.startsWith("rodas");
        for (int i = 0; i < b.finalState().length; i++) {
            final double ref = Math.abs(b.finalState()[i]);
            final double tol = newton ? rtol * ref + rtol * builtIn.atolFactor() : 1e-10 * ref + 1e-30;
            assertEquals(b.finalState()[i], a.finalState()[i], tol);
        }
    }

    /** A right-hand side with a hand-written dense Jacobian attached. */
    private record HandJacobian(Equation eq, JacobianEquation jacobian) implements JacobianEquation {
        @Override
        public int dimension() {
            return eq.dimension();
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            eq.derivatives(t, y, dydt);
        }

        @Override
        public boolean autonomous() {
            return eq.autonomous();
        }

        @Override
        public void jacobian(final double t, final double[] y, final double[] dfdy) {
            jacobian.jacobian(t, y, dfdy);
        }
    }

    /** The same equation without a Jacobian (the solver differences it). */
    private record WithoutJacobian(Equation eq) implements Equation {
        @Override
        public int dimension() {
            return eq.dimension();
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            eq.derivatives(t, y, dydt);
        }

        @Override
        public boolean autonomous() {
            return eq.autonomous();
        }
    }
}
