package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.EventSpec;

/**
 * Issue 14: expressions below the depth guard of events ({@link EventCompiler#MAX_STATEMENT_DEPTH}) that Janino
 * still refuses are reported as too deep or too large, naming the event and the statement, not as a raw compiler
 * error.
 */
class CompilerLimitsTest {

    /**
     * Stacks tried, smallest first, until Janino overflows inside the compile (the depth at which it does depends on
     * whether the JIT has compiled it: interpreted it needed 512 KB here, compiled far less, and other tests of the
     * module decide which it is; a single fixed stack made the test depend on them). Below the right size the
     * overflow happens before the compile, above it the compile succeeds.
     */
    private static final long STACK_STEP = 16L << 10;
    private static final long LARGEST_STACK = 1L << 20;

    /** Builds a model whose event resets {@code s} to {@code value}, on a thread with the given stack. */
    private static Throwable build(final String value, final long stack)
            throws InterruptedException {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread thread = new Thread(null, () -> {
            try {
                final ModelBuilder b = ModelBuilder.named("deep");
                final Var s = b.vector("s", 2, "");
                b.ode(s, "1 + 0 * s");
                b.event(EventSpec.of("spike", "s > 0.5", "s = " + value));
                b.build();
            } catch (RuntimeException | StackOverflowError e) {
                thrown.set(e);
            }
        }, "compile", stack);
        thread.start();
        thread.join();
        return thrown.get();
    }

    @Test
    void anExpressionTooDeepForJaninosStackNamesTheEventAndTheStatement() throws InterruptedException {
        // GIVEN a reset whose value is a sum of 199 terms: a chain 199 operations deep, under the guard of 200
        final String sum = String.join(" + ", Collections.nCopies(199, "s"));
        // WHEN it is compiled on a thread whose stack is too small for Janino's recursion at that depth (the smallest
        // stack on which the overflow is not outside the compile)
        Throwable e = null;
        for (long stack = 2 * STACK_STEP; stack <= LARGEST_STACK; stack += STACK_STEP) {
            e = build(sum, stack);
            if (!(e instanceof StackOverflowError)) {
                break;
            }
        }
        // THEN the error says so and names the event and the statement (before: Janino's own "Compilation unit is
        // nested too deeply", naming neither)
        final OdeException ode = assertInstanceOf(OdeException.class, e);
        assertEquals(ErrorCode.COMPILATION_FAILED, ode.code());
        assertTrue(ode.getMessage().startsWith("internal error compiling model 'deep': expression nested too deeply")
                && ode.getMessage().contains("in event 'spike', statement 's = s + s + s")
                && ode.getMessage().contains("levels of parentheses"), ode.getMessage());
    }

    @Test
    void anExpressionTooLargeForOneMethodNamesTheEventAndTheStatement() {
        // GIVEN generated source whose reset is one huge line, and the error Janino gives for a method beyond 64 KB
        // (its chain as seen for named subexpressions that each square the previous one, 14 of them written out in
        // full: 2^14 factors at a depth of about 45; Janino took 26 s to fail on that, so the error is built here)
        final String src = String.join("\n",
                "public final class Events1_wide {",
                "  /** event spike: threshold s > 0.5, reset s = a13, refractory 0 */",
                "  public static final class E0 extends org.neurode.core.expr.EventKernel {",
                "    public double g(final int m, final double t, final double[] y) {",
                "      // the threshold: s > 0.5",
                "      return (y[0 + m] - (0.5));",
                "    }",
                "    public void reset(final int m, final double t, final double[] y) {",
                "      // s = a13",
                "      y[0 + m] = " + "(".repeat(41) + "y[0 + m]" + " * y[0 + m] + (1.0))".repeat(41) + ";",
                "    }",
                "  }",
                "}");
        final Exception janino = new org.codehaus.commons.compiler.InternalCompilerException(
                "Compiling \"Events1_wide\" in Line 3, Column 14", new org.codehaus.commons.compiler
                .InternalCompilerException("Line 10, Column 17", new org.codehaus.commons.compiler
                .InternalCompilerException("Code grows beyond 64 KB")));
        // WHEN it is reported
        final OdeException ode = JavaText.failed("wide", src, janino);
        // THEN the error says the expression is too large and names the event and the statement (before: Janino's
        // InternalCompilerException escaped as an unexpected error)
        assertEquals(ErrorCode.COMPILATION_FAILED, ode.code());
        assertEquals("internal error compiling model 'wide': expression too large for the Java compiler (a generated"
                + " method beyond the JVM's 64 KB of bytecode) in event 'spike', statement 's = a13'; simplify it or"
                + " compute part of it in a parameter or a state variable (run with -Dneurode.generated.dir=DIR to"
                + " keep the generated source)", ode.getMessage());
        assertTrue(JavaText.failed("wide", src, new org.codehaus.commons.compiler.CompileException("Compilation "
                + "unit is nested too deeply", null)).getMessage().contains("nested too deeply for the Java compiler "
                + "(42 levels of parentheses) in event 'spike', statement 's = a13'"));
    }

    @Test
    void otherCompilerErrorsAreReportedAsTheyAre() {
        final OdeException ode = JavaText.failed("m", "class X {}", new org.codehaus.commons.compiler
                .CompileException("Unknown variable or type \"q\"", null));
        assertEquals("internal error compiling model 'm': Unknown variable or type \"q\" (run with "
                + "-Dneurode.generated.dir=DIR to keep the generated source)", ode.getMessage());
    }
}
