package org.neurode.core.expr;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD implementations of {@link ArrayKernels} with the incubating Vector API (JEP 414, Java 17). Loaded
 * only when {@code jdk.incubator.vector} is in the boot layer; everything else in neurode runs without it.
 *
 * <p><b>Same bits in every JIT tier.</b> The JVM runs a method interpreted, compiled by C1 and compiled by C2
 * in turn, and the Vector API has a plain-Java implementation for the first two and C2 intrinsics for the
 * third. Only operations whose result IEEE 754 defines exactly give the same bits in all of them, so these
 * kernels use nothing else: add, subtract, multiply, divide, fused multiply-add, min, max, abs, neg, compare,
 * blend, lane extraction and bit moves. Two operations of the API are avoided on purpose:
 * {@code reduceLanes(ADD)}, whose summation order is unspecified (sums are taken lane by lane in a fixed
 * order instead), and the lanewise {@code EXP}, {@code LOG1P} and {@code TANH}, which are Intel SVML
 * routines in C2 code and {@code Math} calls per lane elsewhere, and differ in the last bits (this made a
 * resumed regression run differ from an uninterrupted one, whose early patterns had run in other tiers).
 * The exponential and logarithm here are polynomials of those exact operations. The matrix-vector
 * product sums in vectors of 256 bits (4 doubles) also where 512 are available, so that AVX2 and AVX-512
 * machines add in the same order and give the same bits; the element-wise kernels use the widest vectors,
 * since their results do not depend on the width.
 *
 * <p>Every kernel gives each element the value it would get in any other position: tails shorter than a
 * vector go through scalar code with the same operations in the same order (fused multiply-adds in the
 * matrix kernels, the {@code *Lane} functions below for the rate functions), and a vector holding an
 * argument outside the polynomials' range (or NaN) is done one element at a time by the same functions.
 *
 * <p><b>Warm-up.</b> Until C2 has compiled them, Vector API operations run as Java code that allocates
 * objects for every operation, hundreds of times slower than the scalar code; in a fresh JVM that cost more
 * than a second of a short run. Since every element's bits are the same in the vector code and in its scalar
 * twin, each kernel does only its first vector (or first block of rows) with vector code and the rest with the
 * twin for its first {@value #DEFAULT_WARM_UP} calls (system property {@code neurode.simd.warmUp}), except
 * every 16th: enough calls for C2 to compile the vector code, at a small part of the interpreted work. The
 * results are the same bits either way.
 */
final class VectorKernels {

    /** Vectors of the sums: 256 bits (4 doubles), whatever the machine offers. */
    private static final VectorSpecies<Double> S4 = DoubleVector.SPECIES_256;
    /** Vectors of the element-wise kernels: the widest (their results do not depend on the width). */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** 1 / ln 2 rounded to double. */
    private static final double INV_LN2 = 0x1.71547652b82fep0;
    /** ln 2 rounded to double (53 bits), and the rest: ln 2 = LN2_HI + LN2_LO to about 2^-106. */
    private static final double LN2_HI = 0x1.62e42fefa39efp-1;
    private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    /**
     * 1.5 * 2^52 + 1023: adding it to y/ln 2 rounds to an integer k in the low mantissa bits, already biased
     * by 1023 so that shifting the bits left by 52 gives the double 2^k.
     */
    private static final double SHIFT = 0x1.8p52 + 1023.0;
    /** Largest |x| for which the rate functions use the polynomials (e^-700 > 2^-1010 is normal). */
    private static final double RANGE = 700.0;
    /** tanh(22) rounds to 1, so larger arguments are clamped to it. */
    private static final double TANH_ONE = 22.0;
    /** Below this |x| tanh is -expm1(-2|x|) / (2 + expm1(-2|x|)), above it 1 - 2e/(1 + e), e = e^{-2|x|}. */
    private static final double TANH_SPLIT = 0.625;
    /** sqrt(2) - 1: log1p reduces 1 + e into [sqrt(2)/2, sqrt(2)]. */
    private static final double SQRT2_MINUS_1 = 0x1.a827999fcef32p-2;

    /** 1/n!, n = 2..13: e^r - 1 = r + r^2 (C2 + C3 r + ... + C13 r^11). */
    private static final double C2 = 0x1.0000000000000p-1;
    private static final double C3 = 0x1.5555555555555p-3;
    private static final double C4 = 0x1.5555555555555p-5;
    private static final double C5 = 0x1.1111111111111p-7;
    private static final double C6 = 0x1.6c16c16c16c17p-10;
    private static final double C7 = 0x1.a01a01a01a01ap-13;
    private static final double C8 = 0x1.a01a01a01a01ap-16;
    private static final double C9 = 0x1.71de3a556c734p-19;
    private static final double C10 = 0x1.27e4fb7789f5cp-22;
    private static final double C11 = 0x1.ae64567f544e4p-26;
    private static final double C12 = 0x1.1eed8eff8d898p-29;
    private static final double C13 = 0x1.6124613a86d09p-33;

    /**
     * The minimax coefficients of fdlibm's logarithm ({@code e_log.c}, Sun Microsystems 1993):
     * log(1+g) = 2s + s R(s^2), s = g/(2+g), |R error| &lt; 2^-58.45 for |s| &lt;= 0.1716.
     */
    private static final double LG1 = 6.666666666666735130e-01;
    private static final double LG2 = 3.999999999940941908e-01;
    private static final double LG3 = 2.857142874366239149e-01;
    private static final double LG4 = 2.222219843214978396e-01;
    private static final double LG5 = 1.818357216161805012e-01;
    private static final double LG6 = 1.531383769920937332e-01;
    private static final double LG7 = 1.479819860511658591e-01;

    /** Calls per kernel done mostly by the scalar twins (see the class comment). */
    static final int DEFAULT_WARM_UP = 20_000;
    private static final int WARM_UP = Integer.getInteger("neurode.simd.warmUp", DEFAULT_WARM_UP);
    /** Calls so far, counted up to WARM_UP (not synchronized: an approximate count is enough). */
    private static int matvecCalls;
    private static int rank1Calls;
    private static int softplusCalls;
    private static int sigmoidCalls;
    private static int tanhCalls;
    private static int scanCalls;

    private VectorKernels() {
    }

    /**
     * 1 if a call of a kernel that has been called {@code calls} times so far does most of its work with the
     * scalar twin, else 0: during the warm-up, except every 16th call, which runs the vector code fully so
     * that the JIT compiles both ways. Computed without branches: a branch never taken until the warm-up
     * ends would be compiled as a trap, and the JVM would then fall back to the slow Vector API code again.
     */
    private static int limited(final int calls) {
        final int cold = (calls - WARM_UP) >>> 31;
        final int sampled = ((calls & 15) - 1) >>> 31;
        return cold & (sampled ^ 1);
    }

    /** @return the count after one more call, stopping at WARM_UP (without a branch, see {@link #limited}) */
    private static int counted(final int calls) {
        return calls + ((calls - WARM_UP) >>> 31);
    }

    /** Ends the warm-up: from now on the kernels run fully vectorized (for tests of the vector code). */
    static void skipWarmUp() {
        matvecCalls = WARM_UP;
        rank1Calls = WARM_UP;
        softplusCalls = WARM_UP;
        sigmoidCalls = WARM_UP;
        tanhCalls = WARM_UP;
        scanCalls = WARM_UP;
    }

    /**
     * @return true if the machine has native vectors of 4 doubles and 4 longs (AVX2 and wider), where the
     *         kernels pay off; elsewhere the Vector API would emulate them lane by lane
     */
    static boolean usable() {
        return S.length() >= S4.length() && LongVector.SPECIES_PREFERRED.length() >= S4.length();
    }

    /** The lanes' sum in a fixed order (not {@code reduceLanes(ADD)}, see the class comment). */
    /**
     * {@code y[yOff + i] += a x[xOff + i]} for {@code i < n} (the arrays must not overlap in that range).
     *
     * @param a    factor
     * @param x    source array
     * @param xOff source offset
     * @param y    target array (modified)
     * @param yOff target offset
     * @param n    count
     */
    static void axpy(final double a, final double[] x, final int xOff, final double[] y, final int yOff, final int n) {
        final DoubleVector av = DoubleVector.broadcast(S, a);
        final int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).fma(av, DoubleVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], a, y[yOff + i]);
        }
    }

    private static double sum(final DoubleVector s) {
        return (s.lane(0) + s.lane(1)) + (s.lane(2) + s.lane(3));
    }

    static void matvec(final double[] m, final int mOff, final int rows, final int cols, final double[] x,
                       final int xOff, final double[] out, final int outOff) {
        // warming up: one block of four rows and the single rows of the vector code, the rest by the twin
        final int calls = matvecCalls;
        matvecCalls = counted(calls);
        final int vectorRows = rows - limited(calls) * (rows - Math.min(rows, 4 + rows % 4));
        final int bound = S4.loopBound(cols);
        int i = 0;
        for (; i + 3 < vectorRows; i += 4) {
            final int b0 = mOff + i * cols;
            final int b1 = b0 + cols;
            final int b2 = b1 + cols;
            final int b3 = b2 + cols;
            DoubleVector s0 = DoubleVector.zero(S4);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            int j = 0;
            for (; j < bound; j += 4) {
                final DoubleVector xv = DoubleVector.fromArray(S4, x, xOff + j);
                s0 = DoubleVector.fromArray(S4, m, b0 + j).fma(xv, s0);
                s1 = DoubleVector.fromArray(S4, m, b1 + j).fma(xv, s1);
                s2 = DoubleVector.fromArray(S4, m, b2 + j).fma(xv, s2);
                s3 = DoubleVector.fromArray(S4, m, b3 + j).fma(xv, s3);
            }
            double t0 = sum(s0);
            double t1 = sum(s1);
            double t2 = sum(s2);
            double t3 = sum(s3);
            for (; j < cols; j++) {
                final double xj = x[xOff + j];
                t0 = Math.fma(m[b0 + j], xj, t0);
                t1 = Math.fma(m[b1 + j], xj, t1);
                t2 = Math.fma(m[b2 + j], xj, t2);
                t3 = Math.fma(m[b3 + j], xj, t3);
            }
            out[outOff + i] = t0;
            out[outOff + i + 1] = t1;
            out[outOff + i + 2] = t2;
            out[outOff + i + 3] = t3;
        }
        for (; i < vectorRows; i++) {
            final int base = mOff + i * cols;
            DoubleVector s = DoubleVector.zero(S4);
            int j = 0;
            for (; j < bound; j += 4) {
                s = DoubleVector.fromArray(S4, m, base + j).fma(DoubleVector.fromArray(S4, x, xOff + j), s);
            }
            double t = sum(s);
            for (; j < cols; j++) {
                t = Math.fma(m[base + j], x[xOff + j], t);
            }
            out[outOff + i] = t;
        }
        matvecTwin(m, mOff, vectorRows, rows, cols, x, xOff, out, outOff);
    }

    /**
     * Rows {@code from} to {@code rows} of {@link #matvec} as scalar code with the same operations: four
     * running sums for the four lanes, added as {@link #sum} adds them, then the tail.
     */
    static void matvecTwin(final double[] m, final int mOff, final int from, final int rows, final int cols,
                           final double[] x, final int xOff, final double[] out, final int outOff) {
        final int bound = cols - cols % 4;
        for (int i = from; i < rows; i++) {
            final int base = mOff + i * cols;
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            int j = 0;
            for (; j < bound; j += 4) {
                s0 = Math.fma(m[base + j], x[xOff + j], s0);
                s1 = Math.fma(m[base + j + 1], x[xOff + j + 1], s1);
                s2 = Math.fma(m[base + j + 2], x[xOff + j + 2], s2);
                s3 = Math.fma(m[base + j + 3], x[xOff + j + 3], s3);
            }
            double t = (s0 + s1) + (s2 + s3);
            for (; j < cols; j++) {
                t = Math.fma(m[base + j], x[xOff + j], t);
            }
            out[outOff + i] = t;
        }
    }

    static void rank1(final double[] y, final double[] out, final int d, final int rows, final int cols,
                      final double g, final double rowScale, final double[] rv, final int rOff, final double[] cv,
                      final int cOff, final int w, final double h, final double wFactor) {
        final int bound = S.loopBound(cols);
        final double hw = h * wFactor;
        final DoubleVector hwV = DoubleVector.broadcast(S, hw);
        // warming up: the first row by the vector code, the others by the scalar code of the tails
        final int calls = rank1Calls;
        rank1Calls = counted(calls);
        final int vectorRows = rows - limited(calls) * (rows - Math.min(rows, 1));
        for (int r = 0; r < rows; r++) {
            final double row = rowScale * rv[rOff + r];
            final DoubleVector rowV = DoubleVector.broadcast(S, row);
            final int bd = d + r * cols;
            // the vector loop's end: 0 for the rows of the scalar code
            final int vb = r < vectorRows ? bound : 0;
            int c = 0;
            if (w >= 0) {
                final int bw = w + r * cols;
                for (; c < vb; c += L) {
                    final DoubleVector dv = DoubleVector.fromArray(S, y, bd + c);
                    dv.fma(hwV, DoubleVector.fromArray(S, y, bw + c)).intoArray(out, bw + c);
                    DoubleVector.fromArray(S, cv, cOff + c).fma(rowV, dv.mul(g)).intoArray(out, bd + c);
                }
                for (; c < cols; c++) {
                    final double dd = y[bd + c];
                    out[bw + c] = Math.fma(dd, hw, y[bw + c]);
                    out[bd + c] = Math.fma(cv[cOff + c], row, dd * g);
                }
            } else {
                for (; c < vb; c += L) {
                    final DoubleVector dv = DoubleVector.fromArray(S, y, bd + c);
                    DoubleVector.fromArray(S, cv, cOff + c).fma(rowV, dv.mul(g)).intoArray(out, bd + c);
                }
                for (; c < cols; c++) {
                    out[bd + c] = Math.fma(cv[cOff + c], row, y[bd + c] * g);
                }
            }
        }
    }

    // The rate kernels below spell out their exponential and logarithm instead of calling helper methods that
    // take and return vectors, for the JIT: each kernel is then larger than C2 inlines into its callers
    // (FreqInlineSize, 325 bytes of bytecode) and is compiled on its own, where the Vector API's chains of
    // calls down to its intrinsics fit into the inlining depth (MaxInlineLevel, 15). Inlined into a deep caller
    // (a solver's step calling a compiled model), helper calls pushed those chains past the depth, and every
    // vector was then allocated as an object: 100 KB per step of a Verner solver. The steps are the same as
    // in the scalar twins (expLane, expm1ReducedLane, log1pUnitLane, tanhAbsLane), which document them.

    static void softplus(final double[] a, final int off, final int n) {
        // warming up: one vector by the vector code, the rest by the scalar twin
        final int calls = softplusCalls;
        softplusCalls = counted(calls);
        final int full = S.loopBound(n);
        final int bound = full - limited(calls) * (full - Math.min(full, L));
        int i = 0;
        for (; i < bound; i += L) {
            final DoubleVector x = DoubleVector.fromArray(S, a, off + i);
            final DoubleVector ax = x.abs();
            if (!ax.compare(VectorOperators.LE, RANGE).allTrue()) {
                for (int k = off + i; k < off + i + L; k++) {
                    a[k] = softplusLane(a[k]);
                }
                continue;
            }
            // max(x, 0) + log1p(e), e = e^{-|x|}: no overflow for any x
            final DoubleVector y = ax.neg();
            final DoubleVector kd = y.fma(INV_LN2, SHIFT);
            final DoubleVector k = kd.sub(SHIFT);
            final DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_HI), y).add(k.mul(-LN2_LO));
            final DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                                         .reinterpretAsDoubles();
            final DoubleVector r2 = r.mul(r);
            final DoubleVector r4 = r2.mul(r2);
            final DoubleVector b0 = r.fma(C5, C4).fma(r2, r.fma(C3, C2));
            final DoubleVector b1 = r.fma(C9, C8).fma(r2, r.fma(C7, C6));
            final DoubleVector b2 = r.fma(C13, C12).fma(r2, r.fma(C11, C10));
            final DoubleVector q = r2.fma(b2.fma(r4.mul(r4), b1.fma(r4, b0)), r);
            final DoubleVector e = scale.fma(q, scale);
            // log1p(e), 2^-1010 <= e <= 1
            final VectorMask<Double> big = e.compare(VectorOperators.GT, SQRT2_MINUS_1);
            final DoubleVector u = e.add(1.0);
            final DoubleVector c = e.sub(u.sub(1.0));
            final DoubleVector zero = DoubleVector.zero(S);
            final DoubleVector g = e.blend(u.mul(0.5).sub(1.0), big);
            final DoubleVector hi = zero.blend(DoubleVector.broadcast(S, LN2_HI), big);
            final DoubleVector lo = zero.blend(c.div(u).add(LN2_LO), big);
            final DoubleVector s = g.div(g.add(2.0));
            final DoubleVector z = s.mul(s);
            final DoubleVector w = z.mul(z);
            final DoubleVector t1 = w.mul(w.fma(w.fma(LG6, LG4), DoubleVector.broadcast(S, LG2)));
            final DoubleVector t2 = z.mul(w.fma(w.fma(w.fma(LG7, LG5), DoubleVector.broadcast(S, LG3)),
                    DoubleVector.broadcast(S, LG1)));
            final DoubleVector hfsq = g.mul(g).mul(0.5);
            final DoubleVector log1p = hi.sub(hfsq.sub(s.fma(hfsq.add(t2.add(t1)), lo)).sub(g));
            log1p.add(x.max(0.0)).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = softplusLane(a[off + i]);
        }
    }

    static void sigmoid(final double[] a, final int off, final int n) {
        // warming up: one vector by the vector code, the rest by the scalar twin
        final int calls = sigmoidCalls;
        sigmoidCalls = counted(calls);
        final int full = S.loopBound(n);
        final int bound = full - limited(calls) * (full - Math.min(full, L));
        int i = 0;
        for (; i < bound; i += L) {
            final DoubleVector x = DoubleVector.fromArray(S, a, off + i);
            final DoubleVector ax = x.abs();
            if (!ax.compare(VectorOperators.LE, RANGE).allTrue()) {
                for (int k = off + i; k < off + i + L; k++) {
                    a[k] = sigmoidLane(a[k]);
                }
                continue;
            }
            // e = e^{-|x|}
            final DoubleVector y = ax.neg();
            final DoubleVector kd = y.fma(INV_LN2, SHIFT);
            final DoubleVector k = kd.sub(SHIFT);
            final DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_HI), y).add(k.mul(-LN2_LO));
            final DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                                         .reinterpretAsDoubles();
            final DoubleVector r2 = r.mul(r);
            final DoubleVector r4 = r2.mul(r2);
            final DoubleVector b0 = r.fma(C5, C4).fma(r2, r.fma(C3, C2));
            final DoubleVector b1 = r.fma(C9, C8).fma(r2, r.fma(C7, C6));
            final DoubleVector b2 = r.fma(C13, C12).fma(r2, r.fma(C11, C10));
            final DoubleVector q = r2.fma(b2.fma(r4.mul(r4), b1.fma(r4, b0)), r);
            final DoubleVector e = scale.fma(q, scale);
            // 1/(1 + e) for x >= 0, e/(1 + e) for x < 0: no overflow, no cancellation
            DoubleVector.broadcast(S, 1.0).blend(e, x.compare(VectorOperators.LT, 0.0)).div(e.add(1.0))
                        .intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = sigmoidLane(a[off + i]);
        }
    }

    static void tanh(final double[] a, final int off, final int n) {
        // warming up: one vector by the vector code, the rest by the scalar twin
        final int calls = tanhCalls;
        tanhCalls = counted(calls);
        final int full = S.loopBound(n);
        final int bound = full - limited(calls) * (full - Math.min(full, L));
        int i = 0;
        for (; i < bound; i += L) {
            final DoubleVector x = DoubleVector.fromArray(S, a, off + i);
            final DoubleVector ax = x.abs();
            if (!ax.compare(VectorOperators.LE, Double.MAX_VALUE).allTrue()) {
                for (int k = off + i; k < off + i + L; k++) {
                    a[k] = tanhLane(a[k]);
                }
                continue;
            }
            // tanh(|x|), |x| clamped to 22, then the sign of x
            final DoubleVector abs = ax.min(TANH_ONE);
            final DoubleVector y = abs.mul(-2.0);
            final DoubleVector kd = y.fma(INV_LN2, SHIFT);
            final DoubleVector k = kd.sub(SHIFT);
            final DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_HI), y).add(k.mul(-LN2_LO));
            final DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                                         .reinterpretAsDoubles();
            final DoubleVector r2 = r.mul(r);
            final DoubleVector r4 = r2.mul(r2);
            final DoubleVector b0 = r.fma(C5, C4).fma(r2, r.fma(C3, C2));
            final DoubleVector b1 = r.fma(C9, C8).fma(r2, r.fma(C7, C6));
            final DoubleVector b2 = r.fma(C13, C12).fma(r2, r.fma(C11, C10));
            final DoubleVector q = r2.fma(b2.fma(r4.mul(r4), b1.fma(r4, b0)), r);
            final DoubleVector e = scale.fma(q, scale);
            final DoubleVector t = scale.fma(q, scale.sub(1.0));
            final VectorMask<Double> small = abs.compare(VectorOperators.LT, TANH_SPLIT);
            final DoubleVector f = e.mul(2.0).blend(t.neg(), small).div(e.add(1.0).blend(t.add(2.0), small));
            DoubleVector.broadcast(S, 1.0).sub(f).blend(f, small).abs().reinterpretAsLongs()
                        .or(x.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles().intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = tanhLane(a[off + i]);
        }
    }

    // ---- the scalar twins: the operations of one vector lane in the same order, and their documentation

    /**
     * The reduction of e^y = 2^k e^r, y = k ln 2 + r, |r| &lt;= ln 2 / 2 (plus rounding), for -1010 ln 2 &lt;= y
     * &lt;= 0. The caller forms kd = fma(y, 1/ln 2, SHIFT) = 1.5 2^52 + 1023 + k exactly (the addition rounds
     * y/ln 2 to the nearest integer k).
     *
     * @return r = y - k ln 2: y - k LN2_HI is exact (its bits lie within 2^-54 .. 2^-1), then the rest
     */
    private static double reducedLane(final double y, final double kd) {
        final double k = kd - SHIFT;
        return Math.fma(k, -LN2_HI, y) + k * -LN2_LO;
    }

    /** @return 2^k: the biased exponent k + 1023 sits in the low bits of kd */
    private static double scaleLane(final double kd) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(kd) << 52);
    }

    /** e^r - 1 for |r| &lt;= 0.35: Taylor to r^13 (rest below r^14/14! &lt; 5e-18), Estrin's scheme. */
    private static double expm1ReducedLane(final double r) {
        final double r2 = r * r;
        final double r4 = r2 * r2;
        final double r8 = r4 * r4;
        final double a0 = Math.fma(r, C3, C2);
        final double a1 = Math.fma(r, C5, C4);
        final double a2 = Math.fma(r, C7, C6);
        final double a3 = Math.fma(r, C9, C8);
        final double a4 = Math.fma(r, C11, C10);
        final double a5 = Math.fma(r, C13, C12);
        final double b0 = Math.fma(a1, r2, a0);
        final double b1 = Math.fma(a3, r2, a2);
        final double b2 = Math.fma(a5, r2, a4);
        final double p = Math.fma(b2, r8, Math.fma(b1, r4, b0));
        return Math.fma(r2, p, r);
    }

    /** e^y for -700 &lt;= y &lt;= 0: 2^k (1 + (e^r - 1)) with one rounding. */
    private static double expLane(final double y) {
        final double kd = Math.fma(y, INV_LN2, SHIFT);
        final double scale = scaleLane(kd);
        return Math.fma(scale, expm1ReducedLane(reducedLane(y, kd)), scale);
    }

    /**
     * log(1 + e) for 2^-1010 &lt;= e &lt;= 1, fdlibm's method: 1 + e = 2^m (1 + g) with 1 + g in [sqrt(2)/2,
     * sqrt(2)], log(1 + g) = g - (g^2/2 - s (g^2/2 + R)), s = g/(2 + g). For e &lt;= sqrt(2) - 1, m = 0 and
     * g = e exactly; above, m = 1, u = 1 + e rounded, g = u/2 - 1 (exact) and the rounding error
     * c = e - (u - 1) (exact) adds c/u.
     */
    private static double log1pUnitLane(final double e) {
        final boolean big = e > SQRT2_MINUS_1;
        final double u = e + 1.0;
        final double c = e - (u - 1.0);
        final double g = big ? u * 0.5 - 1.0 : e;
        final double hi = big ? LN2_HI : 0.0;
        final double lo = big ? c / u + LN2_LO : 0.0;
        final double s = g / (g + 2.0);
        final double z = s * s;
        final double w = z * z;
        final double t1 = w * Math.fma(w, Math.fma(w, LG6, LG4), LG2);
        final double t2 = z * Math.fma(w, Math.fma(w, Math.fma(w, LG7, LG5), LG3), LG1);
        final double rr = t2 + t1;
        final double hfsq = g * g * 0.5;
        return hi - ((hfsq - Math.fma(s, hfsq + rr, lo)) - g);
    }

    /**
     * tanh(a) for 0 &lt;= a &lt;= 22 from e = e^{-2a} and t = e - 1 (both with one rounding from the same 2^k and
     * e^r - 1): -t/(2 + t) below 0.625 (no cancellation for small a), 1 - 2e/(1 + e) above.
     */
    private static double tanhAbsLane(final double a) {
        final double y = a * -2.0;
        final double kd = Math.fma(y, INV_LN2, SHIFT);
        final double scale = scaleLane(kd);
        final double q = expm1ReducedLane(reducedLane(y, kd));
        final double e = Math.fma(scale, q, scale);
        final double t = Math.fma(scale, q, scale - 1.0);
        final boolean small = a < TANH_SPLIT;
        final double f = (small ? -t : e * 2.0) / (small ? t + 2.0 : e + 1.0);
        return Math.abs(small ? f : 1.0 - f);
    }

    /**
     * @param x argument
     * @return softplus(x) with the operations of {@link #softplus} on a vector lane; {@code Math.exp} and
     *         {@code Math.log1p} beyond |x| = 700 (NaN for NaN)
     */
    static double softplusLane(final double x) {
        final double ax = Math.abs(x);
        if (!(ax <= RANGE)) {
            return Math.max(x, 0.0) + Math.log1p(Math.exp(-ax));
        }
        return log1pUnitLane(expLane(-ax)) + Math.max(x, 0.0);
    }

    /**
     * @param x argument
     * @return sigmoid(x) with the operations of {@link #sigmoid} on a vector lane; {@code Math.exp} beyond
     *         |x| = 700 (NaN for NaN)
     */
    static double sigmoidLane(final double x) {
        final double ax = Math.abs(x);
        final double e = ax <= RANGE ? expLane(-ax) : Math.exp(-ax);
        return (x < 0.0 ? e : 1.0) / (e + 1.0);
    }

    /**
     * @param x argument
     * @return tanh(x) with the operations of {@link #tanh} on a vector lane (NaN for NaN, +-1 for infinities)
     */
    static double tanhLane(final double x) {
        final double ax = Math.abs(x);
        if (!(ax <= Double.MAX_VALUE)) {
            return Double.isNaN(x) ? x : Math.copySign(1.0, x);
        }
        return Math.copySign(tanhAbsLane(Math.min(ax, TANH_ONE)), x);
    }
    /** See {@link ArrayKernels#scan}: a vector of members compared at once, single members where one holds. */
    static int scan(final double[] y, final int off, final int n, final int op, final double x,
                    final double[] until, final double stepStart, final int[] out) {
        // warming up: one vector by the vector code, the rest by the scalar twin
        final int calls = scanCalls;
        scanCalls = counted(calls);
        final int full = S.loopBound(n);
        final int bound = full - limited(calls) * (full - Math.min(full, L));
        int c = 0;
        int m = 0;
        // four vectors per test of the joined masks (members crossing are rare)
        for (; m + 3 * L < bound; m += 4 * L) {
            final VectorMask<Double> hit = compare(y, off + m, op, x).or(compare(y, off + m + L, op, x))
                    .or(compare(y, off + m + 2 * L, op, x)).or(compare(y, off + m + 3 * L, op, x));
            if (hit.anyTrue()) {
                c = ArrayKernels.scanTwin(y, off, m, m + 4 * L, op, x, until, stepStart, out, c);
            }
        }
        for (; m < bound; m += L) {
            if (compare(y, off + m, op, x).anyTrue()) {
                c = ArrayKernels.scanTwin(y, off, m, m + L, op, x, until, stepStart, out, c);
            }
        }
        return ArrayKernels.scanTwin(y, off, m, n, op, x, until, stepStart, out, c);
    }

    /** The lanes of {@code y[at ..]} that compare with {@code x} as {@code op} says. */
    private static VectorMask<Double> compare(final double[] y, final int at, final int op, final double x) {
        final DoubleVector v = DoubleVector.fromArray(S, y, at);
        // a constant operator per comparison, as the JIT needs to compile it to one instruction
        return op == ArrayKernels.GT ? v.compare(VectorOperators.GT, x)
                : op == ArrayKernels.GE ? v.compare(VectorOperators.GE, x)
                : op == ArrayKernels.LT ? v.compare(VectorOperators.LT, x) : v.compare(VectorOperators.LE, x);
    }
}
