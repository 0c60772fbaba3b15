package org.neurode.core.expr;

/**
 * Scalar functions called by compiled equations. Public only so that generated code can reach them.
 *
 * @since 0.1
 */
public final class Kernels {

    private Kernels() {
    }

    /** Table size of the exponential and logarithm below: 2^6 subintervals. */
    private static final int TABLE_BITS = 6;
    private static final int TABLE = 1 << TABLE_BITS;
    /** \( 2^{j/64} \), j = 0..63, each within an ulp ({@code Math.pow} is accurate to 1 ulp). */
    private static final double[] EXP2_FRACTION = new double[TABLE];
    /** \( \log(1 + j/64) \), j = 0..64. */
    private static final double[] LOG1P_NODE = new double[TABLE + 1];
    /** \( 1/(1 + j/64) \), j = 0..64. */
    private static final double[] INVERSE_NODE = new double[TABLE + 1];

    static {
        for (int j = 0; j < TABLE; j++) {
            EXP2_FRACTION[j] = Math.pow(2.0, j / (double) TABLE);
        }
        for (int j = 0; j <= TABLE; j++) {
            LOG1P_NODE[j] = Math.log1p(j / (double) TABLE);
            INVERSE_NODE[j] = 1.0 / (1.0 + j / (double) TABLE);
        }
    }

    /** 64 / ln 2. */
    private static final double TABLE_OVER_LN2 = TABLE / 0.6931471805599453;
    /** ln(2)/64 split so that n * LN2_HI is exact for |n| &lt; 2^20 (Cody and Waite 1980). */
    private static final double LN2_OVER_TABLE_HI = 0x1.62e42fefa0000p-7;
    private static final double LN2_OVER_TABLE_LO = 0x1.cf79abc9e3b3ap-46;

    /** Beyond this |x| the table kernels hand over to {@code Math.exp}/{@code Math.log1p} (2^-1010 &lt; e^-700). */
    private static final double TABLE_RANGE = 700.0;

    /**
     * \( e^y \) for \( -700 \le y \le 0 \), by table-driven range reduction (Tang 1989): \( y = (64m + j)
     * \ln 2/64 + r \), \( |r| \le \ln 2/128 \), \( e^y = 2^m\, 2^{j/64}\, e^r \) with a degree-5 Taylor
     * polynomial for \( e^r \) (truncation below \( r^6/720 &lt; 4\cdot 10^{-17} \)). Relative error below
     * 5e-16 (tested). Pure arithmetic, so the JIT inlines it into the calling loop, where {@code Math.exp}
     * is a call into a stub.
     */
    private static double expNonPositive(final double y) {
        final double kd = Math.rint(y * TABLE_OVER_LN2);
        final int n = (int) kd;
        final double r = (y - kd * LN2_OVER_TABLE_HI) - kd * LN2_OVER_TABLE_LO;
        final double r2 = r * r;
        // Estrin's scheme: shorter dependency chains than Horner's
        final double p = (1.0 + r) + r2 * ((0.5 + r * (1.0 / 6)) + r2 * ((1.0 / 24) + r * (1.0 / 120)));
        return EXP2_FRACTION[n & (TABLE - 1)] * p * Double.longBitsToDouble((long) ((n >> TABLE_BITS) + 1023) << 52);
    }

    /**
     * \( \log(1 + e) \) for \( 0 \le e \le 1 \): with \( c = \lfloor 64 e \rfloor / 64 \) (exact),
     * \( \log(1+e) = \log(1+c) + \log(1+t) \), \( t = (e - c)/(1 + c) \in [0, 1/64) \), where \( e - c \) is
     * exact (Sterbenz) and \( \log(1+t) \) is its Taylor series to \( t^9 \) (truncation below
     * \( t^{10}/10 &lt; 10^{-19} \)). Accurate in the relative sense also for tiny e (then c = 0, t = e).
     */
    private static double log1pUnit(final double e) {
        final int j = (int) (e * TABLE);
        final double t = (e - j * (1.0 / TABLE)) * INVERSE_NODE[j];
        final double t2 = t * t;
        final double t4 = t2 * t2;
        final double a = (1.0 - t * 0.5) + t2 * (1.0 / 3 - t * 0.25);
        final double b = (0.2 - t * (1.0 / 6)) + t2 * (1.0 / 7 - t * 0.125);
        return LOG1P_NODE[j] + t * (a + t4 * (b + t4 * (1.0 / 9)));
    }

    /**
     * @param x argument
     * @return \( 1/(1+e^{-x}) \), without overflow for large |x|
     */
    public static double sigmoid(final double x) {
        final double ax = Math.abs(x);
        final double e = ax <= TABLE_RANGE ? expNonPositive(-ax) : Math.exp(-ax);
        return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /**
     * Softplus without overflow: \( \log(1+e^x) = \max(x, 0) + \log(1 + e^{-|x|}) \), with a table-driven
     * exponential and logarithm (see the private kernels) for |x| up to 700 and {@code Math.exp}/{@code
     * Math.log1p} beyond. Relative error below 1e-15 against {@code Math.log1p(Math.exp(x))} (tested), at
     * about half its cost: rate functions are evaluated for every neuron and step, and in the dendritic
     * microcircuit (Sacramento et al. 2018) they were half of the time of a forward-Euler step.
     *
     * @param x argument
     * @return \( \log(1+e^x) \); NaN for NaN
     */
    public static double softplus(final double x) {
        final double ax = Math.abs(x);
        if (ax > TABLE_RANGE) {
            return Math.max(x, 0.0) + Math.log1p(Math.exp(-ax));
        }
        return Math.max(x, 0.0) + log1pUnit(expNonPositive(-ax));
    }

    /**
     * @param x argument
     * @return \( (e^x - 1)/x \), with its limit 1 at 0: {@code Math.expm1(x)/x} (accurate to a few ulps) and
     *         the Taylor series \( 1 + x/2 + x^2/6 \) for \( |x| &lt; 10^{-8} \), where the next term is below
     *         \( 10^{-25} \)
     */
    public static double exprel(final double x) {
        if (Math.abs(x) < 1e-8) {
            return 1.0 + x * (0.5 + x * (1.0 / 6));
        }
        return Math.expm1(x) / x;
    }

    /**
     * @param x argument
     * @return 1 for x &gt; 0, else 0
     */
    public static double step(final double x) {
        return x > 0 ? 1.0 : 0.0;
    }

    /**
     * @param x base
     * @param p exponent
     * @return \( x^p \), with integer exponents 2 and 3 as products
     */
    public static double pow(final double x, final double p) {
        if (p == 2.0) {
            return x * x;
        }
        if (p == 3.0) {
            return x * x * x;
        }
        if (p == 1.0) {
            return x;
        }
        return Math.pow(x, p);
    }

    // ------------------------------------------------------------------ derivatives (compiled Jacobians)

    /**
     * @param x argument
     * @return \( \sigma'(x) = \sigma(x)\,\sigma(-x) \) (no cancellation in \( 1 - \sigma \) for large x)
     * @since 0.5
     */
    public static double sigmoidDerivative(final double x) {
        return sigmoid(x) * sigmoid(-x);
    }

    /**
     * @param x argument
     * @return \( \tanh'(x) = 1/\cosh^2 x \) (accurate where \( 1 - \tanh^2 x \) cancels; 0 beyond |x| of
     *         about 355, where the true value is below 1e-308)
     * @since 0.5
     */
    public static double tanhDerivative(final double x) {
        final double c = Math.cosh(x);
        return 1.0 / (c * c);
    }

    /**
     * The derivative of {@link #exprel}: \( ((x - 1) e^x + 1)/x^2 = ((x - 1)\,\mathrm{expm1}(x) + x)/x^2 \),
     * and its Taylor series \( \sum_{n \ge 1} n x^{n-1}/(n+1)! \) to \( x^9 \) for \( |x| &lt; 0.05 \), where
     * the closed form loses about \( \epsilon/|x| \) to cancellation and the series' first omitted term is
     * below 1e-18.
     *
     * @param x argument
     * @return \( \mathrm{exprel}'(x) \), 1/2 at 0
     * @since 0.5
     */
    public static double exprelDerivative(final double x) {
        if (Math.abs(x) < 0.05) {
            return 0.5 + x * (1.0 / 3 + x * (1.0 / 8 + x * (1.0 / 30 + x * (1.0 / 144 + x * (1.0 / 840
                    + x * (1.0 / 5760 + x * (1.0 / 45360 + x * (1.0 / 403200 + x * (1.0 / 3991680)))))))));
        }
        return ((x - 1.0) * Math.expm1(x) + x) / (x * x);
    }

    /**
     * @param x base
     * @param p exponent
     * @return \( \partial x^p/\partial x = p x^{p-1} \) (0 for p = 0, also at x = 0)
     * @since 0.5
     */
    public static double powBaseDerivative(final double x, final double p) {
        return p == 0.0 ? 0.0 : p * pow(x, p - 1.0);
    }

    /**
     * @param x base
     * @param p exponent
     * @return \( \partial x^p/\partial p = x^p \log x \), 0 where \( x^p = 0 \) (the one-sided limit at
     *         x = 0 for p &gt; 0)
     * @since 0.5
     */
    public static double powExponentDerivative(final double x, final double p) {
        final double v = pow(x, p);
        return v == 0.0 ? 0.0 : v * Math.log(x);
    }
}
