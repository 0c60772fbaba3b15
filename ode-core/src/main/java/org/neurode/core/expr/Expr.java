package org.neurode.core.expr;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A symbolic, shape-checked expression over state variables, inputs, parameters and time: the terms
 * of scripted equations. Shapes are (rows x cols): scalars 1x1, vectors n x 1, matrices r x c.
 * Element-wise operations need equal shapes or a scalar operand (broadcast); {@link #matmul} is the
 * matrix-vector product (the {@code @} operator of the text form).
 *
 * <p>Expressions are immutable values; {@link ModelBuilder} compiles them to plain Java loops.
 *
 * <pre>{@code
 * import static org.neurode.core.expr.Expr.*;
 * Expr drive = W.matmul(x).minus(vB).div(tauB);     // (W @ x - vB) / tauB
 * Expr rate  = softplus(u);
 * }</pre>
 *
 * @since 0.1
 */
public abstract class Expr {

    private final int rows;
    private final int cols;

    Expr(final int rows, final int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    /** @return number of rows */
    public final int rows() {
        return rows;
    }

    /** @return number of columns */
    public final int cols() {
        return cols;
    }

    /** @return true for a 1x1 expression */
    public final boolean isScalar() {
        return rows == 1 && cols == 1;
    }

    /** @return shape text "rows x cols" */
    public final String shape() {
        return rows + "x" + cols;
    }

    /** @return readable text of the expression, for messages */
    public abstract String text();

    @Override
    public String toString() {
        return text();
    }

    // ------------------------------------------------------------------ arithmetic

    /**
     * @param o right operand
     * @return {@code this + o}
     */
    public Expr plus(final Expr o) {
        return binary(Op.ADD, this, o);
    }

    /**
     * @param c constant
     * @return {@code this + c}
     */
    public Expr plus(final double c) {
        return plus(constant(c));
    }

    /**
     * @param o right operand
     * @return {@code this - o}
     */
    public Expr minus(final Expr o) {
        return binary(Op.SUB, this, o);
    }

    /**
     * @param c constant
     * @return {@code this - c}
     */
    public Expr minus(final double c) {
        return minus(constant(c));
    }

    /**
     * @param o right operand
     * @return element-wise {@code this * o}
     */
    public Expr times(final Expr o) {
        return binary(Op.MUL, this, o);
    }

    /**
     * @param c constant
     * @return {@code this * c}
     */
    public Expr times(final double c) {
        return times(constant(c));
    }

    /**
     * @param o right operand
     * @return element-wise {@code this / o}
     */
    public Expr div(final Expr o) {
        return binary(Op.DIV, this, o);
    }

    /**
     * @param c constant
     * @return {@code this / c}
     */
    public Expr div(final double c) {
        return div(constant(c));
    }

    /**
     * @param o exponent
     * @return element-wise {@code this ^ o}
     */
    public Expr pow(final Expr o) {
        return binary(Op.POW, this, o);
    }

    /**
     * @param c exponent
     * @return element-wise {@code this ^ c}
     */
    public Expr pow(final double c) {
        return pow(constant(c));
    }

    /** @return {@code -this} */
    public Expr negate() {
        return new Nodes.Unary(Fn.NEG, this);
    }

    /**
     * Matrix-vector product ({@code @}): an r x c matrix times a c-vector gives an r-vector; two vectors
     * of equal length give their dot product.
     *
     * @param x right operand
     * @return {@code this @ x}
     */
    public Expr matmul(final Expr x) {
        if (cols == 1 && x.cols() == 1 && rows == x.rows() && !(this instanceof Nodes.Transpose)) {
            return sum(times(x));
        }
        if (x.cols() != 1 || cols != x.rows()) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, "matrix-vector product", shape(), x.shape(),
                                   text() + " @ " + x.text());
        }
        return new Nodes.MatVec(this, x);
    }

    /** @return the transpose (of a matrix or vector) */
    public Expr transpose() {
        return new Nodes.Transpose(this);
    }

    // ------------------------------------------------------------------ functions

    /**
     * @param c value
     * @return a scalar constant
     */
    public static Expr constant(final double c) {
        if (!Double.isFinite(c)) {
            throw new OdeException(ErrorCode.NOT_FINITE, "constant", c);
        }
        return new Nodes.Const(c);
    }

    /** @return the time variable {@code t} */
    public static Expr time() {
        return Nodes.Time.INSTANCE;
    }

    /**
     * @param x argument
     * @return element-wise exponential
     */
    public static Expr exp(final Expr x) {
        return new Nodes.Unary(Fn.EXP, x);
    }

    /**
     * @param x argument
     * @return element-wise natural logarithm
     */
    public static Expr log(final Expr x) {
        return new Nodes.Unary(Fn.LOG, x);
    }

    /**
     * @param x argument
     * @return element-wise square root
     */
    public static Expr sqrt(final Expr x) {
        return new Nodes.Unary(Fn.SQRT, x);
    }

    /**
     * @param x argument
     * @return element-wise hyperbolic tangent
     */
    public static Expr tanh(final Expr x) {
        return new Nodes.Unary(Fn.TANH, x);
    }

    /**
     * @param x argument
     * @return element-wise logistic sigmoid \( 1/(1+e^{-x}) \)
     */
    public static Expr sigmoid(final Expr x) {
        return new Nodes.Unary(Fn.SIGMOID, x);
    }

    /**
     * @param x argument
     * @return element-wise softplus \( \log(1+e^x) \), computed without overflow
     */
    public static Expr softplus(final Expr x) {
        return new Nodes.Unary(Fn.SOFTPLUS, x);
    }

    /**
     * The relative error exponential \( (e^x - 1)/x \), 1 at x = 0 (Brian2's {@code exprel}): writes rate
     * functions such as Hodgkin-Huxley's \( 0.1 (V + 40)/(1 - e^{-(V+40)/10}) = 1/\mathrm{exprel}(-(V+40)/10) \)
     * without the removable singularity.
     *
     * @param x argument
     * @return element-wise \( (e^x - 1)/x \)
     */
    public static Expr exprel(final Expr x) {
        return new Nodes.Unary(Fn.EXPREL, x);
    }

    /**
     * @param x argument
     * @return element-wise \( \max(0, x) \)
     */
    public static Expr relu(final Expr x) {
        return new Nodes.Unary(Fn.RELU, x);
    }

    /**
     * @param x argument
     * @return element-wise absolute value
     */
    public static Expr abs(final Expr x) {
        return new Nodes.Unary(Fn.ABS, x);
    }

    /**
     * @param x argument
     * @return element-wise sine
     */
    public static Expr sin(final Expr x) {
        return new Nodes.Unary(Fn.SIN, x);
    }

    /**
     * @param x argument
     * @return element-wise cosine
     */
    public static Expr cos(final Expr x) {
        return new Nodes.Unary(Fn.COS, x);
    }

    /**
     * @param x argument
     * @return element-wise Heaviside step (1 where x &gt; 0, else 0)
     */
    public static Expr step(final Expr x) {
        return new Nodes.Unary(Fn.STEP, x);
    }

    /**
     * @param a left operand
     * @param b right operand
     * @return element-wise minimum
     */
    public static Expr min(final Expr a, final Expr b) {
        return binary(Op.MIN, a, b);
    }

    /**
     * @param a left operand
     * @param b right operand
     * @return element-wise maximum
     */
    public static Expr max(final Expr a, final Expr b) {
        return binary(Op.MAX, a, b);
    }

    /**
     * Outer product of two vectors: {@code outer(a, b)[i, j] = a[i] * b[j]} (post x pre for weight
     * updates).
     *
     * @param a column vector (rows of the result)
     * @param b column vector (columns of the result)
     * @return the matrix
     */
    public static Expr outer(final Expr a, final Expr b) {
        if (a.cols() != 1 || b.cols() != 1) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, "outer product (needs two vectors)", a.shape(),
                                   b.shape(), "outer(" + a.text() + ", " + b.text() + ")");
        }
        if ((long) a.rows() * b.rows() > ModelBuilder.MAX_ELEMENTS) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "outer(" + a.text() + ", " + b.text() + ") would have "
                    + (long) a.rows() * b.rows() + " elements; an expression has at most " + ModelBuilder.MAX_ELEMENTS);
        }
        return new Nodes.Outer(a, b);
    }

    /**
     * @param x argument
     * @return element-wise \( \lfloor x \rfloor \)
     */
    public static Expr floor(final Expr x) {
        return new Nodes.Unary(Fn.FLOOR, x);
    }

    /**
     * @param x argument
     * @return element-wise \( \lceil x \rceil \)
     */
    public static Expr ceil(final Expr x) {
        return new Nodes.Unary(Fn.CEIL, x);
    }

    /**
     * @param x argument
     * @return element-wise sign (-1, 0 or 1)
     */
    public static Expr sign(final Expr x) {
        return new Nodes.Unary(Fn.SIGN, x);
    }

    /**
     * @param x argument
     * @return element-wise tangent
     */
    public static Expr tan(final Expr x) {
        return new Nodes.Unary(Fn.TAN, x);
    }

    /**
     * @param x argument
     * @return element-wise arc tangent
     */
    public static Expr atan(final Expr x) {
        return new Nodes.Unary(Fn.ATAN, x);
    }

    // ------------------------------------------------------------------ conditions

    /*
     * Truth values are numbers, as in Brian2 and NumPy arithmetic on booleans: a comparison is 1 where it holds
     * and 0 elsewhere, and a condition holds where it is not 0. So (v > 0) * g is g where v > 0, else 0.
     */

    /**
     * @param o right operand
     * @return element-wise {@code this < o}: 1 where it holds, else 0
     */
    public Expr lt(final Expr o) {
        return binary(Op.LT, this, o);
    }

    /**
     * @param o right operand
     * @return element-wise {@code this <= o}: 1 where it holds, else 0
     */
    public Expr le(final Expr o) {
        return binary(Op.LE, this, o);
    }

    /**
     * @param o right operand
     * @return element-wise {@code this > o}: 1 where it holds, else 0
     */
    public Expr gt(final Expr o) {
        return binary(Op.GT, this, o);
    }

    /**
     * @param o right operand
     * @return element-wise {@code this >= o}: 1 where it holds, else 0
     */
    public Expr ge(final Expr o) {
        return binary(Op.GE, this, o);
    }

    /**
     * @param o right operand
     * @return element-wise {@code this == o}: 1 where it holds, else 0 (exact comparison of doubles)
     */
    public Expr eq(final Expr o) {
        return binary(Op.EQ, this, o);
    }

    /**
     * @param o right operand
     * @return element-wise {@code this != o}: 1 where it holds, else 0
     */
    public Expr ne(final Expr o) {
        return binary(Op.NE, this, o);
    }

    /**
     * @param o right condition
     * @return element-wise: 1 where both this and {@code o} are not 0, else 0
     */
    public Expr and(final Expr o) {
        return binary(Op.AND, this, o);
    }

    /**
     * @param o right condition
     * @return element-wise: 1 where this or {@code o} is not 0, else 0
     */
    public Expr or(final Expr o) {
        return binary(Op.OR, this, o);
    }

    /**
     * @param x condition
     * @return element-wise: 1 where {@code x} is 0, else 0
     */
    public static Expr not(final Expr x) {
        return new Nodes.Unary(Fn.NOT, x);
    }

    /**
     * Element-wise choice (NumPy's and Brian2's {@code where}): {@code a} where the condition is not 0, else
     * {@code b}. Only the chosen operand's value is used, so {@code where(x > 0, log(x), 0)} is 0, not NaN,
     * where x &lt;= 0. The three shapes broadcast together (see {@link #compatible}).
     *
     * @param condition the condition
     * @param a         value where it holds
     * @param b         value elsewhere
     * @return the choice
     */
    public static Expr where(final Expr condition, final Expr a, final Expr b) {
        // pairwise compatible shapes are compatible together: along each axis, all sizes other than 1 are equal
        if (!compatible(condition, a) || !compatible(condition, b) || !compatible(a, b)) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, "where", condition.shape() + " and " + a.shape(),
                                   b.shape(), "where(" + condition.text() + ", " + a.text() + ", " + b.text() + ")");
        }
        return new Nodes.Where(condition, a, b);
    }

    /**
     * @param x  value
     * @param lo lower bound
     * @param hi upper bound
     * @return element-wise {@code min(max(x, lo), hi)} (NumPy's {@code clip})
     */
    public static Expr clip(final Expr x, final Expr lo, final Expr hi) {
        return min(max(x, lo), hi);
    }

    // ------------------------------------------------------------------ indices and parts

    /**
     * The element index of a block of the given shape (Brian2's {@code i} for a population): element (r, c) is
     * r along rows ({@code axis} 0) or c along columns ({@code axis} 1), as a number, counted from 0.
     *
     * @param rows rows of the block
     * @param cols columns of the block
     * @param axis 0 for the row index, 1 for the column index
     * @return the index expression, of shape rows x cols
     */
    public static Expr index(final int rows, final int cols, final int axis) {
        if (rows < 1 || cols < 1 || axis < 0 || axis > 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "an index of a " + rows + "x" + cols
                    + " block along axis " + axis + " does not exist (rows and columns >= 1, axis 0 or 1)");
        }
        return new Nodes.Index(rows, cols, axis);
    }

    /**
     * A part of this expression: rows {@code r0} to {@code r1 - 1} and columns {@code c0} to {@code c1 - 1}
     * (half-open ranges, as Python slices without steps), e.g. element k of a vector is
     * {@code part(k, k + 1, 0, 1)}.
     *
     * @param r0 first row
     * @param r1 end row (exclusive)
     * @param c0 first column
     * @param c1 end column (exclusive)
     * @return the part
     */
    public Expr part(final int r0, final int r1, final int c0, final int c1) {
        if (r0 < 0 || r1 > rows || r0 >= r1 || c0 < 0 || c1 > cols || c0 >= c1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "part [" + r0 + ":" + r1 + ", " + c0 + ":" + c1
                    + "] of '" + text() + "' (" + shape() + ") is empty or out of range: rows 0 to " + rows
                    + ", columns 0 to " + cols);
        }
        if (r0 == 0 && r1 == rows && c0 == 0 && c1 == cols) {
            return this;
        }
        return new Nodes.Part(this, r0, r1 - r0, c0, c1 - c0);
    }

    /**
     * @param k element index of a vector, from 0
     * @return element {@code k} (a scalar)
     */
    public Expr get(final int k) {
        if (cols != 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + text() + "' is a " + shape()
                    + " matrix: index it by row and column");
        }
        return part(k, k + 1, 0, 1);
    }

    /**
     * @param x argument
     * @return the sum of all elements (a scalar)
     */
    public static Expr sum(final Expr x) {
        return new Nodes.Sum(x);
    }

    static Expr binary(final Op op, final Expr a, final Expr b) {
        if (!compatible(a, b)) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, op.word, a.shape(), b.shape(),
                                   a.text() + " " + op.symbol + " " + b.text());
        }
        return new Nodes.Binary(op, a, b);
    }

    /**
     * The broadcasting rule of element-wise operations (NumPy's, on two dimensions): along rows and along
     * columns, the two sizes are equal or one of them is 1, which is repeated. So a scalar goes with any shape, an
     * n x 1 column with an n x m matrix (it is repeated along the columns, e.g. {@code r * W} scales row i of W
     * by r[i]), a 1 x m row with an n x m matrix, and an n x 1 column with a 1 x m row gives an n x m matrix.
     *
     * @return true if the shapes of {@code a} and {@code b} broadcast together
     */
    static boolean compatible(final Expr a, final Expr b) {
        return (a.rows() == b.rows() || a.rows() == 1 || b.rows() == 1)
                && (a.cols() == b.cols() || a.cols() == 1 || b.cols() == 1);
    }

    /** Element-wise binary operators. */
    enum Op {
        ADD("+", "addition"), SUB("-", "subtraction"), MUL("*", "multiplication"), DIV("/", "division"),
        POW("^", "power"), MIN("min", "min"), MAX("max", "max"),
        LT("<", "comparison"), LE("<=", "comparison"), GT(">", "comparison"), GE(">=", "comparison"),
        EQ("==", "comparison"), NE("!=", "comparison"), AND("and", "'and'"), OR("or", "'or'");

        final String symbol;
        final String word;

        Op(final String symbol, final String word) {
            this.symbol = symbol;
            this.word = word;
        }
    }

    /** Element-wise functions. */
    enum Fn {
        NEG, EXP, LOG, SQRT, TANH, SIGMOID, SOFTPLUS, RELU, ABS, SIN, COS, STEP, EXPREL, NOT, FLOOR, CEIL, SIGN, TAN,
        ATAN
    }
}
