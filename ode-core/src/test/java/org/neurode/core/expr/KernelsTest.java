package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsTest {

    @Test
    void softplusMatchesLog1pToTenToTheMinusFifteen() {
        // GIVEN the reference log(1 + e^x) computed with Math.exp and Math.log1p, each accurate to an ulp
        double worst = 0.0;
        for (double x = -700; x <= 700; x += 0.0007) {
            final double ref = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            // WHEN computed by the table kernels THEN the relative difference stays below 1e-15 (about 4.5
            // ulps: the reference's own error is about 2 ulps and the kernels' about 3, measured 6.5e-16)
            worst = Math.max(worst, Math.abs(Kernels.softplus(x) - ref) / ref);
        }
        assertTrue(worst < 1e-15, "worst relative error " + worst);
        assertEquals(800.0, Kernels.softplus(800.0), 0.0);
        assertEquals(0.0, Kernels.softplus(-800.0), 0.0);
        assertTrue(Double.isNaN(Kernels.softplus(Double.NaN)), "NaN propagates");
        assertEquals(Double.POSITIVE_INFINITY, Kernels.softplus(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(0.0, Kernels.softplus(Double.NEGATIVE_INFINITY), 0.0);
    }

    @Test
    void softplusMatchesFiftyDigitValues() {
        // values of log(1 + e^x) computed with 800-digit decimal arithmetic (Python decimal), rounded to double
        final double[][] exact = {
            {-745, 5e-324}, {-700.5, 5.980196118639791e-305}, {-600, 2.6503965530043108e-261},
            {-40, 4.248354255291589e-18}, {-20, 2.061153620314381e-09}, {-3.5, 0.029750418272620566},
            {-1, 0.3132616875182228}, {-0.001, 0.6926473055599401}, {0, 0.6931471805599453},
            {0.5, 0.9740769841801067}, {1, 1.3132616875182228}, {2.75, 2.8119675890031988},
            {10, 10.000045398899218}, {36, 36.0}, {700.25, 700.25}};
        for (final double[] e : exact) {
            // within 4 ulps of the correctly rounded value (the subnormal e^-745 has no relative precision)
            assertEquals(e[1], Kernels.softplus(e[0]), e[0] < -740 ? 1e-323 : 4 * Math.ulp(e[1]), "x = " + e[0]);
        }
    }

    @Test
    void exprelHasItsLimitAndMatchesTheSeries() {
        // (e^x - 1)/x: 1 at 0, e - 1 at 1, (1 - e^-40)/40 at -40 (50-digit values), and on both sides of the
        // switch to the series at |x| = 1e-8 equal to 1 + x/2 (+ x^2/6 < 2e-17) within an ulp
        assertEquals(1.0, Kernels.exprel(0.0), 0.0);
        assertEquals(1.718281828459045, Kernels.exprel(1.0), 2e-16);
        assertEquals(0.025, Kernels.exprel(-40.0), 1e-18);
        assertEquals(1.0 + 0.5 * 1.0000001e-8, Kernels.exprel(1.0000001e-8), 2.3e-16);
        assertEquals(1.0 + 0.5 * 0.9999999e-8, Kernels.exprel(0.9999999e-8), 2.3e-16);
        assertEquals(1.0 + 0.5e-9, Kernels.exprel(1e-9), 1e-16);
    }

    @Test
    void sigmoidIsSymmetricAndDoesNotOverflow() {
        for (double x = -50; x <= 50; x += 0.37) {
            assertEquals(1.0, Kernels.sigmoid(x) + Kernels.sigmoid(-x), 1e-15);
        }
        assertEquals(0.0, Kernels.sigmoid(-1000), 0.0);
        // 1/(1 + e^-2) and e^-30/(1 + e^-30) to 50 digits (Python decimal)
        assertEquals(0.8807970779778824, Kernels.sigmoid(2.0), 2 * Math.ulp(0.88));
        assertEquals(9.357622968839299e-14, Kernels.sigmoid(-30.0), 4 * Math.ulp(9.357622968839299e-14));
        assertEquals(1.0, Kernels.sigmoid(1000), 0.0);
    }
}
