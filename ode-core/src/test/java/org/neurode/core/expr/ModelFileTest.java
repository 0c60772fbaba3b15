package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;

class ModelFileTest {

    private static final String VDPOL = String.join("\n",
            "# Van der Pol oscillator (Test Set VDPOLM)",
            "model vdpol",
            "parameter mu = 1000",
            "state y1 = 2",
            "state y2 = 0   # starts at rest",
            "dy1/dt = y2",
            "dy2/dt = mu * (1 - y1^2) * y2 - y1",
            "time 0 2000",
            "stiff",
            "reference y1 = 1.706167732170469",
            "reference y2 = -0.8928097010248125e-3",
            "");

    @Test
    void readsVanDerPolWithItsProblemSettings(@TempDir final Path dir) throws Exception {
        // GIVEN the Test Set's Van der Pol problem as a file
        final Path file = dir.resolve("vdpol.ode");
        Files.writeString(file, VDPOL);
        // WHEN read
        final ModelFile mf = ModelFile.read(file);
        final Model m = mf.model();
        // THEN the model, its span, reference and flags are those of the file
        assertEquals("vdpol", m.name());
        assertEquals(2, m.dimension());
        assertArrayEquals(new double[] {2.0, 0.0}, m.initialState());
        assertEquals(0.0, mf.t0());
        assertEquals(2000.0, mf.tEnd());
        assertTrue(mf.stiff());
        assertArrayEquals(new double[] {1.706167732170469}, mf.reference().get("y1"));
        // and the right-hand side is the equation: at y = (1.5, 0.25), f = (0.25, 1000 (1 - 2.25) 0.25 - 1.5)
        final double[] f = new double[2];
        m.equation().derivatives(0.0, new double[] {1.5, 0.25}, f);
        assertEquals(0.25, f[0], 0.0);
        assertEquals(1000 * (1 - 2.25) * 0.25 - 1.5, f[1], 1e-12);
    }

    @Test
    void vectorsMatricesInputsUnitsScalesLetsNoiseAndThresholds() {
        // GIVEN a small plastic population written as text
        final String text = String.join("\n",
                "parameter tau = 10",
                "input x[2] = 0.5, 1.0 unit Hz",
                "state v[3] = -70 unit mV scale 10",
                "state W[3, 2] = 0.1, 0.2, 0.3, 0.4, 0.5, 0.6",
                "let drive = W @ x",
                "dv/dt = (-70 - v + drive) / tau",
                "dW/dt = 0.01 * outer(v / 70 + 1, x)",
                "noise v = 0.5",
                "threshold v = -50 reset -70 refractory 2");
        // WHEN parsed
        final ModelFile mf = ModelFile.parse(text, "pop.ode", "pop");
        final Model m = mf.model();
        final StateLayout l = m.layout();
        // THEN shapes, units, scales, initial values, noise and the event are declared
        assertEquals("pop", m.name());
        assertEquals("mV", l.block("v").unit());
        assertEquals(-70.0, m.initialState()[l.index("v[2]")]);
        assertEquals(0.6, m.initialState()[l.index("W[2, 1]")]);
        assertEquals(1, m.noise().size());
        assertEquals(1, m.events().size());
        assertTrue(Double.isNaN(mf.tEnd()), "no time line");
        // and dv/dt uses the matrix-vector product: v0' = (-70 + 70 + 0.1*0.5 + 0.2*1.0) / 10
        final double[] f = new double[m.dimension()];
        m.equation().derivatives(0.0, m.initialState(), f);
        assertEquals(0.025, f[l.index("v[0]")], 1e-15);
    }

    @Test
    void parameterArraysAndInputsAreNotState() {
        // GIVEN a population with a per-neuron drive (a parameter vector), fixed weights (a parameter matrix) and an
        // input
        final String text = String.join("\n",
                "parameter tau = 10",
                "parameter drive[3] = 1, 2, 3",
                "parameter G[3, 2] = 0.5",
                "input x[2] = 1.0, -1.0",
                "state v[3] = 0",
                "dv/dt = (drive + G @ x - v) / tau");
        final Model m = ModelFile.parse(text, "pop.ode", "pop").model();
        // THEN only v is integrated; the constants are parameters and inputs
        assertEquals(java.util.List.of("v"), m.layout().names());
        assertEquals(3, m.dimension());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, m.parameters().array("G"));
        assertArrayEquals(new double[] {1.0, -1.0}, m.initialInputs());
        // AND the equation reads them: v' = (drive + 0.5 - 0.5 - 0) / 10
        final double[] f = new double[3];
        m.equation().derivatives(0.0, m.initialState(), f);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, f, 1e-16);
        // AND a run-time value replaces the default: drive 10, 20, 30
        m.withParameter("drive", new double[] {10, 20, 30}).equation().derivatives(0.0, m.initialState(), f);
        assertArrayEquals(new double[] {1.0, 2.0, 3.0}, f, 1e-15);
        // AND errors name the line and column
        assertMessage("parameter w[3] = 1, 2\nstate y = 1\ndy/dt = -y", "m.ode line 1, column 11: values of "
                + "parameter 'w' has dimension 2 but 3 was expected");
        assertMessage("parameter w[3] = 1\nstate y = 1\ndw/dt = -y", "'w' is not a declared state variable");
        assertMessage("parameter w[3] = 1\nstate y = 1\ndy/dt = -y\nnoise w = 1", "'w' is not a declared state "
                + "variable");
        assertMessage("parameter w[0] = 1\nstate y = 1\ndy/dt = -y", "size of 'w' must be positive");
    }

    @Test
    void errorsNameTheFileLineAndColumn() {
        // an unknown keyword, a bad number, an undeclared derivative, a syntax error inside an expression,
        // a wrong count of initial values, a missing equation
        assertMessage("state y = 1\nfoo y\ndy/dt = -y", "m.ode line 2, column 1: unknown declaration 'foo'");
        assertMessage("parameter k = 1.2.3\nstate y = 1\ndy/dt = -k*y", "m.ode line 1, column 15: '1.2.3' is not a number");
        assertMessage("state y = 1\ndz/dt = -y", "m.ode line 2, column 1: 'z' is not a declared state variable");
        assertMessage("state y = 1\ndy/dt = -y * (2 +", "m.ode line 2 (expression from column 9)");
        assertMessage("state v[3] = 1, 2\ndv/dt = -v", "m.ode line 1, column 14: 'v' has 3 elements but 2 initial values");
        assertMessage("state y = 1\nstate z = 1\ndy/dt = -y", "m.ode line 2, column 7: state variable 'z' has no "
                + "equation");
        assertMessage("state y = 1\ndy/dt = -y\ntime 5 1", "line 3, column 8: the end time 1 must be after the start time 5");
    }

    @Test
    void issue12_valuesAreSeparatedByCommas() {
        // a space instead of a comma, a word, a non-finite value, a missing value: each named with its column
        assertMessage("state v[2] = 400 550\ndv/dt = -v",
                "m.ode line 1, column 14: '400 550' is not a number (separate values with commas)");
        // a name makes a value an expression (issue 13); an unknown one is an error where it is declared
        assertMessage("parameter k = fast\nstate y = 1\ndy/dt = -k*y", "line 1, column 11: in the value of "
                + "parameter 'k': 'fast' is not a number or a parameter declared before");
        assertMessage("state y = NaN\ndy/dt = -y", "line 1, column 11: 'NaN' is not a finite number");
        assertMessage("state v[3] = 1, , 3\ndv/dt = -v", "line 1, column 17: a number is missing");
        assertMessage("state y = 1e999\ndy/dt = -y", "line 1, column 11: '1e999' is out of range");
        assertMessage("state y = 0x10\ndy/dt = -y", "line 1 (expression from column 11): in expression '0x10' at column 2: "
                + "unexpected 'x'");
        // the column of a value is found after the '=' (not in the name x1)
        assertMessage("state x1 = 1 2\ndx1/dt = -x1", "line 1, column 12: '1 2' is not a number");
    }

    @Test
    void issue12_timeSpanMustBeFiniteAndIncreasing() {
        final String model = "state y = 1\ndy/dt = -y\n";
        assertMessage(model + "time 0 inf", "m.ode line 3, column 8: 'inf' is not a finite number");
        assertMessage(model + "time 0 Infinity", "m.ode line 3, column 8: 'Infinity' is not a finite number");
        assertMessage(model + "time NaN 1", "m.ode line 3, column 6: 'NaN' is not a finite number");
        assertMessage(model + "time 1 1", "m.ode line 3, column 8: the end time 1 must be after the start time 1");
        assertMessage(model + "time 10 1", "m.ode line 3, column 9: the end time 1 must be after the start time 10");
        assertMessage(model + "time 0", "m.ode line 3, column 1: expected 'time T0 T1'");
    }

    @Test
    void issue12_sizesAreCheckedBeforeAllocating() {
        // a size beyond int, a size beyond memory, a product beyond int and one that wrapped to 0 elements
        assertMessage("state u[4294967296] = 0\ndu/dt = -u", "m.ode line 1, column 9: size 4294967296 of 'u' is too "
                + "large");
        assertMessage("state u[1000000000] = 0\ndu/dt = -u", "m.ode line 1, column 7: 'u' (1000000000 elements) "
                + "would need about 64000 MB");
        assertMessage("state u[46341, 46341] = 0\ndu/dt = -u", "m.ode line 1, column 7: 'u' has 46341x46341 elements: "
                + "a model holds at most 2147483639 elements in all");
        assertMessage("state u[65536, 65536] = 0\ndu/dt = -u", "m.ode line 1, column 7: 'u' has 65536x65536 elements");
        assertMessage("input u[0] = 0", "m.ode line 1, column 7: size of 'u' must be positive but is 0");
        // and an expression whose scratch space would not fit either
        assertMessage("state u[40000] = 0\nlet big = outer(u, u) @ u\ndu/dt = -u + big",
                "m.ode line 2, column 11: 'big'");
    }

    @Test
    void issue12_builderErrorsCarryTheLineAndColumn() {
        // a shape mismatch, a duplicate name, a threshold and noise the builder rejects, a reference of the
        // wrong length, a duplicate equation
        assertMessage("state v[3] = 0\nstate w[2] = 0\ndv/dt = w\ndw/dt = -w",
                "m.ode line 3, column 9: equation of 'v': shapes 3x1 and 2x1 do not match");
        assertMessage("state y = 1\nlet y = 2\ndy/dt = -y", "m.ode line 2, column 9: name 'y' is already defined");
        assertMessage("state y = 1\ndy/dt = -y\nthreshold y = 1 reset 0 refractory -2",
                "m.ode line 3, column 11: refractory period of 'y' must not be negative but is -2");
        // a reset at the threshold (found by the fuzz campaign: the check without compilation let it through)
        assertMessage("state y = 1\ndy/dt = -y\nthreshold y = 1 reset 1",
                "m.ode line 3, column 11: the reset 1.0 of 'y' is not below its threshold 1.0");
        assertMessage("state y = 1\ndy/dt = -y\nnoise y = -1", "m.ode line 3, column 11: noise sigma of 'y' must not be "
                + "negative");
        assertMessage("state y = 1\ndy/dt = -y\nthreshold z = 1 reset 0", "m.ode line 3, column 11: 'z' is not a "
                + "declared state variable; known: y");
        assertMessage("state v[2] = 1\ndv/dt = -v\nreference v = 1", "m.ode line 3, column 15: reference of 'v' has 1 "
                + "values but the variable has 2");
        assertMessage("state y = 1\ndy/dt = -y\ndy/dt = y", "m.ode line 3, column 9: name 'equation of y' is already "
                + "defined");
        // the word model only declares the name: 'modelx' is not skipped
        assertMessage("modelx a\nstate y = 1\ndy/dt = -y", "m.ode line 1, column 1: unknown declaration 'modelx'");
    }

    @Test
    void issue12_nestingTooDeepNamesTheLine() {
        final OdeException e = assertThrows(OdeException.class, () -> ModelFile.parse("state y = 1\ndy/dt = "
                + "(".repeat(2000) + "y" + ")".repeat(2000), "m.ode", "m"));
        assertTrue(e.getMessage().startsWith("m.ode line 2 (expression from column 9): in expression '")
                && e.getMessage().contains("at column 257: expression nests deeper than 256 levels"), e.getMessage());
    }

    /** Both the full parse and the check without compilation refuse {@code text} with {@code fragment}. */
    private static void assertMessage(final String text, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, () -> ModelFile.parse(text, "m.ode", "m"));
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        final OdeException c = assertThrows(OdeException.class, () -> ModelFile.check(text, "m.ode"));
        assertTrue(c.getMessage().contains(fragment), "check: '" + fragment + "' not in: " + c.getMessage());
    }
}
