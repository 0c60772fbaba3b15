package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;

/** The generated source names each block and equation, so a reader of the dumped source finds their model. */
class GeneratedSourceTest {

    @Test
    void commentsNameTheLayoutTheEquationsAndTheLets() {
        final ModelBuilder b = ModelBuilder.named("demo");
        final Var v = b.vector("v", 4, "mV");
        final Var w = b.scalar("w", "1");
        b.param("tau", 10);
        b.let("drive", "softplus(v) * 2");
        b.ode(v, "(drive - v) / tau");
        b.ode(w, "-w + sum(v)");
        final String src = b.generatedSource();
        assertTrue(src.contains("// model 'demo': state layout\n  //   v (y[0..3], 4x1, mV)\n  //   w (y[4], 1x1)\n"),
                   src);
        assertTrue(src.contains("// dv/dt = ((drive - v) / tau)   for v (y[0..3], 4x1, mV)\n"), src);
        assertTrue(src.contains("// dw/dt = (-(w) + sum(v))   for w (y[4], 1x1)\n"), src);
        assertTrue(src.contains("// let drive = (softplus(v) * 2)\n"), src);
        assertTrue(src.contains("// dv/dt = a v + b   for v"), src);
    }

    @Test
    void aNameWithAUnicodeEscapeCannotEndAComment() {
        // Java reads backslash-u escapes in comments: an escaped line feed in a model name would end the comment
        // and the rest of the name would be compiled as code
        final ModelBuilder b = ModelBuilder.named("a\\u000a}} class X {");
        final Var x = b.scalar("x", "1");
        b.ode(x, "-x");
        final Model m = b.build();
        final double[] f = new double[1];
        m.equation().derivatives(0.0, new double[] {2.0}, f);
        assertEquals(-2.0, f[0], 0.0);
        assertFalse(b.generatedSource().contains("\\u000a"));
    }

    @Test
    void largeModelsDropTheCommentsSoTheirStatementsRollIntoLoops() {
        // 2,000 alike scalar equations: rolled into a loop only if their comments (which name each block) go
        final ModelBuilder b = ModelBuilder.named("many");
        for (int k = 0; k < 2000; k++) {
            final Var x = b.scalar("x" + k, "1");
            b.ode(x, "-" + (k + 1) + " * x" + k);
        }
        final String src = b.generatedSource();
        assertFalse(src.contains("// dx1/dt"), "comments stay in a rolled method");
        // measured 2,343 characters rolled; unrolled, each of the 2,000 equations takes a statement of 20 or more
        // characters in each of four methods (over 160,000), so 20,000 separates the two
        assertTrue(src.length() < 20_000, src.length() + " characters");
        final Model m = b.build();
        final double[] y = new double[m.dimension()];
        java.util.Arrays.fill(y, 1.0);
        final double[] f = new double[y.length];
        m.equation().derivatives(0.0, y, f);
        assertEquals(-2000.0, f[m.layout().block("x1999").offset()], 0.0);
    }
}
