package org.neurode.core.expr;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD implementations of {@link ArrayKernels} with the incubating Vector API (JEP 414, Java 17). Loaded
 * only when {@code jdk.incubator.vector} is in the boot layer; everything else in neurode runs without it.
 * Tails shorter than a vector are done one element at a time; the matrix kernels use the same fused
 * multiply-adds there, so an element's value does not depend on whether it fell in the tail.
 */
final class VectorKernels {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);

    private VectorKernels() {
    }

    /** @return true if vectors hold at least 4 doubles (AVX2 and wider), where the kernels pay off */
    static boolean usable() {
        return L >= 4;
    }

    static void matvec(final double[] m, final int mOff, final int rows, final int cols, final double[] x,
                       final int xOff, final double[] out, final int outOff) {
        final int bound = S.loopBound(cols);
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            final int b0 = mOff + i * cols;
            final int b1 = b0 + cols;
            final int b2 = b1 + cols;
            final int b3 = b2 + cols;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            int j = 0;
            for (; j < bound; j += L) {
                final DoubleVector xv = DoubleVector.fromArray(S, x, xOff + j);
                s0 = DoubleVector.fromArray(S, m, b0 + j).fma(xv, s0);
                s1 = DoubleVector.fromArray(S, m, b1 + j).fma(xv, s1);
                s2 = DoubleVector.fromArray(S, m, b2 + j).fma(xv, s2);
                s3 = DoubleVector.fromArray(S, m, b3 + j).fma(xv, s3);
            }
            double t0 = s0.reduceLanes(VectorOperators.ADD);
            double t1 = s1.reduceLanes(VectorOperators.ADD);
            double t2 = s2.reduceLanes(VectorOperators.ADD);
            double t3 = s3.reduceLanes(VectorOperators.ADD);
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
        for (; i < rows; i++) {
            final int base = mOff + i * cols;
            DoubleVector s = DoubleVector.zero(S);
            int j = 0;
            for (; j < bound; j += L) {
                s = DoubleVector.fromArray(S, m, base + j).fma(DoubleVector.fromArray(S, x, xOff + j), s);
            }
            double t = s.reduceLanes(VectorOperators.ADD);
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
        for (int r = 0; r < rows; r++) {
            final double row = rowScale * rv[rOff + r];
            final DoubleVector rowV = DoubleVector.broadcast(S, row);
            final int bd = d + r * cols;
            int c = 0;
            if (w >= 0) {
                final int bw = w + r * cols;
                for (; c < bound; c += L) {
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
                for (; c < bound; c += L) {
                    final DoubleVector dv = DoubleVector.fromArray(S, y, bd + c);
                    DoubleVector.fromArray(S, cv, cOff + c).fma(rowV, dv.mul(g)).intoArray(out, bd + c);
                }
                for (; c < cols; c++) {
                    out[bd + c] = Math.fma(cv[cOff + c], row, y[bd + c] * g);
                }
            }
        }
    }

    static void softplus(final double[] a, final int off, final int n) {
        final int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            final DoubleVector v = DoubleVector.fromArray(S, a, off + i);
            // max(x, 0) + log1p(exp(-|x|)): no overflow for any x, NaN stays NaN
            v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P).add(v.max(0.0))
             .intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = Kernels.softplus(a[off + i]);
        }
    }

    static void sigmoid(final double[] a, final int off, final int n) {
        final int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            final DoubleVector v = DoubleVector.fromArray(S, a, off + i);
            // 1 / (1 + e^{-x}): e^{-x} overflows to infinity for x < -709, giving the correct limit 0
            ONE.div(v.neg().lanewise(VectorOperators.EXP).add(1.0)).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = Kernels.sigmoid(a[off + i]);
        }
    }

    static void tanh(final double[] a, final int off, final int n) {
        final int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, a, off + i).lanewise(VectorOperators.TANH).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = Math.tanh(a[off + i]);
        }
    }
}
