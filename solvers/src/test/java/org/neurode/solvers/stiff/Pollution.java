package org.neurode.solvers.stiff;

import org.neurode.solvers.compare.IvpProblem;

/**
 * POLLU, the air-pollution chemistry of the Dutch National Institute of Public Health (J. G. Verwer, "Gauss-Seidel
 * iteration for stiff ODEs from chemical kinetics", SIAM J. Sci. Comput. 15, 1994; problem POLLU of the Test Set for
 * IVP Solvers, Mazzia and Magherini): 20 species, 25 reactions, t in [0, 60], stiff. Its Jacobian is far from
 * diagonally dominant (for example \( \partial f_3/\partial y_{16} = k_{19} = 4.44 \cdot 10^{11} \) against
 * \( \partial f_{16}/\partial y_{16} = -(k_{18} + k_{19}) \) in another row), so the LU factorizations of the
 * Newton matrices pivot.
 */
final class Pollution {

    private static final double[] K = {
        .35e0, .266e2, .123e5, .86e-3, .82e-3, .15e5, .13e-3, .24e5, .165e5, .9e4, .22e-1, .12e5, .188e1, .163e5,
        .48e7, .35e-3, .175e-1, .1e9, .444e12, .124e4, .21e1, .578e1, .474e-1, .178e4, .312e1};

    private Pollution() {
    }

    /** @return the problem with atol = rtol (no reference attached) */
    static IvpProblem problem() {
        final double[] y0 = new double[20];
        y0[1] = 0.2;
        y0[3] = 0.04;
        y0[6] = 0.1;
        y0[7] = 0.3;
        y0[8] = 0.01;
        y0[16] = 0.007;
        return IvpProblem.of("POLLU", y0, 0.0, 60.0, Pollution::derivatives, null, true).withStiff(true);
    }

    /** The right-hand side of pollu.f, species and reactions numbered from 1 as there. */
    static void derivatives(final double t, final double[] y, final double[] d) {
        final double r1 = K[0] * y[0];
        final double r2 = K[1] * y[1] * y[3];
        final double r3 = K[2] * y[4] * y[1];
        final double r4 = K[3] * y[6];
        final double r5 = K[4] * y[6];
        final double r6 = K[5] * y[6] * y[5];
        final double r7 = K[6] * y[8];
        final double r8 = K[7] * y[8] * y[5];
        final double r9 = K[8] * y[10] * y[1];
        final double r10 = K[9] * y[10] * y[0];
        final double r11 = K[10] * y[12];
        final double r12 = K[11] * y[9] * y[1];
        final double r13 = K[12] * y[13];
        final double r14 = K[13] * y[0] * y[5];
        final double r15 = K[14] * y[2];
        final double r16 = K[15] * y[3];
        final double r17 = K[16] * y[3];
        final double r18 = K[17] * y[15];
        final double r19 = K[18] * y[15];
        final double r20 = K[19] * y[16] * y[5];
        final double r21 = K[20] * y[18];
        final double r22 = K[21] * y[18];
        final double r23 = K[22] * y[0] * y[3];
        final double r24 = K[23] * y[18] * y[0];
        final double r25 = K[24] * y[19];
        d[0] = -r1 - r10 - r14 - r23 - r24 + r2 + r3 + r9 + r11 + r12 + r22 + r25;
        d[1] = -r2 - r3 - r9 - r12 + r1 + r21;
        d[2] = -r15 + r1 + r17 + r19 + r22;
        d[3] = -r2 - r16 - r17 - r23 + r15;
        d[4] = -r3 + r4 + r4 + r6 + r7 + r13 + r20;
        d[5] = -r6 - r8 - r14 - r20 + r3 + r18 + r18;
        d[6] = -r4 - r5 - r6 + r13;
        d[7] = r4 + r5 + r6 + r7;
        d[8] = -r7 - r8;
        d[9] = -r12 + r7 + r9;
        d[10] = -r9 - r10 + r8 + r11;
        d[11] = r9;
        d[12] = -r11 + r10;
        d[13] = -r13 + r12;
        d[14] = r14;
        d[15] = -r18 - r19 + r16;
        d[16] = -r20;
        d[17] = r20;
        d[18] = -r21 - r22 - r24 + r23 + r25;
        d[19] = -r25 + r24;
    }
}
