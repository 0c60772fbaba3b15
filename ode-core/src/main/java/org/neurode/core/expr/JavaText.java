package org.neurode.core.expr;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.InternalCompilerException;
import org.codehaus.janino.SimpleCompiler;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * What the code generators of the model language share: the Java text of an operator or function applied to
 * the text of its operands (the equations, events, projections and recorded lets all compute the same
 * functions with the same bits), and compiling generated source with Janino in process.
 */
final class JavaText {

    private static final String KERNELS = "org.neurode.core.expr.Kernels.";

    private JavaText() {
    }

    /**
     * @param fn the function
     * @param a  Java text of its operand
     * @param e  the node (named in the error for a function without Java text)
     * @return Java text of the function applied to {@code a}
     */
    static String unary(final Expr.Fn fn, final String a, final Expr e) {
        switch (fn) {
            case NEG: return "(-" + a + ")";
            case EXP: return "Math.exp(" + a + ")";
            case LOG: return "Math.log(" + a + ")";
            case SQRT: return "Math.sqrt(" + a + ")";
            case TANH: return "Math.tanh(" + a + ")";
            case SIGMOID: return KERNELS + "sigmoid(" + a + ")";
            case SOFTPLUS: return KERNELS + "softplus(" + a + ")";
            case RELU: return "Math.max(0.0, " + a + ")";
            case EXPREL: return KERNELS + "exprel(" + a + ")";
            case ABS: return "Math.abs(" + a + ")";
            case SIN: return "Math.sin(" + a + ")";
            case COS: return "Math.cos(" + a + ")";
            case TAN: return "Math.tan(" + a + ")";
            case ATAN: return "Math.atan(" + a + ")";
            case STEP: return KERNELS + "step(" + a + ")";
            case NOT: return "(" + a + " == 0.0 ? 1.0 : 0.0)";
            case FLOOR: return "Math.floor(" + a + ")";
            case CEIL: return "Math.ceil(" + a + ")";
            case SIGN: return "Math.signum(" + a + ")";
            default: throw Nodes.unsupported(e);
        }
    }

    /**
     * @param op the operator
     * @param x  Java text of the left operand
     * @param y  Java text of the right operand
     * @param e  the node (named in the error for an operator without Java text)
     * @return Java text of {@code x op y}; comparisons and logic give 1.0 or 0.0
     */
    static String binary(final Expr.Op op, final String x, final String y, final Expr e) {
        switch (op) {
            case ADD: return "(" + x + " + " + y + ")";
            case SUB: return "(" + x + " - " + y + ")";
            case MUL: return "(" + x + " * " + y + ")";
            case DIV: return "(" + x + " / " + y + ")";
            case POW: return KERNELS + "pow(" + x + ", " + y + ")";
            case MIN: return "Math.min(" + x + ", " + y + ")";
            case MAX: return "Math.max(" + x + ", " + y + ")";
            case LT: return "(" + x + " < " + y + " ? 1.0 : 0.0)";
            case LE: return "(" + x + " <= " + y + " ? 1.0 : 0.0)";
            case GT: return "(" + x + " > " + y + " ? 1.0 : 0.0)";
            case GE: return "(" + x + " >= " + y + " ? 1.0 : 0.0)";
            case EQ: return "(" + x + " == " + y + " ? 1.0 : 0.0)";
            case NE: return "(" + x + " != " + y + " ? 1.0 : 0.0)";
            case AND: return "(" + x + " != 0.0 && " + y + " != 0.0 ? 1.0 : 0.0)";
            case OR: return "(" + x + " != 0.0 || " + y + " != 0.0 ? 1.0 : 0.0)";
            default: throw Nodes.unsupported(e);
        }
    }

    /**
     * Compiles generated source in process (debugging aid: {@code -Dneurode.generated.dir=DIR} keeps it there as
     * {@code className.java}).
     *
     * @param what      what the source is, for the error (e.g. the model's name)
     * @param className the class's simple name (the file name of the kept source)
     * @param src       the source
     * @return the class loader holding the compiled classes
     * @throws OdeException if the source is not compiled (the source is not in the message: it may be megabytes)
     */
    static ClassLoader cook(final String what, final String className, final String src) {
        final String dump = System.getProperty("neurode.generated.dir");
        if (dump != null) {
            try {
                java.nio.file.Files.createDirectories(java.nio.file.Path.of(dump));
                java.nio.file.Files.writeString(java.nio.file.Path.of(dump, className + ".java"), src);
            } catch (java.io.IOException e) {
                throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "cannot write generated source to " + dump
                        + ": " + e.getMessage());
            }
        }
        try {
            final SimpleCompiler sc = new SimpleCompiler();
            sc.setDebuggingInformation(true, true, false);   // line numbers in profiles and stack traces
            sc.setParentClassLoader(JavaText.class.getClassLoader());
            sc.cook(src);
            return sc.getClassLoader();
        } catch (CompileException | InternalCompilerException e) {
            throw failed(what, src, e);
        }
    }

    /**
     * The constructors of the nested classes {@code outer$PREFIX0 .. outer$PREFIX(count-1)} of a generated class,
     * each taking {@code parameters}.
     */
    static <T> List<Constructor<? extends T>> nested(final String what, final String outer, final String src,
                                                     final String prefix, final int count, final Class<T> type,
                                                     final Class<?>... parameters) {
        final ClassLoader loader = cook(what, outer, src);
        final List<Constructor<? extends T>> out = new ArrayList<>(count);
        try {
            for (int k = 0; k < count; k++) {
                out.add(loader.loadClass("org.neurode.generated." + outer + "$" + prefix + k).asSubclass(type)
                        .getConstructor(parameters));
            }
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw failed(what, e);
        }
        return out;
    }

    /** The error of generated code that does not compile or load: an internal error naming what it was for. */
    static OdeException failed(final String what, final Exception e) {
        return new OdeException(e, ErrorCode.COMPILATION_FAILED, what, e.getMessage() + KEEP);
    }

    private static final String KEEP = " (run with -Dneurode.generated.dir=DIR to keep the generated source)";
    /** Longest statement text quoted in a message. */
    private static final int QUOTED = 60;

    /**
     * The error of generated source that Janino refused. Expressions below the depth guards of the model language
     * (such as {@link EventCompiler#MAX_STATEMENT_DEPTH}) can still exceed what Janino compiles: its parser and code
     * generator recurse per nesting level, so a thread with a small stack overflows earlier ("nested too deeply"),
     * and named subexpressions written out in full can make a method's bytecode exceed the JVM's 64 KB. Those two
     * are reported as such, naming the expression that most likely caused them (the most deeply parenthesized line
     * of the source, or the longest) by the comments the generators write: the event or projection of the
     * enclosing class and the statement above the line. Anything else is reported as it is.
     */
    static OdeException failed(final String what, final String src, final Exception e) {
        boolean deep = false;
        boolean large = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            final String m = c.getMessage() == null ? "" : c.getMessage();
            deep |= c instanceof StackOverflowError || m.contains("nested too deeply");
            large |= m.contains("grows beyond 64 KB") || m.contains("too large");
        }
        if (!deep && !large) {
            return failed(what, e);
        }
        final String[] lines = src.split("\n", -1);
        int worst = -1;
        int score = -1;
        for (int k = 0; k < lines.length; k++) {
            final String trimmed = lines[k].trim();
            if (trimmed.startsWith("//") || trimmed.startsWith("/*") || trimmed.startsWith("*")) {
                continue;
            }
            final int sc = deep ? parenthesisDepth(lines[k]) : lines[k].length();
            if (sc > score) {
                score = sc;
                worst = k;
            }
        }
        final String problem = deep ? "expression nested too deeply for the Java compiler (" + score
                + " levels of parentheses)" : "expression too large for the Java compiler (a generated method beyond"
                + " the JVM's 64 KB of bytecode)";
        return new OdeException(e, ErrorCode.COMPILATION_FAILED, what, problem + culprit(lines, worst)
                + "; simplify it or compute part of it in a parameter or a state variable" + KEEP);
    }

    private static String quoted(final String text) {
        return text.length() > QUOTED ? text.substring(0, QUOTED) + " ..." : text;
    }

    /** The deepest nesting of parentheses in a line. */
    private static int parenthesisDepth(final String line) {
        int depth = 0;
        int max = 0;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c == '(') {
                max = Math.max(max, ++depth);
            } else if (c == ')') {
                depth--;
            }
        }
        return max;
    }

    /**
     * What generated line {@code k} computes, from the generators' comments: the event or projection of the
     * enclosing class (a Javadoc comment {@code event NAME: ...}) and the statement commented just above the line
     * (no method header in between); empty if neither is found.
     */
    private static String culprit(final String[] lines, final int k) {
        String owner = "";
        for (int j = k; j >= 0; j--) {
            final String trimmed = lines[j].trim();
            if (trimmed.startsWith("/** event ") || trimmed.startsWith("/** projection ")) {
                final String head = trimmed.substring(4);
                final int space = head.indexOf(' ');
                final int colon = head.indexOf(':');
                if (colon > space) {
                    owner = " in " + head.substring(0, space) + " '" + head.substring(space + 1, colon) + "'";
                }
                break;
            }
        }
        String statement = "";
        for (int j = k - 1; j >= 0; j--) {
            final String trimmed = lines[j].trim();
            if (trimmed.startsWith("// ")) {
                final String text = trimmed.substring(3);
                final int colon = text.indexOf(": ");
                if (text.startsWith("the ") && colon > 0) {
                    // the generators' own labels: "the threshold: v > VT"
                    statement = text.substring(0, colon) + " '" + quoted(text.substring(colon + 2)) + "'";
                } else {
                    statement = (text.contains("/dt = ") ? "equation '" : "statement '") + quoted(text) + "'";
                }
                break;
            }
            if (trimmed.startsWith("public ") || trimmed.startsWith("/*") || trimmed.isEmpty()) {
                break;
            }
        }
        if (statement.isEmpty()) {
            return owner;
        }
        return (owner.isEmpty() ? " in " : owner + ", ") + statement;
    }
}
