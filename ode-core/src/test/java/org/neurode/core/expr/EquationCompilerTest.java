package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.codehaus.janino.SimpleCompiler;
import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.FusedStep;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;

/** Size limits of the expression compiler (issue 12): linear work, bounded depth, bounded methods. */
class EquationCompilerTest {

    /** l_k = l_(k-1) + l_(k-1): 2^n terms if the named subexpressions were inlined. */
    private static ModelBuilder letChain(final int n) {
        final ModelBuilder b = ModelBuilder.named("chain");
        final Var x = b.scalar("x", "1");
        b.let("l0", "x");
        for (int k = 1; k <= n; k++) {
            b.let("l" + k, "l" + (k - 1) + " + l" + (k - 1));
        }
        b.ode(x, "l" + n + " - x");
        return b;
    }

    @Test
    void issue12_letChainCompilesLinearly() {
        // GIVEN chains of 16 and 40 named subexpressions, each using the previous one twice
        for (final int n : new int[] {16, 40}) {
            // WHEN compiled
            final String src = letChain(n).generatedSource();
            // THEN the source grows linearly with the chain (measured 6,524 characters for 16 and 11,279 for 40,
            // about 200 per named subexpression; inlined, the split's linear part alone had 2^n terms)
            assertTrue(src.length() < 20_000, n + " lets: " + src.length() + " characters");
            // AND the equation, its linear split and both Euler steps compute (2^n - 1) x exactly
            final Model m = letChain(n).build();
            final double x = 1.5;
            final double expected = Math.scalb(x, n) - x;
            assertEquals(expected, derivative(m, x), 0.0);
            final LinearSplitEquation k = (LinearSplitEquation) m.equation();
            final double[] a = new double[1];
            final double[] b = new double[1];
            k.split(0.0, new double[] {x}, a, b);
            assertEquals(expected, a[0] * x + b[0], 0.0);
            assertEquals(Math.scalb(1.0, n) - 1, a[0], 0.0);
        }
    }

    private static double derivative(final Model m, final double x) {
        final double[] f = new double[1];
        m.equation().derivatives(0.0, new double[] {x}, f);
        return f[0];
    }

    @Test
    void issue12_sharedSubtreesWithoutNamesStayLinear() {
        // GIVEN e_k = e_(k-1) + e_(k-1) built with the Java API: one node shared twice per level, no names
        final ModelBuilder b = ModelBuilder.named("shared");
        final Var x = b.scalar("x", "1");
        Expr e = x;
        for (int k = 0; k < 40; k++) {
            e = e.plus(e);
        }
        b.ode(x, e.times(0.5));
        // WHEN compiled THEN the source stays small (measured 18,096 characters: the compiler names a shared
        // node once its tree has 256 nodes, five pieces for the equation and five for its linear split;
        // inlined it had 2^40 terms) and the value is 2^39 x
        final String src = b.generatedSource();
        assertTrue(src.length() < 40_000, src.length() + " characters");
        assertEquals(Math.scalb(3.0, 39), derivative(b.build(), 3.0), 0.0);
        // AND messages quote a bounded text of such an expression (at most 200 characters)
        assertTrue(e.text().length() <= Nodes.TEXT_LIMIT, e.text());
    }

    @Test
    void issue12_manyScalarStatesCompile() {
        // GIVEN 100,000 scalar states, each decaying and driven by the next: dx_i/dt = -k_i x_i + 0.5 x_(i+1)
        final int n = 100_000;
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("state x").append(i).append(" = ").append(i % 7).append('\n');
        }
        for (int i = 0; i < n; i++) {
            text.append("dx").append(i).append("/dt = -").append(rate(i)).append(" * x").append(i).append(" + 0.5 * x")
                .append((i + 1) % n).append('\n');
        }
        // WHEN read and compiled
        final Model m = ModelFile.parse(text.toString(), "many.ode", "many").model();
        // THEN the derivatives equal the formula at a random state (the same operations: exactly)
        final double[] y = randomState(m, 3);
        final double[] f = new double[y.length];
        m.equation().derivatives(0.0, y, f);
        final StateLayout l = m.layout();
        for (int i = 0; i < n; i++) {
            final double expected = -rate(i) * y[l.index("x" + i)] + 0.5 * y[l.index("x" + (i + 1) % n)];
            assertEquals(expected, f[l.index("x" + i)], 0.0, "x" + i);
        }
        // AND the split and both fused steps agree with the derivatives
        checkSplitAndSteps(m, y, f);
    }

    /** k_i: ten different decay rates. */
    private static double rate(final int i) {
        return 1.0 + (i % 10) / 8.0;
    }

    private static double[] randomState(final Model m, final long seed) {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final double[] y = m.initialState();
        for (final StateLayout.Block b : m.layout().blocks()) {
            for (int i = 0; i < b.size(); i++) {
                y[b.offset() + i] = rnd.nextDouble(-1, 1);
            }
        }
        return y;
    }

    /**
     * a y + b reproduces f to round-off (2 ulp of the terms: the split regroups the sum); the Euler step is
     * y + h f to round-off and the exponential Euler step e^(ah) y + phi1(ah) h b to round-off.
     */
    private static void checkSplitAndSteps(final Model m, final double[] y, final double[] f) {
        checkSplitAndSteps((LinearSplitEquation) m.equation(), Rules.euler(m), Rules.exponential(m), y, f);
    }

    private static void checkSplitAndSteps(final LinearSplitEquation k, final FusedStep eulerStep,
                                           final FusedStep expStep, final double[] y, final double[] f) {
        final int d = y.length;
        final double[] a = new double[d];
        final double[] b = new double[d];
        k.split(0.0, y, a, b);
        final double h = 0.01;
        final double[] euler = new double[d];
        eulerStep.step(0.0, h, y, euler);
        final double[] exp = new double[d];
        expStep.step(0.0, h, y, exp);
        for (int i = 0; i < d; i++) {
            final double scale = Math.abs(a[i] * y[i]) + Math.abs(b[i]) + Math.ulp(1.0);
            assertEquals(f[i], a[i] * y[i] + b[i], 4 * Math.ulp(scale), "split " + i);
            assertEquals(y[i] + h * f[i], euler[i], 4 * Math.ulp(Math.abs(y[i]) + h * scale), "Euler " + i);
            final double phi = a[i] == 0.0 ? h : Math.expm1(a[i] * h) / a[i];
            assertEquals(Math.exp(a[i] * h) * y[i] + phi * b[i], exp[i], 4 * Math.ulp(Math.abs(y[i]) + h * scale),
                    "exponential Euler " + i);
        }
    }

    @Test
    void issue12_sumOfManyTermsCompiles() {
        // GIVEN dy/dt = -y + c_0 s_0 + c_1 s_1 + ... with 100,000 terms over 100 scalar states
        final int n = 100_000;
        final StringBuilder text = new StringBuilder("state y = 0\n");
        for (int j = 0; j < 100; j++) {
            text.append("state s").append(j).append(" = 0\nds").append(j).append("/dt = -s").append(j).append('\n');
        }
        text.append("dy/dt = -y");
        for (int i = 0; i < n; i++) {
            text.append(" + ").append(coefficient(i)).append(" * s").append(i % 100);
        }
        // WHEN read and compiled
        final Model m = ModelFile.parse(text.append('\n').toString(), "sum.ode", "sum").model();
        // THEN dy/dt is the sum taken left to right, bit for bit (the compiler cuts the sum into pieces in the
        // same order)
        final double[] y = randomState(m, 5);
        final double[] f = new double[y.length];
        m.equation().derivatives(0.0, y, f);
        final StateLayout l = m.layout();
        double sum = -y[l.index("y")];
        for (int i = 0; i < n; i++) {
            sum += coefficient(i) * y[l.index("s" + i % 100)];
        }
        assertEquals(sum, f[l.index("y")], 0.0);
        checkSplitAndSteps(m, y, f);
    }

    /** Coefficients with 13 different values. */
    private static double coefficient(final int i) {
        return 0.25 + (i % 13) * 0.5;
    }

    @Test
    void issue12_deepExpressionsBuiltInJavaCompile() {
        // GIVEN expressions 20,000 levels deep (ten times what overflowed the stack before): a chain of
        // negations, a left-deep and a right-deep sum
        final ModelBuilder b = ModelBuilder.named("deep");
        final Var x = b.scalar("x", "1");
        final Var u = b.scalar("u", "1");
        final Var w = b.scalar("w", "1");
        Expr neg = x;
        Expr left = Expr.constant(0.0);
        Expr right = Expr.constant(0.0);
        for (int k = 0; k < 20_000; k++) {
            neg = neg.negate();
            left = left.plus(u.times(0.5));
            right = u.times(0.25).plus(right);
        }
        b.ode(x, neg);
        b.ode(u, left);
        b.ode(w, right);
        // WHEN compiled THEN the values are those of the expressions: (-1)^20000 x, and the sums taken in
        // their order (exact here: multiples of a power of two below 2^53)
        final Model m = b.build();
        final double[] y = {0.75, 0.5, 0.0};
        final double[] f = new double[3];
        m.equation().derivatives(0.0, y, f);
        assertEquals(0.75, f[0], 0.0);
        assertEquals(20_000 * 0.25, f[1], 0.0);
        assertEquals(20_000 * 0.125, f[2], 0.0);
        // AND messages about them stay short
        assertTrue(left.text().length() <= Nodes.TEXT_LIMIT && neg.text().length() <= Nodes.TEXT_LIMIT);
    }

    @Test
    void issue12_nestingDeeperThanTheLimitIsAClearError() {
        // GIVEN 2,000 parentheses, 3,000 minus signs, a tower of 1,000 powers and 300 nested function calls
        final ModelBuilder b = ModelBuilder.named("nest");
        final Var x = b.scalar("x", "1");
        final String parens = "(".repeat(2000) + "x" + ")".repeat(2000);
        final String minus = "-".repeat(3000) + "x";
        final String powers = "x^".repeat(1000) + "x";
        final String calls = "exp(".repeat(300) + "x" + ")".repeat(300);
        for (final String text : new String[] {parens, minus, powers, calls}) {
            // WHEN parsed as an equation THEN the error says how deep, where, and in which equation
            final OdeException e = assertThrows(OdeException.class, () -> b.ode(x, text));
            assertEquals(ErrorCode.EXPRESSION_SYNTAX, e.code());
            assertTrue(e.getMessage().contains("nests deeper than 256 levels")
                    && e.getMessage().contains("at column ") && e.getMessage().contains("equation of 'x' of model "
                    + "'nest'"), e.getMessage());
            // AND the message quotes the expression around the error only
            assertTrue(e.getMessage().length() < 500, e.getMessage());
        }
        // AND 200 levels are fine
        b.ode(x, "(".repeat(200) + "-x" + ")".repeat(200));
        assertEquals(-2.0, derivative(b.build(), 2.0), 0.0);
    }

    @Test
    void issue12_generatedMethodsStayBelowTheJvmLimits() throws Exception {
        // GIVEN 1,500 scalar states with equations of varied forms (nothing repeats to roll into a loop;
        // about 1,000 such states overflowed the 64 KB of a method before)
        final int n = 1500;
        final ModelBuilder b = ModelBuilder.named("varied");
        final Var[] x = new Var[n];
        for (int i = 0; i < n; i++) {
            x[i] = b.scalar("x" + i, "1");
        }
        b.param("k", 0.5);
        for (int i = 0; i < n; i++) {
            b.ode(x[i], varied(i, n));
        }
        // WHEN compiled: the equation class and the fused steps of both rules
        final SimpleCompiler sc = new SimpleCompiler();
        sc.cook(b.generatedSource());
        final SimpleCompiler eulerSc = new SimpleCompiler();
        eulerSc.cook(b.generatedSource(Rules.EULER));
        final SimpleCompiler expSc = new SimpleCompiler();
        expSc.cook(b.generatedSource(Rules.EXPONENTIAL));
        // THEN no method has more bytecode than HotSpot compiles (8,000 bytes), and no class more constants
        // than a class file holds (measured: 1.09 MB of source in 12 classes, largest method 3,411 bytes,
        // largest constant pool 915 entries)
        int largestMethod = 0;
        int largestPool = 0;
        for (final SimpleCompiler c : List.of(sc, eulerSc, expSc)) {
            for (final Map.Entry<String, byte[]> e : c.getBytecodes().entrySet()) {
                final int[] sizes = classSizes(e.getValue());
                largestPool = Math.max(largestPool, sizes[0]);
                largestMethod = Math.max(largestMethod, sizes[1]);
            }
            assertTrue(c.getBytecodes().size() > 2, "the code is split into nested classes");
        }
        assertTrue(largestMethod < 8000, "largest method: " + largestMethod + " bytes");
        assertTrue(largestPool < 65_535, "largest constant pool: " + largestPool);
        // AND the compiled classes compute the equations (the scalars lie side by side from offset 0)
        final double[] p = {0.5};
        final LinearSplitEquation k = (LinearSplitEquation) sc.getClassLoader()
                .loadClass("org.neurode.generated.Generated").getConstructor(double[].class, FusedSteps.class,
                        ModelJacobian.class).newInstance(p, new FusedSteps(b.spec()), new ModelJacobian(b.spec()));
        final FusedStep euler = (FusedStep) eulerSc.getClassLoader().loadClass("org.neurode.generated.GeneratedStep")
                .getConstructor(double[].class, double[].class).newInstance(p, k.inputs());
        final FusedStep exp = (FusedStep) expSc.getClassLoader().loadClass("org.neurode.generated.GeneratedStep")
                .getConstructor(double[].class, double[].class).newInstance(p, k.inputs());
        final SplittableRandom rnd = new SplittableRandom(11);
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextDouble(-1, 1);
        }
        final double[] f = new double[n];
        k.derivatives(0.0, y, f);
        for (int i = 0; i < n; i++) {
            assertEquals(variedValue(i, n, y), f[i], 1e-15 * (1 + Math.abs(f[i])), "x" + i);
        }
        checkSplitAndSteps(k, euler, exp, y, f);
    }

    /** One of four forms chosen by a hash of i (no period to roll), with varying indices and constants. */
    private static int form(final int i) {
        return (int) ((i * 0x9E3779B97F4A7C15L) >>> 62);
    }

    private static String varied(final int i, final int n) {
        final int a = (int) (i * 7919L % n);
        final int c = (int) ((i * 104_729L + 13) % n);
        return switch (form(i)) {
            case 0 -> "-k * x" + i + " + x" + a;
            case 1 -> "-x" + i + " * " + (1 + i % 17) + ".5 + sin(x" + a + ")";
            case 2 -> "x" + a + " * x" + c + " - x" + i;
            default -> "-(x" + i + " - x" + c + ") / " + (2 + i % 5);
        };
    }

    private static double variedValue(final int i, final int n, final double[] y) {
        final int a = (int) (i * 7919L % n);
        final int c = (int) ((i * 104_729L + 13) % n);
        return switch (form(i)) {
            case 0 -> -0.5 * y[i] + y[a];
            case 1 -> -y[i] * (1 + i % 17 + 0.5) + Math.sin(y[a]);
            case 2 -> y[a] * y[c] - y[i];
            default -> -(y[i] - y[c]) / (2 + i % 5);
        };
    }

    /**
     * Reads a class file: the number of its constant pool entries and the longest Code attribute.
     *
     * @return {pool entries, largest method code length}
     */
    private static int[] classSizes(final byte[] bytes) throws IOException {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        final int pool = in.readUnsignedShort();
        final String[] utf8 = new String[pool];
        for (int i = 1; i < pool; i++) {
            final int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("constant tag " + tag);
            }
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.skipBytes(2 * in.readUnsignedShort());
        int largest = 0;
        for (int part = 0; part < 2; part++) {        // fields, then methods
            final int count = in.readUnsignedShort();
            for (int m = 0; m < count; m++) {
                in.readUnsignedShort();
                in.readUnsignedShort();
                in.readUnsignedShort();
                final int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    final String name = utf8[in.readUnsignedShort()];
                    final int length = in.readInt();
                    if ("Code".equals(name)) {
                        in.readUnsignedShort();
                        in.readUnsignedShort();
                        final int code = in.readInt();
                        largest = Math.max(largest, code);
                        in.skipBytes(length - 8);
                    } else {
                        in.skipBytes(length);
                    }
                }
            }
        }
        return new int[] {pool, largest};
    }
}
