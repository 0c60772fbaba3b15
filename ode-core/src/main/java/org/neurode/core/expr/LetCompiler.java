package org.neurode.core.expr;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.neurode.core.ErrorCode;
import org.neurode.core.LetValues;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.StateLayout;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;

/**
 * Compiles the named subexpressions of a model to one class ({@link LetKernel}) that gives any element of any of them
 * from a state: a second small generated class next to the model's equations, whose code it leaves alone. Each element
 * is a loop-free Java expression over the state, the packed parameters and the inputs, except for a matrix-vector
 * product (a loop per element, in a method of its own) and a sum over a block (a loop per sample, run by {@code
 * prepare} into a field, inner sums first). Compiled classes are kept per model structure (layouts, parameter shapes,
 * subexpressions), so runs of one model with other parameter values or initial states compile once.
 */
final class LetCompiler {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Compiled kernels by model structure (few per process: the models a program records lets of). */
    private static final Map<String, Compiled> CACHE = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Compiled> eldest) {
            return size() > 32;
        }
    });

    private LetCompiler() {
    }

    /** A compiled kernel with what binding it needs. */
    private record Compiled(Constructor<? extends LetKernel> constructor, String[] names, int[] rows, int[] cols,
                            Map<String, Integer> arrayOffsets, int length) {
    }

    /**
     * @param model  the model
     * @param inputs the run's input buffer
     * @return its named subexpressions bound to its parameters and the inputs, or null if it has none
     */
    static LetValues bind(final Model model, final double[] inputs) {
        if (model.spec().isEmpty() || model.spec().get().lets().isEmpty()) {
            return null;
        }
        final ModelSpec spec = model.spec().get();
        final String key = key(spec, model);
        Compiled c = CACHE.get(key);
        if (c == null) {
            c = compile(spec, model.layout(), model.inputLayout());
            CACHE.put(key, c);
        }
        final double[] packed = new double[c.length()];
        final Parameters params = model.parameters();
        final List<ParameterSpec> declared = spec.parameters();
        for (int k = 0; k < declared.size(); k++) {
            final ParameterSpec d = declared.get(k);
            if (c.arrayOffsets().containsKey(d.name())) {
                params.copyArray(d.name(), packed, c.arrayOffsets().get(d.name()));
            } else {
                packed[k] = params.get(d.name());
            }
        }
        try {
            return c.constructor().newInstance(c.names(), c.rows(), c.cols(), packed, inputs);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new OdeException(e, ErrorCode.COMPILATION_FAILED, model.name(), e.toString());
        }
    }

    /** What the generated code depends on: layouts, parameter names and shapes, the subexpressions. */
    private static String key(final ModelSpec spec, final Model model) {
        final StringBuilder sb = new StringBuilder();
        sb.append(model.layout()).append('|').append(model.inputLayout()).append('|');
        for (final ParameterSpec p : spec.parameters()) {
            sb.append(p.name()).append(':').append(p.rows()).append('x').append(p.cols()).append(',');
        }
        for (final LetSpec l : spec.lets()) {
            sb.append('|').append(l.name()).append('=').append(l.body().text());
        }
        return sb.toString();
    }

    private static Compiled compile(final ModelSpec spec, final StateLayout layout, final StateLayout inputLayout) {
        final Map<String, Expr> symbols = EventCompiler.symbols(spec);
        final List<ParameterSpec> declared = spec.parameters();
        final Map<String, Integer> arrays = new LinkedHashMap<>();
        int length = declared.size();
        for (final ParameterSpec d : declared) {
            if (d.rows() != 1 || d.cols() != 1) {
                arrays.put(d.name(), length);
                length += d.rows() * d.cols();
            }
        }
        final List<Nodes.Let> lets = new ArrayList<>();
        for (final LetSpec l : spec.lets()) {
            lets.add((Nodes.Let) symbols.get(l.name()));
        }
        final String name = "Lets" + COUNTER.incrementAndGet() + "_" + spec.name().replaceAll("[^A-Za-z0-9_]", "_");
        final String src = new Emitter(layout, inputLayout, arrays).source(name, lets);
        final Constructor<? extends LetKernel> constructor;
        try {
            constructor = JavaText.cook(spec.name(), name, src).loadClass("org.neurode.generated." + name)
                    .asSubclass(LetKernel.class)
                    .getConstructor(String[].class, int[].class, int[].class, double[].class, double[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw JavaText.failed(spec.name(), e);
        }
        final String[] names = new String[lets.size()];
        final int[] rows = new int[lets.size()];
        final int[] cols = new int[lets.size()];
        for (int k = 0; k < lets.size(); k++) {
            names[k] = lets.get(k).name;
            rows[k] = lets.get(k).rows();
            cols[k] = lets.get(k).cols();
        }
        return new Compiled(constructor, names, rows, cols, arrays, length);
    }

    /** Java source of the kernel. */
    private static final class Emitter {
        private final StateLayout layout;
        private final StateLayout inputLayout;
        private final Map<String, Integer> arrays;
        /** Sums over blocks, numbered in the order they are computed (inner ones first). */
        private final Map<Expr, Integer> sums = new IdentityHashMap<>();
        /** Matrix-vector products, one method each. */
        private final Map<Expr, Integer> products = new IdentityHashMap<>();
        private final StringBuilder helpers = new StringBuilder();

        Emitter(final StateLayout layout, final StateLayout inputLayout, final Map<String, Integer> arrays) {
            this.layout = layout;
            this.inputLayout = inputLayout;
            this.arrays = arrays;
        }

        String source(final String name, final List<Nodes.Let> lets) {
            final StringBuilder cases = new StringBuilder();
            for (int k = 0; k < lets.size(); k++) {
                final Nodes.Let l = lets.get(k);
                cases.append("      case ").append(k).append(": // ").append(comment(l.name)).append('\n')
                     .append("        return ").append(element(l.body, "r", "c")).append(";\n");
            }
            final StringBuilder src = new StringBuilder();
            src.append("package org.neurode.generated;\n\n");
            src.append("/** Named subexpressions, for recording them. */\n");
            src.append("public final class ").append(name).append(" extends org.neurode.core.expr.LetKernel {\n");
            for (int k = 0; k < sums.size(); k++) {
                src.append("  private double s").append(k).append(";\n");
            }
            src.append("  public ").append(name).append("(final String[] n, final int[] rows, final int[] cols, ")
               .append("final double[] p, final double[] u) {\n    super(n, rows, cols, p, u);\n  }\n");
            src.append("  public void prepare(final double t, final double[] y) {\n");
            for (int k = 0; k < sums.size(); k++) {
                src.append("    s").append(k).append(" = sum").append(k).append("(t, y);\n");
            }
            src.append("  }\n");
            src.append("  public double value(final int id, final int r, final int c, final double t, ")
               .append("final double[] y) {\n    switch (id) {\n").append(cases)
               .append("      default:\n        throw new IllegalArgumentException(\"no subexpression \" + id);\n")
               .append("    }\n  }\n");
            src.append(helpers);
            src.append("}\n");
            return src.toString();
        }

        /** Java source of element (row, col) of {@code e}; a dimension of size 1 broadcasts. */
        private String element(final Expr e, final String rowIn, final String colIn) {
            final String row = e.rows() == 1 ? "0" : rowIn;
            final String col = e.cols() == 1 ? "0" : colIn;
            if (e instanceof Var v) {
                final int off;
                final String array;
                switch (v.role()) {
                    case INPUT:
                        off = inputLayout.block(v.name()).offset();
                        array = "u";
                        break;
                    case PARAMETER:
                        off = arrays.get(v.name());
                        array = "p";
                        break;
                    default:
                        off = layout.block(v.name()).offset();
                        array = "y";
                        break;
                }
                return array + "[" + index(off, v.cols(), row, col) + "]";
            }
            if (e instanceof Nodes.Const c) {
                return "(" + Double.toString(c.value) + ")";
            }
            if (e instanceof Nodes.Time) {
                return "t";
            }
            if (e instanceof Nodes.Param p) {
                return "p[" + p.index + "]";
            }
            if (e instanceof Nodes.Let l) {
                return element(l.body, row, col);
            }
            if (e instanceof Nodes.Unary u) {
                return JavaText.unary(u.fn, element(u.arg, row, col), u);
            }
            if (e instanceof Nodes.Binary b) {
                return JavaText.binary(b.op, element(b.a, row, col), element(b.b, row, col), b);
            }
            if (e instanceof Nodes.Where w) {
                return "(" + element(w.condition, row, col) + " != 0.0 ? " + element(w.a, row, col) + " : "
                        + element(w.b, row, col) + ")";
            }
            if (e instanceof Nodes.Index ix) {
                return "((double) " + (ix.axis == 0 ? row : col) + ")";
            }
            if (e instanceof Nodes.Part p) {
                return element(p.arg, shift(row, p.r0), shift(col, p.c0));
            }
            if (e instanceof Nodes.Transpose tr) {
                return element(tr.arg, col, row);
            }
            if (e instanceof Nodes.Outer o) {
                return "(" + element(o.a, row, "0") + " * " + element(o.b, col, "0") + ")";
            }
            if (e instanceof Nodes.Sum s) {
                return "s" + sum(s);
            }
            if (e instanceof Nodes.MatVec mv) {
                return "mv" + product(mv) + "(" + row + ", t, y)";
            }
            throw Nodes.unsupported(e);
        }

        /** The number of a sum's field; its method is written (after those of the sums inside it) the first time. */
        private int sum(final Nodes.Sum s) {
            final Integer known = sums.get(s);
            if (known != null) {
                return known;
            }
            final String body = element(s.arg, "r", "c");       // numbers the sums inside first
            final int k = sums.size();
            sums.put(s, k);
            helpers.append("  /** ").append(comment(s.text())).append(" */\n")
                   .append("  private double sum").append(k).append("(final double t, final double[] y) {\n")
                   .append("    double acc = 0.0;\n")
                   .append("    for (int r = 0; r < ").append(s.arg.rows()).append("; r++) {\n")
                   .append("      for (int c = 0; c < ").append(s.arg.cols()).append("; c++) {\n")
                   .append("        acc += ").append(body).append(";\n")
                   .append("      }\n    }\n    return acc;\n  }\n");
            return k;
        }

        /** The number of a product's method (element r of matrix times vector), written the first time. */
        private int product(final Nodes.MatVec mv) {
            final Integer known = products.get(mv);
            if (known != null) {
                return known;
            }
            final int k = products.size();
            products.put(mv, k);
            final String a = element(mv.matrix, "r", "k");
            final String x = element(mv.vector, "k", "0");
            helpers.append("  /** ").append(comment(mv.text())).append(" */\n")
                   .append("  private double mv").append(k).append("(final int r, final double t, final double[] y) {\n")
                   .append("    double acc = 0.0;\n")
                   .append("    for (int k = 0; k < ").append(mv.matrix.cols()).append("; k++) {\n")
                   .append("      acc += ").append(a).append(" * ").append(x).append(";\n")
                   .append("    }\n    return acc;\n  }\n");
            return k;
        }

        private static String index(final int off, final int cols, final String row, final String col) {
            final StringBuilder sb = new StringBuilder().append(off);
            if (!"0".equals(row)) {
                sb.append(" + ").append(cols == 1 ? row : "(" + row + ") * " + cols);
            }
            if (!"0".equals(col)) {
                sb.append(" + ").append(col);
            }
            return sb.toString();
        }

        private static String shift(final String index, final int by) {
            if (by == 0) {
                return index;
            }
            return "0".equals(index) ? Integer.toString(by) : "(" + index + " + " + by + ")";
        }

        private static String comment(final String text) {
            return text.replace("*/", "* /").replace('\n', ' ').replace('\r', ' ').replace("\\u", "\\ u");
        }
    }
}
