package org.neurode.solvers.linear;

import org.neurode.core.ErrorCode;
import org.neurode.core.JacobianPattern;
import org.neurode.core.OdeException;
import org.neurode.solvers.adaptive.AdaptiveSimulation;
import org.neurode.solvers.adaptive.StepContext;

/**
 * The selection rule of {@link NewtonMatrix#of}: which storage a stiff method gets for the context's equation.
 *
 * <ol>
 * <li>Dense (EJML's LU) without a {@link StepContext#jacobianPattern() pattern}, below {@value #DENSE_BELOW}
 * variables (there the storages differ by microseconds per factorization, less than the model evaluations of a
 * step, and small models keep the dense code's results), or above {@value #MAX_SPARSE_DENSITY} density.</li>
 * <li>Otherwise the storage with the smallest predicted factorization time (the refactorization a step repeats),
 * from models fitted to the measurements in docs/solvers.md (chains, bands of half-width 5, 2-D grids, random rows
 * of 5 entries and random densities of 2, 5 and 10%, n = 25 to 3,200):
 * dense \( t_d = c_d n^3 \), \( c_d = 0.2 \) ns; banded \( t_b = c_b \cdot 2n\,kl\,(kl + ku) + c_r n \),
 * \( c_b = 0.3 \) ns, \( c_r = 12 \) ns; sparse \( t_s = c_w W + c_f F + c_n n \) from the minimum-degree
 * elimination (W: the multiply-adds \( \sum_k d_k^2 \), F: the factor entries \( \sum_k d_k \)),
 * \( c_w = 1.3 \) ns, \( c_f = 2.8 \) ns, \( c_n = 15 \) ns. Above
 * {@link AdaptiveSimulation#MAX_DENSE_DIMENSION} dense is not a candidate. The predictions are within a factor 2 of
 * the measurements (sparse on grids and dense-ish random patterns up to 2 low), and the choice costs at most 1.6
 * times the best measured storage on those structures. Density alone does not decide: the crossover to dense is
 * near n = 50 at 10% density, 200-400 at 5% and 400-800 at 2%, while random rows of 5 entries (whose factors fill
 * to 19% of n^2 at n = 1,600) stay 7 times faster sparse and chains, bands and grids are banded or sparse at every
 * size.</li>
 * </ol>
 *
 * @since 0.5
 */
public final class LinearAlgebra {

    /** Equations with fewer variables get dense storage. */
    public static final int DENSE_BELOW = 32;
    /**
     * Patterns denser than this get dense storage (refused above the dense limit) without an ordering: in the
     * measurements random patterns of 10% density were faster dense from n = 50 on.
     */
    public static final double MAX_SPARSE_DENSITY = 0.1;
    /** Largest number of entries of the sparse LU factors (minimum-degree estimate): 12 bytes each in EJML. */
    public static final long MAX_FACTOR_ENTRIES = 25_000_000L;
    /** Largest band storage {@code (2 kl + ku + 1) n} (8 bytes each). */
    public static final long MAX_BAND_ENTRIES = 25_000_000L;

    // cost models, seconds (see the class comment)
    private static final double DENSE_PER_CUBE = 2.0e-10;
    private static final double BAND_PER_FLOP = 0.3e-9;
    private static final double BAND_PER_ROW = 12e-9;
    private static final double SPARSE_PER_WORK = 1.3e-9;
    private static final double SPARSE_PER_FILL = 2.8e-9;
    private static final double SPARSE_PER_ROW = 15e-9;

    private LinearAlgebra() {
    }

    /**
     * @param context the simulation's context
     * @return the Newton matrix for its equation (see the class comment)
     * @throws OdeException if the equation is above {@link AdaptiveSimulation#MAX_DENSE_DIMENSION} and its sparse
     *                      factors would exceed {@link #MAX_FACTOR_ENTRIES} entries or cost more than a dense
     *                      factorization at that dimension
     */
    public static NewtonMatrix choose(final StepContext context) {
        final Choice c = decide(context.jacobianPattern(), context.dimension());
        return switch (c.storage()) {
            case "dense" -> new DenseNewtonMatrix(context);
            case "banded" -> new BandedNewtonMatrix(context);
            default -> new SparseNewtonMatrix(context, c.analysis().order());
        };
    }

    /**
     * The storage {@link #choose} picks for a pattern (for reports and tests).
     *
     * @param pattern the pattern, or null
     * @return {@code "dense"}, {@code "banded"} or {@code "sparse"}
     * @throws OdeException as {@link #choose}
     */
    public static String storage(final JacobianPattern pattern) {
        return decide(pattern, pattern == null ? 0 : pattern.dimension()).storage();
    }

    private record Choice(String storage, MinimumDegree.Result analysis) {
    }

    private static Choice decide(final JacobianPattern pattern, final int n) {
        if (pattern == null || n < DENSE_BELOW) {
            return new Choice("dense", null);
        }
        final double density = pattern.nonZeros() / ((double) n * n);
        final boolean small = n <= AdaptiveSimulation.MAX_DENSE_DIMENSION;
        final double dense = denseSeconds(small ? n : AdaptiveSimulation.MAX_DENSE_DIMENSION);
        if (density > MAX_SPARSE_DENSITY && small) {
            return new Choice("dense", null);
        }
        final int[] bw = BandedNewtonMatrix.bandwidths(pattern);
        final double band = (2L * bw[0] + bw[1] + 1) * (double) n <= MAX_BAND_ENTRIES
                ? BAND_PER_FLOP * 2.0 * n * bw[0] * (bw[0] + bw[1]) + BAND_PER_ROW * n : Double.POSITIVE_INFINITY;
        final double bound = Math.min(dense, band);
        // no ordering for patterns above the density bound (its cost grows like the fill: seconds at n = 2,000)
        final MinimumDegree.Result md = density > MAX_SPARSE_DENSITY ? null : MinimumDegree.analyse(pattern,
                (long) Math.min(Long.MAX_VALUE / 2, bound / SPARSE_PER_WORK));
        final long entries = md == null ? -1 : 2 * md.fill() + n;
        final double sparse = md == null || entries > MAX_FACTOR_ENTRIES ? Double.POSITIVE_INFINITY
                : sparseSeconds(n, md);
        if (sparse < band && (sparse < dense || !small)) {
            return new Choice("sparse", md);
        }
        if (band <= dense) {
            return new Choice("banded", null);
        }
        if (small) {
            return new Choice("dense", null);
        }
        throw tooDense(pattern, n, density, entries, sparse, dense);
    }

    private static OdeException tooDense(final JacobianPattern pattern, final int n, final double density,
                                         final long entries, final double sparse, final double limit) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, String.format(java.util.Locale.ROOT,
                "the %d x %d Jacobian (pattern of %d entries, density %.3g) is too dense for sparse LU: %s; at most"
                + " density %.2f, %d factor entries and %.1f s per factorization (a dense LU at %d variables) are"
                + " accepted. Use an explicit or exponential solver", n, n, pattern.nonZeros(), density,
                entries < 0 ? "the minimum-degree order finds no factorization cheaper than that limit"
                        : String.format(java.util.Locale.ROOT, "its factors would hold about %d entries and take"
                                        + " about %.1f s per factorization (minimum-degree estimate)", entries, sparse),
                MAX_SPARSE_DENSITY, MAX_FACTOR_ENTRIES, limit, AdaptiveSimulation.MAX_DENSE_DIMENSION));
    }

    private static double denseSeconds(final int n) {
        return DENSE_PER_CUBE * n * (double) n * n;
    }

    private static double sparseSeconds(final int n, final MinimumDegree.Result md) {
        return SPARSE_PER_WORK * md.work() + SPARSE_PER_FILL * md.fill() + SPARSE_PER_ROW * n;
    }
}
