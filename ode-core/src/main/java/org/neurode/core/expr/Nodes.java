package org.neurode.core.expr;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.expr.Expr.Fn;
import org.neurode.core.expr.Expr.Op;

/** The expression node types (package-private; users see {@link Expr}). */
final class Nodes {

    private Nodes() {
    }

    /** A scalar constant. */
    static final class Const extends Expr {
        final double value;

        Const(final double value) {
            super(1, 1);
            this.value = value;
        }

        @Override
        public String text() {
            final String s = Double.toString(value);
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
    }

    /** The time variable. */
    static final class Time extends Expr {
        static final Time INSTANCE = new Time();

        private Time() {
            super(1, 1);
        }

        @Override
        public String text() {
            return "t";
        }
    }

    /**
     * A draw of the generator of the event or projection being run: {@code rand()} (uniform on [0, 1)) or
     * {@code randn()} (standard normal). Only in event conditions and statements and in projection statements,
     * which are generated per member or synapse; each occurrence draws once per evaluation.
     */
    static final class Random extends Expr {
        static final Random UNIFORM = new Random(false);
        static final Random NORMAL = new Random(true);
        final boolean normal;

        private Random(final boolean normal) {
            super(1, 1);
            this.normal = normal;
        }

        @Override
        public String text() {
            return normal ? "randn()" : "rand()";
        }
    }

    /** The step length {@code dt} of a fixed-step run (events and projection statements only). */
    static final class Step extends Expr {
        static final Step INSTANCE = new Step();

        private Step() {
            super(1, 1);
        }

        @Override
        public String text() {
            return "dt";
        }
    }

    /** A named scalar parameter; its value is read at run time so parameter variants reuse the code. */
    static final class Param extends Expr {
        final String name;
        final int index;

        Param(final String name, final int index) {
            super(1, 1);
            this.name = name;
            this.index = index;
        }

        @Override
        public String text() {
            return name;
        }
    }

    /** A named subexpression, evaluated once per right-hand-side call into scratch space. */
    static final class Let extends Expr {
        final String name;
        final Expr body;

        Let(final String name, final Expr body) {
            super(body.rows(), body.cols());
            this.name = name;
            this.body = body;
        }

        @Override
        public String text() {
            return name;
        }
    }

    /** Element-wise function. */
    static final class Unary extends Expr {
        final Fn fn;
        final Expr arg;

        Unary(final Fn fn, final Expr arg) {
            super(arg.rows(), arg.cols());
            this.fn = fn;
            this.arg = arg;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** Element-wise binary operation with scalar broadcast. */
    static final class Binary extends Expr {
        final Op op;
        final Expr a;
        final Expr b;

        Binary(final Op op, final Expr a, final Expr b) {
            super(Math.max(a.rows(), b.rows()), Math.max(a.cols(), b.cols()));
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** Matrix-vector product (the matrix may be a {@link Transpose}). */
    static final class MatVec extends Expr {
        final Expr matrix;
        final Expr vector;

        MatVec(final Expr matrix, final Expr vector) {
            super(matrix.rows(), 1);
            this.matrix = matrix;
            this.vector = vector;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** Transpose. */
    static final class Transpose extends Expr {
        final Expr arg;

        Transpose(final Expr arg) {
            super(arg.cols(), arg.rows());
            this.arg = arg;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** Outer product of two vectors. */
    static final class Outer extends Expr {
        final Expr a;
        final Expr b;

        Outer(final Expr a, final Expr b) {
            super(a.rows(), b.rows());
            this.a = a;
            this.b = b;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** Sum of all elements. */
    static final class Sum extends Expr {
        final Expr arg;

        Sum(final Expr arg) {
            super(1, 1);
            this.arg = arg;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** Element-wise choice: {@code a} where the condition is not 0, else {@code b} (shapes broadcast). */
    static final class Where extends Expr {
        final Expr condition;
        final Expr a;
        final Expr b;

        Where(final Expr condition, final Expr a, final Expr b) {
            super(Math.max(condition.rows(), Math.max(a.rows(), b.rows())),
                  Math.max(condition.cols(), Math.max(a.cols(), b.cols())));
            this.condition = condition;
            this.a = a;
            this.b = b;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /** The row (axis 0) or column (axis 1) index of each element of a block, as a number. */
    static final class Index extends Expr {
        final int axis;

        Index(final int rows, final int cols, final int axis) {
            super(rows, cols);
            this.axis = axis;
        }

        @Override
        public String text() {
            return axis == 0 ? "i" : "j";
        }
    }

    /** A rectangular part of an expression: rows r0 .. r0 + rows - 1, columns c0 .. c0 + cols - 1. */
    static final class Part extends Expr {
        final Expr arg;
        final int r0;
        final int c0;

        Part(final Expr arg, final int r0, final int rows, final int c0, final int cols) {
            super(rows, cols);
            this.arg = arg;
            this.r0 = r0;
            this.c0 = c0;
        }

        @Override
        public String text() {
            return render(this);
        }
    }

    /**
     * The operands of a node, left to right (none for leaves); the body of a named subexpression is its operand.
     * The one list of what each node type holds, for every walk over expressions.
     */
    static java.util.List<Expr> operands(final Expr e) {
        if (e instanceof Let l) {
            return java.util.List.of(l.body);
        }
        if (e instanceof Unary u) {
            return java.util.List.of(u.arg);
        }
        if (e instanceof Binary b) {
            return java.util.List.of(b.a, b.b);
        }
        if (e instanceof MatVec mv) {
            return java.util.List.of(mv.matrix, mv.vector);
        }
        if (e instanceof Transpose tr) {
            return java.util.List.of(tr.arg);
        }
        if (e instanceof Outer o) {
            return java.util.List.of(o.a, o.b);
        }
        if (e instanceof Sum sum) {
            return java.util.List.of(sum.arg);
        }
        if (e instanceof Where w) {
            return java.util.List.of(w.condition, w.a, w.b);
        }
        if (e instanceof Part p) {
            return java.util.List.of(p.arg);
        }
        return java.util.List.of();
    }

    /** Longest text of an expression in messages; longer ones end in "...". */
    static final int TEXT_LIMIT = 200;
    /** Deepest nesting written out; deeper parts are "...". */
    private static final int TEXT_DEPTH = 24;

    /**
     * The text of a compound expression, at most about {@link #TEXT_LIMIT} characters and
     * {@link #TEXT_DEPTH} levels: messages stay short and the walk stays shallow however large the
     * expression is.
     */
    static String render(final Expr e) {
        final StringBuilder sb = new StringBuilder();
        render(e, sb, 0);
        if (sb.length() > TEXT_LIMIT) {
            sb.setLength(TEXT_LIMIT - 3);
            sb.append("...");
        }
        return sb.toString();
    }

    private static void render(final Expr e, final StringBuilder sb, final int depth) {
        if (sb.length() > TEXT_LIMIT) {
            return;
        }
        if (depth > TEXT_DEPTH) {
            sb.append("...");
            return;
        }
        final int d = depth + 1;
        if (e instanceof Unary u) {
            sb.append(u.fn == Fn.NEG ? "-" : u.fn.name().toLowerCase(java.util.Locale.ROOT)).append('(');
            render(u.arg, sb, d);
            sb.append(')');
        } else if (e instanceof Where w) {
            sb.append("where(");
            render(w.condition, sb, d);
            sb.append(", ");
            render(w.a, sb, d);
            sb.append(", ");
            render(w.b, sb, d);
            sb.append(')');
        } else if (e instanceof Part p) {
            render(p.arg, sb, d);
            sb.append('[').append(range(p.r0, p.rows(), p.arg.rows()));
            if (p.arg.cols() > 1) {
                sb.append(", ").append(range(p.c0, p.cols(), p.arg.cols()));
            }
            sb.append(']');
        } else if (e instanceof Binary b) {
            final boolean call = b.op == Op.MIN || b.op == Op.MAX;
            sb.append(call ? b.op.symbol + "(" : "(");
            render(b.a, sb, d);
            sb.append(call ? ", " : " " + b.op.symbol + " ");
            render(b.b, sb, d);
            sb.append(')');
        } else if (e instanceof MatVec mv) {
            render(mv.matrix, sb, d);
            sb.append(" @ ");
            render(mv.vector, sb, d);
        } else if (e instanceof Transpose tr) {
            sb.append("transpose(");
            render(tr.arg, sb, d);
            sb.append(')');
        } else if (e instanceof Outer o) {
            sb.append("outer(");
            render(o.a, sb, d);
            sb.append(", ");
            render(o.b, sb, d);
            sb.append(')');
        } else if (e instanceof Sum sum) {
            sb.append("sum(");
            render(sum.arg, sb, d);
            sb.append(')');
        } else {
            sb.append(e.text());
        }
    }

    /** The text of a range of a part: {@code k} for one index, {@code a:b} otherwise, {@code :} for all. */
    private static String range(final int first, final int count, final int size) {
        if (count == 1) {
            return Integer.toString(first);
        }
        return first == 0 && count == size ? ":" : first + ":" + (first + count);
    }

    static OdeException unsupported(final Expr e) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, "unsupported expression node " + e.text());
    }
}
