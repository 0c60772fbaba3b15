package org.neurode.solvers.linear;

import java.util.Locale;
import java.util.SplittableRandom;

import org.neurode.core.JacobianPattern;

/**
 * The measurement behind the selection rule of {@link LinearAlgebra} (not a test; run by hand): time per
 * factorization and per solve of \( \alpha I - J \) with dense, sparse and banded storage on a chain
 * (tridiagonal), a band of half-width 5, a 2-D five-point grid and random sparse rows (5 entries), n = 25 to
 * 3,200 (dense up to 1,600).
 *
 * <pre>
 * mvn -o -q test-compile -pl solvers -am
 * java -cp solvers/target/classes:solvers/target/test-classes:$(cat cp.txt) \
 *     org.neurode.solvers.linear.LinearAlgebraCrossover
 * </pre>
 */
public final class LinearAlgebraCrossover {

    private LinearAlgebraCrossover() {
    }

    /**
     * @param args optional: the structures to run (chain, band5, grid, random5)
     */
    public static void main(final String[] args) {
        final boolean sparseOnly = args.length > 0 && args[0].equals("--sparse-only");
        final String[] given = sparseOnly ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        final String[] kinds = given.length > 0 ? given : new String[] {"chain", "band5", "grid", "random5"};
        onlySparse = sparseOnly;
        // warm-up (JIT) on every code path, not printed
        for (final String kind : new String[] {"chain", "random5"}) {
            measure(kind, 200, false);
        }
        System.out.println("structure n nnz storage factor_us solve_us luEntries mdFill mdWork kl ku");
        for (final String kind : kinds) {
            for (final int n : new int[] {25, 50, 100, 200, 400, 800, 1600, 3200}) {
                if (kind.startsWith("density") && n > 1600) {
                    continue;
                }
                measure(kind, n, true);
            }
        }
    }

    private static boolean onlySparse;

    private static void measure(final String kind, final int n, final boolean print) {
        final double[] j = matrix(kind, n, new SplittableRandom(n));
        final JacobianPattern pattern = MatrixContext.patternOf(n, j);
        for (final String storage : new String[] {"dense", "sparse", "banded"}) {
            if (storage.equals("dense") && n > 1600 || onlySparse && !storage.equals("sparse")) {
                continue;
            }
            final int[] bw = BandedNewtonMatrix.bandwidths(pattern);
            if (storage.equals("banded") && bw[0] + bw[1] > 200) {
                continue;
            }
            final MatrixContext ctx = new MatrixContext(n, j, pattern);
            final NewtonMatrix m = switch (storage) {
                case "dense" -> NewtonMatrix.dense(ctx);
                case "sparse" -> NewtonMatrix.sparse(ctx);
                default -> NewtonMatrix.banded(ctx);
            };
            m.evaluate(0.0, new double[n], new double[n]);
            final double[] b = new double[n];
            final double factor = time(() -> {
                if (!m.factor(2.0)) {
                    throw new IllegalStateException("singular");
                }
            });
            final double solve = time(() -> {
                java.util.Arrays.fill(b, 1.0);
                m.solve(b);
            });
            final MinimumDegree.Result md = MinimumDegree.analyse(pattern, Long.MAX_VALUE);
            final String fill = m instanceof SparseNewtonMatrix s ? s.factorEntries() + " " + md.fill() + " "
                    + md.work() + " " + bw[0] + " " + bw[1] : "-";
            if (print) {
                System.out.println(String.format(Locale.ROOT, "%s %d %d %s %.2f %.2f %s", kind, n,
                        pattern.nonZeros(), storage, factor * 1e6, solve * 1e6, fill));
            }
        }
    }

    /** @return the best time per call of 5 rounds, each of at least 50 ms */
    private static double time(final Runnable r) {
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 5; round++) {
            int calls = 0;
            final long start = System.nanoTime();
            long now;
            do {
                r.run();
                calls++;
                now = System.nanoTime();
            } while (now - start < 50_000_000L);
            best = Math.min(best, (now - start) * 1e-9 / calls);
        }
        return best;
    }

    static double[] matrix(final String kind, final int n, final SplittableRandom rng) {
        final double[] j = new double[n * n];
        switch (kind) {
            case "chain" -> {
                for (int i = 0; i < n; i++) {
                    for (int c = Math.max(0, i - 1); c <= Math.min(n - 1, i + 1); c++) {
                        j[i * n + c] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
            case "band5" -> {
                for (int i = 0; i < n; i++) {
                    for (int c = Math.max(0, i - 5); c <= Math.min(n - 1, i + 5); c++) {
                        j[i * n + c] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
            case "grid" -> {
                final int m = (int) Math.ceil(Math.sqrt(n));
                for (int i = 0; i < n; i++) {
                    j[i * n + i] = rng.nextDouble(-1.0, 1.0);
                    final int r = i / m;
                    final int c = i % m;
                    if (c > 0) {
                        j[i * n + i - 1] = rng.nextDouble(-1.0, 1.0);
                    }
                    if (c < m - 1 && i + 1 < n) {
                        j[i * n + i + 1] = rng.nextDouble(-1.0, 1.0);
                    }
                    if (r > 0) {
                        j[i * n + i - m] = rng.nextDouble(-1.0, 1.0);
                    }
                    if (i + m < n) {
                        j[i * n + i + m] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
            default -> {
                if (kind.startsWith("density")) {
                    // density in percent: each entry present with that probability, plus the diagonal
                    final double p = Integer.parseInt(kind.substring(7)) / 100.0;
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < n; c++) {
                            if (i == c || rng.nextDouble() < p) {
                                j[i * n + c] = rng.nextDouble(-1.0, 1.0);
                            }
                        }
                    }
                    return j;
                }
                for (int i = 0; i < n; i++) {
                    j[i * n + i] = rng.nextDouble(-1.0, 1.0);
                    for (int k = 0; k < 4; k++) {
                        j[i * n + rng.nextInt(n)] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
        }
        return j;
    }
}
