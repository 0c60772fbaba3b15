package org.neurode.solvers.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * The hand-written least-squares fits of {@link WorkPrecision} (the tolerance-proportionality slopes) against an
 * independent least-squares solve, Hipparchus' Householder QR of the design matrix, on random data (issue 12:
 * every hand-written linear-algebra routine is checked against another implementation). The slopes are
 * well-conditioned functions of the data here (log tolerances spread over several decades), so the two agree
 * to a few hundred ulps; asserted 1e-10 absolute on slopes of order 1.
 */
class ProportionalityFitTest {

    private static WorkPrecision.Run run(final String problem, final double rtol, final double error) {
        return new WorkPrecision.Run(problem, "s", rtol, rtol, "SUCCESS", null, 1, 0, 0, 1, 0, 1e-3, error, error, 5,
                error, "given");
    }

    @Test
    void issue12_slopeFitsMatchAQrLeastSquaresSolveOnRandomData() {
        final SplittableRandom rng = new SplittableRandom(4L);
        for (int trial = 0; trial < 300; trial++) {
            // GIVEN 1 to 5 problems with 2 to 8 tolerances each and noisy errors around c rtol^p
            final int problems = 1 + rng.nextInt(5);
            final List<WorkPrecision.Run> runs = new ArrayList<>();
            final List<double[]> rows = new ArrayList<>();
            final double p = rng.nextDouble(0.5, 1.5);
            for (int q = 0; q < problems; q++) {
                final int points = 2 + rng.nextInt(7);
                final double c = Math.pow(10.0, rng.nextDouble(-2.0, 2.0));
                for (int k = 0; k < points; k++) {
                    final double rtol = Math.pow(10.0, -rng.nextDouble(3.0, 12.0));
                    final double error = c * Math.pow(rtol, p) * Math.pow(10.0, rng.nextDouble(-0.5, 0.5));
                    runs.add(run("p" + q, rtol, error));
                    // design row: log rtol, then one indicator per problem (its own intercept)
                    final double[] row = new double[2 + problems];
                    row[0] = Math.log10(rtol);
                    row[1 + q] = 1.0;
                    row[1 + problems] = Math.log10(error);
                    rows.add(row);
                }
            }
            // WHEN fitted by WorkPrecision and by QR least squares
            final double pooled = WorkPrecision.pooledProportionality(runs, "s", null);
            final double[][] design = new double[rows.size()][1 + problems];
            final double[] target = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, design[i], 0, 1 + problems);
                target[i] = rows.get(i)[1 + problems];
            }
            final RealVector beta = new QRDecomposition(new Array2DRowRealMatrix(design, false)).getSolver()
                    .solve(new ArrayRealVector(target, false));
            // THEN the pooled slope is the QR one, and so is the one-problem slope (one intercept)
            assertEquals(beta.getEntry(0), pooled, 1e-10, "trial " + trial);
            final List<WorkPrecision.Run> first = runs.stream().filter(r -> r.problem().equals("p0")).toList();
            final double[][] one = new double[first.size()][2];
            final double[] y = new double[first.size()];
            for (int i = 0; i < first.size(); i++) {
                one[i][0] = Math.log10(first.get(i).rtol());
                one[i][1] = 1.0;
                y[i] = Math.log10(first.get(i).maxAbsError());
            }
            final RealVector single = new QRDecomposition(new Array2DRowRealMatrix(one, false)).getSolver()
                    .solve(new ArrayRealVector(y, false));
            assertEquals(single.getEntry(0), WorkPrecision.proportionality(runs, "p0", "s"), 1e-10, "trial " + trial);
        }
    }
}
