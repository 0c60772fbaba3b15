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
            return fn == Fn.NEG ? "-(" + arg.text() + ")" : fn.name().toLowerCase(java.util.Locale.ROOT)
                    + "(" + arg.text() + ")";
        }
    }

    /** Element-wise binary operation with scalar broadcast. */
    static final class Binary extends Expr {
        final Op op;
        final Expr a;
        final Expr b;

        Binary(final Op op, final Expr a, final Expr b) {
            super(a.isScalar() ? b.rows() : a.rows(), a.isScalar() ? b.cols() : a.cols());
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public String text() {
            if (op == Op.MIN || op == Op.MAX) {
                return op.symbol + "(" + a.text() + ", " + b.text() + ")";
            }
            return "(" + a.text() + " " + op.symbol + " " + b.text() + ")";
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
            return matrix.text() + " @ " + vector.text();
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
            return "transpose(" + arg.text() + ")";
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
            return "outer(" + a.text() + ", " + b.text() + ")";
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
            return "sum(" + arg.text() + ")";
        }
    }

    static OdeException unsupported(final Expr e) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, "unsupported expression node " + e.text());
    }
}
