package org.neurode.core.expr;

/**
 * Loops over arrays called by compiled equations and events: matrix-vector products, the rank-one filter updates
 * of plasticity rules, the rate functions over whole vectors and the step-end scan of a threshold. Public only so
 * that generated code can reach them.
 *
 * <p>Each loop has two implementations. The scalar one is plain Java and gives the same bits as the inline
 * loops neurode generated before these kernels existed. The SIMD one ({@link VectorKernels}) uses the
 * incubating Vector API of Java 17 (JEP 414): fused multiply-adds over 4 doubles per instruction on AVX2,
 * and its own vector exponential and logarithm (polynomials of exactly rounded operations). It is used when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (the {@code neurode} script and the test
 * configuration do), the machine has vectors of at least 4 doubles (AVX2), and the system property
 * {@code neurode.simd} is not {@code false}. The two agree to rounding (fused multiply-add, a different
 * summation order and other exponential and logarithm kernels; tested to 1e-13 relative), and each gives
 * the same bits whatever the JIT compiler does: interpreted, C1- or C2-compiled code and AVX2 or AVX-512
 * give the same results, so a run resumed in a new JVM continues exactly (tested in child JVMs with
 * {@code -Xint} and {@code -Xcomp}). Measured on the 30-50-10 dendritic microcircuit of Sacramento et al.
 * (2018), forward Euler at 0.1 ms: see the README's performance table.
 *
 * @since 0.1
 */
public final class ArrayKernels {

    /** True when the SIMD implementations can run (decided once, at class initialisation). */
    private static final boolean AVAILABLE = detect();
    /**
     * True when they are used. Not final so that benchmarks can compare both in one process; the cost is a
     * field load and a predictable branch per call (a call covers a whole matrix or vector).
     */
    private static boolean simd = AVAILABLE;

    private ArrayKernels() {
    }

    private static boolean detect() {
        final String property = System.getProperty("neurode.simd", "true");
        if ("false".equalsIgnoreCase(property)) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.usable();
        } catch (LinkageError e) {
            // the module is present but not readable from here: stay with the scalar loops
            return false;
        }
    }

    /**
     * @return true if the SIMD kernels are in use (see the class documentation for the conditions)
     */
    public static boolean simd() {
        return simd;
    }

    /**
     * @return true if the SIMD kernels can be used in this JVM
     */
    public static boolean simdAvailable() {
        return AVAILABLE;
    }

    /**
     * Switches between the SIMD and the scalar kernels, for benchmarks and tests that compare them in one
     * process. Results computed after a switch differ from those before it by rounding; set it before a run,
     * not during one, and not while other threads integrate.
     *
     * @param on true for the SIMD kernels
     * @throws IllegalStateException if {@code on} and they are not available ({@link #simdAvailable})
     */
    public static void useSimd(final boolean on) {
        if (on && !AVAILABLE) {
            throw new IllegalStateException("the SIMD kernels need a JVM started with --add-modules "
                    + "jdk.incubator.vector and vectors of at least 4 doubles (AVX2)");
        }
        simd = on;
    }

    /**
     * {@code out[outOff + i] = sum_j m[mOff + i cols + j] x[xOff + j]} for a row-major {@code rows x cols}
     * matrix.
     *
     * @param m      array holding the matrix
     * @param mOff   offset of element (0, 0)
     * @param rows   rows
     * @param cols   columns
     * @param x      array holding the vector
     * @param xOff   offset of its first element
     * @param out    result array (must not overlap the operands)
     * @param outOff offset of the first result
     */
    public static void matvec(final double[] m, final int mOff, final int rows, final int cols, final double[] x,
                              final int xOff, final double[] out, final int outOff) {
        if (simd) {
            VectorKernels.matvec(m, mOff, rows, cols, x, xOff, out, outOff);
        } else {
            scalarMatvec(m, mOff, rows, cols, x, xOff, out, outOff);
        }
    }

    /**
     * {@code out[outOff + c] = sum_r m[mOff + r cols + c] v[vOff + r]}: the transposed matrix times a vector, for
     * the error sent down through a row-major {@code rows x cols} matrix (backprop's W^T delta).
     *
     * @param m      array holding the matrix
     * @param mOff   offset of element (0, 0)
     * @param rows   rows
     * @param cols   columns (the result's length)
     * @param v      array holding the vector ({@code rows} values)
     * @param vOff   offset of its first element
     * @param out    result array (must not overlap the operands)
     * @param outOff offset of the first result
     */
    public static void matvecTransposed(final double[] m, final int mOff, final int rows, final int cols,
                                        final double[] v, final int vOff, final double[] out, final int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + cols, 0.0);
        if (simd) {
            for (int r = 0; r < rows; r++) {
                final double vr = v[vOff + r];
                if (vr != 0.0) {
                    VectorKernels.axpy(vr, m, mOff + r * cols, out, outOff, cols);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            final double vr = v[vOff + r];
            if (vr == 0.0) {
                continue;
            }
            final int base = mOff + r * cols;
            for (int c = 0; c < cols; c++) {
                out[outOff + c] += m[base + c] * vr;
            }
        }
    }

    /**
     * {@code m[mOff + r cols + c] += scale a[aOff + r] x[xOff + c]}: a rank-1 update of a row-major
     * {@code rows x cols} matrix in place (a learning step delta x^T); rows with {@code a = 0} are skipped.
     *
     * @param m     array holding the matrix (modified)
     * @param mOff  offset of element (0, 0)
     * @param rows  rows
     * @param cols  columns
     * @param scale factor of the product
     * @param a     array of the row operand
     * @param aOff  offset of the row operand
     * @param x     array of the column operand (must not overlap the matrix)
     * @param xOff  offset of the column operand
     */
    public static void addOuter(final double[] m, final int mOff, final int rows, final int cols, final double scale,
                                final double[] a, final int aOff, final double[] x, final int xOff) {
        for (int r = 0; r < rows; r++) {
            final double g = scale * a[aOff + r];
            if (g == 0.0) {
                continue;
            }
            final int base = mOff + r * cols;
            if (simd) {
                VectorKernels.axpy(g, x, xOff, m, base, cols);
            } else {
                for (int c = 0; c < cols; c++) {
                    m[base + c] += g * x[xOff + c];
                }
            }
        }
    }

    /**
     * The scalar {@link #matvec}: rows in blocks of four sharing each {@code x[j]} load; every row keeps its
     * own running sum in column order, so the result equals the one-row loop bit for bit.
     *
     * @param m      matrix array
     * @param mOff   offset of element (0, 0)
     * @param rows   rows
     * @param cols   columns
     * @param x      vector array
     * @param xOff   offset of the vector
     * @param out    result array
     * @param outOff offset of the result
     */
    static void scalarMatvec(final double[] m, final int mOff, final int rows, final int cols, final double[] x,
                             final int xOff, final double[] out, final int outOff) {
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            final int b0 = mOff + i * cols;
            final int b1 = b0 + cols;
            final int b2 = b1 + cols;
            final int b3 = b2 + cols;
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int j = 0; j < cols; j++) {
                final double xj = x[xOff + j];
                s0 += m[b0 + j] * xj;
                s1 += m[b1 + j] * xj;
                s2 += m[b2 + j] * xj;
                s3 += m[b3 + j] * xj;
            }
            out[outOff + i] = s0;
            out[outOff + i + 1] = s1;
            out[outOff + i + 2] = s2;
            out[outOff + i + 3] = s3;
        }
        for (; i < rows; i++) {
            double s = 0.0;
            final int base = mOff + i * cols;
            for (int j = 0; j < cols; j++) {
                s += m[base + j] * x[xOff + j];
            }
            out[outOff + i] = s;
        }
    }

    /**
     * One step of a low-pass-filtered outer product (the plasticity filters of Sacramento et al. 2018) and,
     * optionally, of the weights that integrate it:
     * <pre>
     *   out[d + r cols + c] = g y[d + r cols + c] + (rowScale rv[rOff + r]) cv[cOff + c]
     *   out[w + r cols + c] = y[w + r cols + c] + h (wFactor y[d + r cols + c])      (only if w &gt;= 0)
     * </pre>
     * Forward Euler passes {@code g = 1 + h a}; exponential Euler {@code g = e^{a h}}. Doing both updates in
     * one pass reads the filter once (the weights and filters are most of the state of a plastic network).
     *
     * @param y        state at the step start
     * @param out      state at the step end (must not alias {@code y})
     * @param d        offset of the filter block
     * @param rows     rows
     * @param cols     columns
     * @param g        decay factor of the filter over the step
     * @param rowScale factor of the row operand
     * @param rv       array of the row operand
     * @param rOff     offset of the row operand
     * @param cv       array of the column operand
     * @param cOff     offset of the column operand
     * @param w        offset of the integrating block, or -1 for none
     * @param h        step size (used with {@code w})
     * @param wFactor  factor of the filter in the integrating block's derivative
     */
    public static void rank1(final double[] y, final double[] out, final int d, final int rows, final int cols,
                             final double g, final double rowScale, final double[] rv, final int rOff,
                             final double[] cv, final int cOff, final int w, final double h, final double wFactor) {
        if (simd) {
            VectorKernels.rank1(y, out, d, rows, cols, g, rowScale, rv, rOff, cv, cOff, w, h, wFactor);
        } else {
            scalarRank1(y, out, d, rows, cols, g, rowScale, rv, rOff, cv, cOff, w, h, wFactor);
        }
    }

    /**
     * The scalar {@link #rank1}, in the operation order of the inline loops it replaced.
     *
     * @param y        state at the step start
     * @param out      state at the step end
     * @param d        filter offset
     * @param rows     rows
     * @param cols     columns
     * @param g        decay factor
     * @param rowScale row factor
     * @param rv       row operand array
     * @param rOff     row operand offset
     * @param cv       column operand array
     * @param cOff     column operand offset
     * @param w        integrating block offset or -1
     * @param h        step size
     * @param wFactor  factor of the filter in the integrating block
     */
    static void scalarRank1(final double[] y, final double[] out, final int d, final int rows, final int cols,
                            final double g, final double rowScale, final double[] rv, final int rOff,
                            final double[] cv, final int cOff, final int w, final double h, final double wFactor) {
        for (int r = 0; r < rows; r++) {
            final double row = rowScale * rv[rOff + r];
            final int base = d + r * cols;
            if (w >= 0) {
                // one pass: each filter element is read once for both updates
                final int bw = w + r * cols;
                for (int c = 0; c < cols; c++) {
                    final double dd = y[base + c];
                    out[bw + c] = y[bw + c] + h * (wFactor * dd);
                    out[base + c] = g * dd + row * cv[cOff + c];
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    out[base + c] = g * y[base + c] + row * cv[cOff + c];
                }
            }
        }
    }

    /**
     * {@code a[off + i] = softplus(a[off + i]) = log(1 + e^{a})} for {@code i < n}, in place.
     *
     * @param a   array
     * @param off offset
     * @param n   count
     */
    public static void softplus(final double[] a, final int off, final int n) {
        if (simd) {
            VectorKernels.softplus(a, off, n);
        } else {
            for (int i = off; i < off + n; i++) {
                a[i] = Kernels.softplus(a[i]);
            }
        }
    }

    /**
     * {@code a[off + i] = 1 / (1 + e^{-a[off + i]})} for {@code i < n}, in place.
     *
     * @param a   array
     * @param off offset
     * @param n   count
     */
    public static void sigmoid(final double[] a, final int off, final int n) {
        if (simd) {
            VectorKernels.sigmoid(a, off, n);
        } else {
            for (int i = off; i < off + n; i++) {
                a[i] = Kernels.sigmoid(a[i]);
            }
        }
    }

    /**
     * {@code a[off + i] = tanh(a[off + i])} for {@code i < n}, in place.
     *
     * @param a   array
     * @param off offset
     * @param n   count
     */
    public static void tanh(final double[] a, final int off, final int n) {
        if (simd) {
            VectorKernels.tanh(a, off, n);
        } else {
            for (int i = off; i < off + n; i++) {
                a[i] = Math.tanh(a[i]);
            }
        }
    }
    /** {@link #scan} compares {@code y[off + m] > x}. */
    public static final int GT = 0;
    /** {@link #scan} compares {@code y[off + m] >= x}. */
    public static final int GE = 1;
    /** {@link #scan} compares {@code y[off + m] < x}. */
    public static final int LT = 2;
    /** {@link #scan} compares {@code y[off + m] <= x}. */
    public static final int LE = 3;

    /**
     * The fewest members scanned by vectors: below, the scalar loop is as fast, and a small population's scan
     * would spend the JIT's warm-up of the vector code (during which the vectors are objects) for nothing.
     */
    static final int SCAN_VECTOR_MIN = 256;

    /**
     * The step-end scan of an event whose condition compares each member's element of a state block with one value
     * (Brian2's {@code v > v_th}): writes to {@code out}, in increasing order, every member {@code m < n} whose
     * element {@code y[off + m]} compares with {@code x} as {@code op} says and that is not refractory
     * ({@code until} null, or {@code stepStart >= until[m]}). The SIMD implementation compares a vector of members
     * at once and looks at single members only where one compares true (from {@value #SCAN_VECTOR_MIN} members on);
     * both give the same members, since a comparison is exact.
     *
     * @param y         state
     * @param off       offset of the block in {@code y}
     * @param n         members
     * @param op        {@link #GT}, {@link #GE}, {@link #LT} or {@link #LE}
     * @param x         the value compared with
     * @param until     per member, the end of its refractory period (null: none is refractory)
     * @param stepStart the step start, compared with {@code until}
     * @param out       the members found (modified; room for {@code n})
     * @return how many were found
     */
    public static int scan(final double[] y, final int off, final int n, final int op, final double x,
                           final double[] until, final double stepStart, final int[] out) {
        if (simd && n >= SCAN_VECTOR_MIN) {
            return VectorKernels.scan(y, off, n, op, x, until, stepStart, out);
        }
        return scanTwin(y, off, 0, n, op, x, until, stepStart, out, 0);
    }

    /** The scalar {@link #scan} of the members {@code from <= m < n}, appending to {@code out} from {@code c}. */
    static int scanTwin(final double[] y, final int off, final int from, final int n, final int op, final double x,
                        final double[] until, final double stepStart, final int[] out, final int c) {
        // a loop per comparison: the comparison first, the refractory end only where it holds
        int k = c;
        switch (op) {
            case GT:
                for (int m = from; m < n; m++) {
                    if (y[off + m] > x && (until == null || stepStart >= until[m])) {
                        out[k++] = m;
                    }
                }
                return k;
            case GE:
                for (int m = from; m < n; m++) {
                    if (y[off + m] >= x && (until == null || stepStart >= until[m])) {
                        out[k++] = m;
                    }
                }
                return k;
            case LT:
                for (int m = from; m < n; m++) {
                    if (y[off + m] < x && (until == null || stepStart >= until[m])) {
                        out[k++] = m;
                    }
                }
                return k;
            default:
                for (int m = from; m < n; m++) {
                    if (y[off + m] <= x && (until == null || stepStart >= until[m])) {
                        out[k++] = m;
                    }
                }
                return k;
        }
    }
}
