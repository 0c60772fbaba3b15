package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The code-size pass on its own (issue 13): method bodies in, methods of bounded size out. */
class MethodWriterTest {

    @Test
    void issue13_shortBodyIsKeptAsItIs() {
        // GIVEN a body far below the method limit, with a comment
        final MethodWriter w = new MethodWriter();
        // WHEN written
        final String m = w.method("  void f(double[] y)", "    int n = 0;\n", "double[] y", "y",
                List.of("    // v\n", "    y[0] = 1.0;\n"));
        // THEN it is the signature, the header and the statements, comments included; no tables, no classes
        assertEquals("  void f(double[] y) {\n    int n = 0;\n    // v\n    y[0] = 1.0;\n  }\n", m);
        assertFalse(w.hasTables());
        assertEquals("", w.nestedClasses());
    }

    @Test
    void issue13_repeatedStatementsAreRolledIntoOneLoopOverATable() {
        // GIVEN 1,000 statements that differ only in their numbers: indices that grow by one, factors that do not
        final MethodWriter w = new MethodWriter();
        final List<String> body = new ArrayList<>();
        final double[] factors = new double[1000];
        for (int k = 0; k < 1000; k++) {
            factors[k] = 0.5 + (k * 37 % 101) / 8.0;
            body.add("    // equation " + k + "\n    y[" + k + "] = " + factors[k] + " * y[" + (k + 1000) + "];\n");
        }
        // WHEN written
        final String m = w.method("  void f(double[] y)", "", "double[] y", "y", body);
        // THEN one loop: the indices computed from the loop counter, the factors read from the number table in
        // statement order, the comments gone, nothing split into nested classes
        assertTrue(m.contains("for (int __j = 0; __j < 1000; __j++)"), m);
        assertTrue(m.contains("y[(0 + 1 * __j)] = D[__d + 0] * y[(1000 + 1 * __j)];"), m);
        assertFalse(m.contains("//"), m);
        assertTrue(m.length() < MethodWriter.METHOD_CHARS, m);
        assertTrue(w.hasTables());
        assertArrayEquals(factors, w.doubles(), 0.0);
        assertEquals(0, w.ints().length);
        assertEquals("", w.nestedClasses());
    }

    @Test
    void issue13_longBodyIsSplitIntoMethodsOfNestedClassesInOrder() {
        // GIVEN 1,000 statements that do not repeat (each reads a differently named value), 20,000 characters
        final MethodWriter w = new MethodWriter();
        final List<String> body = new ArrayList<>();
        for (int k = 0; k < 1000; k++) {
            body.add("    y[" + k + "] = v" + k + ";\n");
        }
        // WHEN written
        final String m = w.method("  void f(double[] y)", "", "double[] y", "y", body);
        final String nested = w.nestedClasses();
        // THEN the method calls chunk methods with its locals, each chunk at most CHUNK_CHARS of statements, and
        // the statements appear once each, in their order, in the nested classes
        assertTrue(m.contains("    C0.m0(y);\n"), m);
        assertTrue(m.length() < MethodWriter.METHOD_CHARS, m);
        assertTrue(nested.startsWith("  static final class C0 {\n  static void m0(double[] y) {\n"), nested);
        int at = 0;
        for (final String s : body) {
            final int next = nested.indexOf(s, at);
            assertTrue(next >= at, s);
            at = next + s.length();
        }
        for (final String chunk : nested.split("static void m")) {
            assertTrue(chunk.length() < MethodWriter.CHUNK_CHARS + 100, chunk.length() + " characters");
        }
        assertFalse(w.hasTables());
    }
}
