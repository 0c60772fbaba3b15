package org.neurode.solvers.rk;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.solvers.FixedStepSimulation;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Stiffness;

/**
 * An explicit Runge-Kutta method at fixed steps, driven by a {@link ButcherTableau} (its main stages, solution
 * weights and continuous extension; error weights are not used): neurode's own engine for {@code rk4}, on the
 * grid, recording and event machinery of {@link FixedStepSimulation}. Per step it evaluates the right-hand side
 * once per stage ({@code s} evaluations) into work arrays allocated at start, and writes the new state in place
 * when nothing needs the step's start state (no events, no recorded sample inside the step).
 *
 * <ul>
 * <li>Stage arithmetic: \( Y_i = y + h \sum_j a_{ij} k_j \) and \( y_1 = y + h \sum_j b_j k_j \) over the
 * non-zero coefficients only, the sum formed before it is multiplied by h (the order of Hipparchus' Runge-Kutta
 * integrators, so the two agree to rounding). Input blocks, whose derivatives are zero, are left out of it:
 * they keep their values in the stage arrays.</li>
 * <li>Refractory members are held still for the whole step when they are refractory at its start (every stage
 * sees a zero derivative for them), as Hipparchus-backed solvers do.</li>
 * <li>Dense output: the tableau's continuous extension \( y(t + \theta h) = y + h \sum_j b_j(\theta) k_j \)
 * (evaluated from the step end, \( y_1 - h \sum_j (b_j - b_j(\theta)) k_j \), in the second half of the
 * step), used for recorded samples inside steps and to locate continuous events by root search.</li>
 * </ul>
 *
 * @since 0.3
 */
public final class FixedStepRungeKutta implements Solver {

    /** The classical fourth-order method. */
    public static final SolverInfo RK4 = new SolverInfo("rk4", 4, false, Stiffness.NONSTIFF, false,
            "classical 4th-order Runge-Kutta, fixed step, 3rd-order dense output (Kutta 1901;"
                    + " Hairer-Nørsett-Wanner I, II.1)");

    private final SolverInfo info;
    private final ButcherTableau tableau;

    /**
     * @param info    registry name, order and description
     * @param tableau the method; its dense output may use only its main stages
     * @throws IllegalArgumentException if the dense output needs further stages
     */
    public FixedStepRungeKutta(final SolverInfo info, final ButcherTableau tableau) {
        for (int i = tableau.stages(); i < tableau.totalStages(); i++) {
            for (final double p : tableau.densePolynomial(i)) {
                if (p != 0.0) {
                    throw new IllegalArgumentException(tableau.name() + ": the dense output uses stage " + (i + 1)
                            + ", which a fixed step does not evaluate");
                }
            }
        }
        this.info = info;
        this.tableau = tableau;
    }

    /** @return the classical fourth-order Runge-Kutta method ({@code rk4}) */
    public static FixedStepRungeKutta rk4() {
        return new FixedStepRungeKutta(RK4, ClassicalRungeKutta.tableau());
    }

    @Override
    public SolverInfo info() {
        return info;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new Run(problem, options, info, tableau);
    }

    @Override
    public String toString() {
        return "FixedStepRungeKutta[" + info.name() + "]";
    }

    /** One simulation: the stages of the last step and their arrays. */
    private static final class Run extends FixedStepSimulation {

        private final ButcherTableau tableau;
        private final int s;
        private final double[] c;
        private final double[] b;
        /** Per stage 1..s-1, the earlier stages with a non-zero coefficient and those coefficients. */
        private final int[][] rowIndex;
        private final double[][] rowWeight;
        private final int[] bIndex;
        private final double[] bWeight;
        private final double[][] k;
        private final double[] stage;
        private final double[] dense;
        /** The state's blocks and the elements between them (alignment padding), as start/end pairs. */
        private final int[] ranges;
        private final int[] padding;
        /** False when the padding in {@link #stage} may be out of date. */
        private boolean paddingCopied;

        Run(final Problem problem, final SolveOptions options, final SolverInfo info, final ButcherTableau tableau) {
            super(problem, options, info);
            this.tableau = tableau;
            this.s = tableau.stages();
            this.c = tableau.nodes();
            this.b = tableau.b();
            this.rowIndex = new int[s][];
            this.rowWeight = new double[s][];
            for (int i = 1; i < s; i++) {
                final double[] row = new double[i];
                for (int j = 0; j < i; j++) {
                    row[j] = tableau.a(i, j);
                }
                rowIndex[i] = nonZero(row);
                rowWeight[i] = pick(row, rowIndex[i]);
            }
            this.bIndex = nonZero(b);
            this.bWeight = pick(b, bIndex);
            this.k = new double[s][n];
            this.stage = new double[n];
            this.dense = new double[s];
            this.ranges = blockRanges(layout);
            this.padding = complement(ranges, n);
        }

        private static int[] nonZero(final double[] w) {
            int count = 0;
            for (final double x : w) {
                if (x != 0.0) {
                    count++;
                }
            }
            final int[] index = new int[count];
            for (int j = 0, m = 0; j < w.length; j++) {
                if (w[j] != 0.0) {
                    index[m++] = j;
                }
            }
            return index;
        }

        private static double[] pick(final double[] w, final int[] index) {
            final double[] out = new double[index.length];
            for (int m = 0; m < index.length; m++) {
                out[m] = w[index[m]];
            }
            return out;
        }

        /**
         * The blocks of the state: start and end (exclusive) of each, as pairs, in layout order. The elements
         * between them are alignment padding, which belongs to no variable and stays 0, so the stage arithmetic
         * leaves them out (the state holds no inputs: they are in the equation's buffer).
         */
        private static int[] blockRanges(final StateLayout layout) {
            final List<StateLayout.Block> blocks = layout.blocks();
            final int[] out = new int[2 * blocks.size()];
            for (int k = 0; k < blocks.size(); k++) {
                out[2 * k] = blocks.get(k).offset();
                out[2 * k + 1] = blocks.get(k).offset() + blocks.get(k).size();
            }
            return out;
        }

        /** The ranges of [0, n) not covered by the sorted start/end pairs {@code ranges}. */
        private static int[] complement(final int[] ranges, final int n) {
            final List<Integer> out = new ArrayList<>();
            int at = 0;
            for (int r = 0; r < ranges.length; r += 2) {
                if (ranges[r] > at) {
                    out.add(at);
                    out.add(ranges[r]);
                }
                at = ranges[r + 1];
            }
            if (at < n) {
                out.add(at);
                out.add(n);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        protected boolean inPlace() {
            // each element of the new state is written after its last read
            return true;
        }

        @Override
        protected boolean hasDenseOutput() {
            return true;
        }

        @Override
        protected void stateChanged() {
            super.stateChanged();
            paddingCopied = false;
        }

        @Override
        protected void step(final double time, final double h, final double[] state, final double[] out) {
            if (out != state || !paddingCopied) {
                // the padding is not integrated: copy it into the stage (and a separate output) only when the state
                // was set from outside or the output buffer is not the state (steps with events or samples)
                copyPadding(state, stage);
                if (out != state) {
                    copyPadding(state, out);
                }
                paddingCopied = out == state;
            }
            derivatives(time, state, k[0], time);
            for (int i = 1; i < s; i++) {
                combine(state, h, rowIndex[i], rowWeight[i], stage);
                derivatives(time + c[i] * h, stage, k[i], time);
            }
            combine(state, h, bIndex, bWeight, out);
        }

        private void copyPadding(final double[] from, final double[] to) {
            for (int r = 0; r < padding.length; r += 2) {
                System.arraycopy(from, padding[r], to, padding[r], padding[r + 1] - padding[r]);
            }
        }

        /**
         * {@code out = y + h * (sum_m w_m k_{index_m})} over the integrated ranges; {@code out} may be {@code y}
         * (each element is read before it is written).
         */
        private void combine(final double[] y, final double h, final int[] index, final double[] w,
                             final double[] out) {
            final int terms = index.length;
            for (int r = 0; r < ranges.length; r += 2) {
                final int from = ranges[r];
                final int to = ranges[r + 1];
                if (terms == 1) {
                    final double[] k0 = k[index[0]];
                    final double w0 = w[0];
                    for (int i = from; i < to; i++) {
                        out[i] = y[i] + h * (w0 * k0[i]);
                    }
                } else if (terms == 4) {
                    final double[] k0 = k[index[0]];
                    final double[] k1 = k[index[1]];
                    final double[] k2 = k[index[2]];
                    final double[] k3 = k[index[3]];
                    final double w0 = w[0];
                    final double w1 = w[1];
                    final double w2 = w[2];
                    final double w3 = w[3];
                    for (int i = from; i < to; i++) {
                        out[i] = y[i] + h * (w0 * k0[i] + w1 * k1[i] + w2 * k2[i] + w3 * k3[i]);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double sum = 0.0;
                        for (int m = 0; m < terms; m++) {
                            sum += w[m] * k[index[m]][i];
                        }
                        out[i] = y[i] + h * sum;
                    }
                }
            }
        }

        @Override
        protected void interpolate(final double theta, final double h, final double[] start, final double[] end,
                                   final double[] out) {
            // the padding is equal at both ends
            copyPadding(end, out);
            final boolean fromEnd = theta > 0.5;
            for (int j = 0; j < s; j++) {
                final double w = tableau.denseWeight(j, theta);
                dense[j] = fromEnd ? b[j] - w : w;
            }
            final double signedH = fromEnd ? -h : h;
            final double[] base = fromEnd ? end : start;
            for (int r = 0; r < ranges.length; r += 2) {
                for (int i = ranges[r]; i < ranges[r + 1]; i++) {
                    double sum = 0.0;
                    for (int j = 0; j < s; j++) {
                        sum += dense[j] * k[j][i];
                    }
                    out[i] = base[i] + signedH * sum;
                }
            }
        }
    }
}
