package org.neurode.examples.bench;

import java.util.SplittableRandom;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import org.neurode.core.Model;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ArrayKernels;
import org.neurode.models.Microcircuit;

/**
 * A measurement, not a model: several seeds of the one-hidden-layer dendritic microcircuit (Sacramento et al.
 * 2018; {@link Microcircuit}) integrated together by exponential Euler in one interleaved state, to answer
 * whether batching seeds beats running one seed per core (issue 15). Element {@code i} of a vector of seed
 * {@code b} sits at {@code i * B + b}, element (i, j) of a matrix at {@code (i * cols + j) * B + b}, so that
 * every operation of the step works on whole vectors of {@code B} lanes (one per seed) without tails, however
 * small the layers are.
 *
 * <p>Each seed has its own plastic weights, so the products {@code W b_s} of the B seeds are B independent
 * matrix-vector products laid side by side, not one matrix-matrix product: no weight is read once for
 * several seeds. The experiment therefore measures what remains, the use of the vector lanes and the cost
 * per operation. The equations and the update are those of the compiled model under {@code exponential-euler}
 * with nudging and plasticity on (the step is checked against it in {@code SeedBatchTest}); the rates use the
 * library's own softplus kernel. Somatic noise, when on, is the exact Ornstein-Uhlenbeck increment that the
 * solver adds (sigma sqrt((1 - e^{2ah}) / (-2a)) N(0, 1) per soma and step), drawn from one generator per
 * batch. Hand-written on purpose: it is the alternative layout the model compiler would have to generate, and
 * the question is whether that would pay.
 *
 * @since 0.1
 */
public final class SeedBatch {

    /** The machine's widest vectors; a static constant, which the Vector API needs to compile them as such. */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Whether the seeds are interleaved (one per lane), or there is one seed in the compiled model's layout. */
    private final boolean interleaved;
    /** Seeds: the lanes of the species when interleaved, else 1. */
    private final int lanes;
    private final int n0;
    private final int n1;
    private final int n2;
    // parameters
    private final double gL;
    private final double gB;
    private final double gA;
    private final double gD;
    private final double gSom;
    private final double gamma;
    private final double beta;
    private final double theta;
    private final double tau0;
    private final double tauW;
    private final double etaW1;
    private final double etaW2;
    private final double etaP;
    private final double etaQ;
    private final double sigma;
    // state
    private final double[] r0;
    private final double[] u1;
    private final double[] u2;
    private final double[] uI1;
    /** The plastic matrices, each followed by its filter D in the same array. */
    private final double[] w1;
    private final double[] w2;
    private final double[] p1;
    private final double[] q1;
    /** The fixed top-down weights, per seed. */
    private final double[] b1;
    // inputs
    private final double[] x;
    private final double[] target;
    // work
    private final double[] r1;
    private final double[] r2;
    private final double[] rI1;
    private final double[] vB1;
    private final double[] vB2;
    private final double[] vA1;
    private final double[] vI1;
    private final double[] e1;
    private final double[] e2;
    private final double[] eI;
    private final double[] tmp;
    private final SplittableRandom random;

    /**
     * @param config      the circuit's parameters (one hidden layer)
     * @param interleaved true for one seed per vector lane ({@link #lanes} seeds); false for one seed, stored and
     *                    computed as the compiled model does (the library's matrix-vector and rank-1 kernels), the
     *                    control that separates the gain of the layout from that of writing the step by hand
     * @param seed        seed of the noise
     * @throws IllegalArgumentException if the circuit has more than one hidden layer or plastic top-down weights
     */
    public SeedBatch(final Microcircuit.Config config, final boolean interleaved, final long seed) {
        if (config.layers() != 2 || config.etaTopDown() != 0.0) {
            throw new IllegalArgumentException("the seed batch covers one hidden layer with fixed top-down weights");
        }
        this.interleaved = interleaved;
        this.lanes = interleaved ? S.length() : 1;
        this.n0 = config.sizes()[0];
        this.n1 = config.sizes()[1];
        this.n2 = config.sizes()[2];
        this.gL = config.gL();
        this.gB = config.gB();
        this.gA = config.gA();
        this.gD = config.gD();
        this.gSom = config.gSom();
        this.gamma = config.gamma();
        this.beta = config.beta();
        this.theta = config.theta();
        this.tau0 = config.tau0();
        this.tauW = config.tauW();
        this.etaW1 = config.etaForward()[0];
        this.etaW2 = config.etaForward()[1];
        this.etaP = config.etaIP();
        this.etaQ = config.etaPI();
        this.sigma = config.whiteSigma();
        final int l = lanes;
        r0 = new double[n0 * l];
        u1 = new double[n1 * l];
        u2 = new double[n2 * l];
        uI1 = new double[n2 * l];
        w1 = new double[2 * n1 * n0 * l];
        w2 = new double[2 * n2 * n1 * l];
        p1 = new double[2 * n2 * n1 * l];
        q1 = new double[2 * n1 * n2 * l];
        b1 = new double[n1 * n2 * l];
        x = new double[n0 * l];
        target = new double[n2 * l];
        r1 = new double[n1 * l];
        r2 = new double[n2 * l];
        rI1 = new double[n2 * l];
        vB1 = new double[n1 * l];
        vB2 = new double[n2 * l];
        vA1 = new double[n1 * l];
        vI1 = new double[n2 * l];
        e1 = new double[n1 * l];
        e2 = new double[n2 * l];
        eI = new double[n2 * l];
        tmp = new double[n1 * l];
        random = new SplittableRandom(seed);
    }

    /** @return seeds in this batch */
    public int lanes() {
        return lanes;
    }

    /**
     * Copies one seed's state in from the compiled model's layout.
     *
     * @param lane  the seed's lane
     * @param model the compiled circuit (its fixed top-down weights are read from its parameters)
     * @param state a state of that model (not modified)
     */
    public void load(final int lane, final Model model, final double[] state) {
        final StateLayout layout = model.layout();
        for (final String v : VECTORS) {
            scatter(state, layout.block(v), array(v), 0, lane);
        }
        for (final String m : MATRICES) {
            scatter(state, layout.block(m), array(m), 0, lane);
            scatter(state, layout.block("D" + m), array(m), array(m).length / 2, lane);
        }
        final double[] top = Microcircuit.topDown(model, state, 1);
        for (int i = 0; i < top.length; i++) {
            b1[i * lanes + lane] = top[i];
        }
    }

    /**
     * Copies one seed's state out into the compiled model's layout (the blocks the batch integrates).
     *
     * @param lane  the seed's lane
     * @param model the compiled circuit
     * @param state a state of that model (modified)
     */
    public void store(final int lane, final Model model, final double[] state) {
        final StateLayout layout = model.layout();
        for (final String v : VECTORS) {
            gather(array(v), 0, lane, state, layout.block(v));
        }
        for (final String m : MATRICES) {
            gather(array(m), 0, lane, state, layout.block(m));
            gather(array(m), array(m).length / 2, lane, state, layout.block("D" + m));
        }
    }

    /** The integrated vectors and the plastic matrices (each array holding the matrix, then its filter D). */
    private static final String[] VECTORS = {"r0", "u1", "u2", "uI1"};
    private static final String[] MATRICES = {"W1", "W2", "P1", "Q1"};

    /** @return the batch's array of a block of the compiled model */
    private double[] array(final String name) {
        return switch (name) {
            case "r0" -> r0;
            case "u1" -> u1;
            case "u2" -> u2;
            case "uI1" -> uI1;
            case "W1" -> w1;
            case "W2" -> w2;
            case "P1" -> p1;
            case "Q1" -> q1;
            default -> throw new IllegalArgumentException("no block " + name + " in the seed batch");
        };
    }

    /**
     * Sets one seed's pattern.
     *
     * @param lane    the seed's lane
     * @param rates   input rates x (length n0; not modified)
     * @param targets output target potentials (length n2; not modified)
     */
    public void setPattern(final int lane, final double[] rates, final double[] targets) {
        for (int i = 0; i < n0; i++) {
            x[i * lanes + lane] = rates[i];
        }
        for (int i = 0; i < n2; i++) {
            target[i * lanes + lane] = targets[i];
        }
    }

    private void scatter(final double[] from, final StateLayout.Block block, final double[] to, final int start,
                         final int lane) {
        for (int i = 0; i < block.size(); i++) {
            to[start + i * lanes + lane] = from[block.offset() + i];
        }
    }

    private void gather(final double[] from, final int start, final int lane, final double[] to,
                        final StateLayout.Block block) {
        for (int i = 0; i < block.size(); i++) {
            to[block.offset() + i] = from[start + i * lanes + lane];
        }
    }

    /**
     * Integrates all seeds over {@code steps} exponential-Euler steps of {@code h} with nudging and plasticity on.
     *
     * @param steps number of steps
     * @param h     step (ms)
     * @param noise whether the somatic noise is on
     */
    public void advance(final int steps, final double h, final boolean noise) {
        // the decay factors of the linear parts; with nudging and plasticity fixed they are constants
        final double a1 = -(gL + gB + gA);
        final double a2 = -(gL + gB + gSom);
        final double aI = -(gL + gD + gSom);
        final double f1 = Math.exp(a1 * h);
        final double f2 = Math.exp(a2 * h);
        final double fI = Math.exp(aI * h);
        final double f0 = Math.exp(-h / tau0);
        final double g = Math.exp(-h / tauW);
        final double s1 = noise ? sigma * Math.sqrt(-Math.expm1(2 * a1 * h) / (-2 * a1)) : 0.0;
        final double s2 = noise ? sigma * Math.sqrt(-Math.expm1(2 * a2 * h) / (-2 * a2)) : 0.0;
        final double sI = noise ? sigma * Math.sqrt(-Math.expm1(2 * aI * h) / (-2 * aI)) : 0.0;
        final double att1 = gB / (gL + gB + gA);
        final double att2 = gB / (gL + gB);
        final double attI = gD / (gL + gD);
        for (int step = 0; step < steps; step++) {
            // rates and dendritic potentials at the start of the step
            rate(u1, r1);
            rate(u2, r2);
            rate(uI1, rI1);
            matvec(w1, n1, n0, r0, vB1, false);
            matvec(w2, n2, n1, r1, vB2, false);
            matvec(p1, n2, n1, r1, vI1, false);
            matvec(b1, n1, n2, r2, vA1, false);
            matvec(q1, n1, n2, rI1, vA1, true);
            // the plasticity errors: r - phi(att vB) etc.
            error(r1, vB1, att1, e1);
            error(r2, vB2, att2, e2);
            error(rI1, vI1, attI, eI);
            // filters and weights: D <- g D + (1 - g) eta err r^T, W <- W + h D (old D)
            rank1(w1, n1, n0, g, (1 - g) * etaW1, e1, r0, h);
            rank1(w2, n2, n1, g, (1 - g) * etaW2, e2, r1, h);
            rank1(p1, n2, n1, g, (1 - g) * etaP, eI, r1, h);
            rank1(q1, n1, n2, g, -(1 - g) * etaQ, vA1, rI1, h);
            // somata and the input filter (exact exponential on the linear part, inputs held over the step)
            soma(u1, f1, a1, vB1, gB, vA1, gA);
            soma(uI1, fI, aI, vI1, gD, u2, gSom);
            soma(u2, f2, a2, vB2, gB, target, gSom);
            soma(r0, f0, -1.0 / tau0, x, 1.0 / tau0, x, 0.0);
            if (noise) {
                addNoise(u1, s1);
                addNoise(u2, s2);
                addNoise(uI1, sI);
            }
        }
    }

    /** out = gamma softplus(beta (u - theta)). */
    private void rate(final double[] u, final double[] out) {
        for (int i = 0; i < u.length; i++) {
            out[i] = beta * (u[i] - theta);
        }
        ArrayKernels.softplus(out, 0, out.length);
        for (int i = 0; i < out.length; i++) {
            out[i] *= gamma;
        }
    }

    /** out = r - gamma softplus(beta (att v - theta)). */
    private void error(final double[] r, final double[] v, final double att, final double[] out) {
        for (int i = 0; i < v.length; i++) {
            out[i] = beta * (att * v[i] - theta);
        }
        ArrayKernels.softplus(out, 0, out.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = r[i] - gamma * out[i];
        }
    }

    /** out = M v, or out + M v if {@code add}, for every seed (M rows x cols, the first block of m). */
    private void matvec(final double[] m, final int rows, final int cols, final double[] v, final double[] out,
                        final boolean add) {
        if (!interleaved) {
            if (add) {
                ArrayKernels.matvec(m, 0, rows, cols, v, 0, tmp, 0);
                for (int i = 0; i < rows; i++) {
                    out[i] += tmp[i];
                }
            } else {
                ArrayKernels.matvec(m, 0, rows, cols, v, 0, out, 0);
            }
            return;
        }
        final int l = lanes;
        for (int i = 0; i < rows; i++) {
            DoubleVector acc = add ? DoubleVector.fromArray(S, out, i * l) : DoubleVector.zero(S);
            final int base = i * cols * l;
            for (int j = 0; j < cols; j++) {
                acc = DoubleVector.fromArray(S, m, base + j * l).fma(DoubleVector.fromArray(S, v, j * l), acc);
            }
            acc.intoArray(out, i * l);
        }
    }

    /**
     * D <- g D + c row col^T and W <- W + h D (the old D), for every seed; W is the first half of {@code wd}, D the
     * second.
     */
    private void rank1(final double[] wd, final int rows, final int cols, final double g, final double c,
                       final double[] row, final double[] col, final double h) {
        final int size = rows * cols * lanes;
        if (!interleaved) {
            ArrayKernels.rank1(wd, wd, size, rows, cols, g, c, row, 0, col, 0, 0, h, 1.0);
            return;
        }
        final int l = lanes;
        final DoubleVector hv = DoubleVector.broadcast(S, h);
        for (int i = 0; i < rows; i++) {
            final DoubleVector rv = DoubleVector.fromArray(S, row, i * l).mul(c);
            final int base = i * cols * l;
            for (int j = 0; j < cols; j++) {
                final int at = base + j * l;
                final DoubleVector dv = DoubleVector.fromArray(S, wd, size + at);
                dv.fma(hv, DoubleVector.fromArray(S, wd, at)).intoArray(wd, at);
                DoubleVector.fromArray(S, col, j * l).fma(rv, dv.mul(g)).intoArray(wd, size + at);
            }
        }
    }

    /** u <- f u + (1 - f) / (-a) (ga va + gb vb) for every seed. */
    private void soma(final double[] u, final double f, final double a, final double[] va, final double ga,
                      final double[] vb, final double gb) {
        final double k = (1 - f) / -a;
        if (!interleaved) {
            for (int i = 0; i < u.length; i++) {
                u[i] = f * u[i] + k * (ga * va[i] + gb * vb[i]);
            }
            return;
        }
        for (int i = 0; i < u.length; i += lanes) {
            final DoubleVector drive = DoubleVector.fromArray(S, va, i).mul(ga)
                    .add(DoubleVector.fromArray(S, vb, i).mul(gb));
            DoubleVector.fromArray(S, u, i).mul(f).add(drive.mul(k)).intoArray(u, i);
        }
    }

    private void addNoise(final double[] u, final double scale) {
        for (int i = 0; i < u.length; i++) {
            u[i] += scale * random.nextGaussian();
        }
    }
}
