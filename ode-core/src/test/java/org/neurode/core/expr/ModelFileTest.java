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

    private static void assertMessage(final String text, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, () -> ModelFile.parse(text, "m.ode", "m"));
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
