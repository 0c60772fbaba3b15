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
 * <li>No {@link StepContext#jacobianPattern() pattern}, or fewer than {@value #DENSE_BELOW} variables: dense
 * (EJML's LU). Below that size the three storages differ by microseconds per factorization, less than the model
 * evaluations of a step, and small models keep the dense code's results.</li>
 * <li>A pattern within a band with {@code kl + ku <= }{@value #MAX_BAND} (lower plus upper bandwidth): banded
 * (LAPACK-style band LU). On a 2-D five-point grid the band code beats EJML's sparse LU up to
 * {@code kl + ku = 40} (n = 400) and loses from 58 on (n = 800); on chains and narrow bands it is 4 to 7 times
 * faster than the sparse LU.</li>
 * <li>Otherwise the minimum-degree order is computed and its symbolic elimination cost predicts the sparse
 * factorization time \( t_s = c_w W + c_f F + c_n n \) (W: the multiply-adds \( \sum_k d_k^2 \), F: the factor
 * entries \( \sum_k d_k \)) against the dense \( t_d = c_d n^3 \); sparse if \( t_s &lt; t_d \) or if n exceeds
 * {@link AdaptiveSimulation#MAX_DENSE_DIMENSION}. Fitted to 59 measurements (chains, bands, 2-D grids, random
 * rows of 5 entries and random densities of 2, 5 and 10%, n = 25 to 3,200; docs/solvers.md):
 * \( c_w = 1.6 \) ns, \( c_f = 11 \) ns, \( c_n = 50 \) ns, \( c_d = 0.2 \) ns; the prediction is within a
 * factor 0.5 to 1.3 for random patterns and up to 3 too low for band-like ones (which are banded or far from the
 * crossover). Density alone does not predict the winner: the crossover is near n = 50 at 10% density, 150 at 5%
 * and 400 at 2%, while random rows of 5 entries (which fill in to 19% of n^2 at n = 1,600) and grids stay
 * sparse at every size.</li>
 * </ol>
 *
 * @since 0.5
 */
public final class LinearAlgebra {

    /** Equations with fewer variables get dense storage. */
    public static final int DENSE_BELOW = 32;
    /** Largest {@code kl + ku} for banded storage. */
    public static final int MAX_BAND = 40;
    /**
     * Patterns denser than this get dense storage (refused above the dense limit) without an ordering: in the
     * measurements random patterns of 10% density were faster dense from n = 50 on.
     */
    public static final double MAX_SPARSE_DENSITY = 0.1;
    /** Largest number of entries of the sparse LU factors (minimum-degree estimate): 12 bytes each in EJML. */
    public static final long MAX_FACTOR_ENTRIES = 25_000_000L;

    // cost model, seconds (fitted, see the class comment)
    private static final double DENSE_PER_CUBE = 2.0e-10;
    private static final double SPARSE_PER_WORK = 1.6e-9;
    private static final double SPARSE_PER_FILL = 1.1e-8;
    private static final double SPARSE_PER_ROW = 5.0e-8;

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
        final int[] bw = BandedNewtonMatrix.bandwidths(pattern);
        if (bw[0] + bw[1] <= MAX_BAND) {
            return new Choice("banded", null);
        }
        final double density = pattern.nonZeros() / ((double) n * n);
        final boolean small = n <= AdaptiveSimulation.MAX_DENSE_DIMENSION;
        final double limit = small ? denseSeconds(n) : denseSeconds(AdaptiveSimulation.MAX_DENSE_DIMENSION);
        final MinimumDegree.Result md = density > MAX_SPARSE_DENSITY ? null
                : MinimumDegree.analyse(pattern, (long) Math.min(Long.MAX_VALUE / 2, limit / SPARSE_PER_WORK));
        final double sparse = md == null ? Double.POSITIVE_INFINITY : sparseSeconds(n, md);
        if (small) {
            return new Choice(sparse < limit ? "sparse" : "dense", md);
        }
        final long entries = md == null ? -1 : 2 * md.fill() + n;
        if (md == null || entries > MAX_FACTOR_ENTRIES || sparse > limit) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, String.format(java.util.Locale.ROOT,
                    "the %d x %d Jacobian (pattern of %d entries, density %.3g) is too dense for sparse LU: its"
                    + " factors would %s (minimum-degree estimate); at most %d entries, %.1f s per factorization (a"
                    + " dense LU at %d variables) and density %.2f are accepted. Use an explicit or exponential"
                    + " solver", n, n, pattern.nonZeros(), density, md == null
                            ? "take more than " + String.format(java.util.Locale.ROOT, "%.1f", limit)
                              + " s per factorization"
                            : "hold about " + entries + " entries and take about "
                              + String.format(java.util.Locale.ROOT, "%.1f", sparse) + " s per factorization",
                    MAX_FACTOR_ENTRIES, limit, AdaptiveSimulation.MAX_DENSE_DIMENSION, MAX_SPARSE_DENSITY));
        }
        return new Choice("sparse", md);
    }

    private static double denseSeconds(final int n) {
        return DENSE_PER_CUBE * n * (double) n * n;
    }

    private static double sparseSeconds(final int n, final MinimumDegree.Result md) {
        return SPARSE_PER_WORK * md.work() + SPARSE_PER_FILL * md.fill() + SPARSE_PER_ROW * n;
    }
}
