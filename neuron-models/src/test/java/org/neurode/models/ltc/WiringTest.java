package org.neurode.models.ltc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;
import org.neurode.models.learn.ModelJson;
import org.neurode.models.ltc.Wiring.NeuronType;

/** Wiring rules of ncps (layer structure, fan-outs, polarities), JSON exchange and argument checks. */
class WiringTest {

    @TempDir
    Path temp;

    @Test
    void autoNcpSizesFollowTheNcpsFormulas() {
        // GIVEN AutoNCP(16, 1) and AutoNCP(8, 1) with 2 inputs
        final Wiring w16 = AutoNcp.of(16, 1, 2);
        final Wiring w8 = AutoNcp.of(8, 1, 2);
        // THEN command = int(0.4 (units - out)), inter = the rest: 9/6/1 and 5/2/1
        assertEquals(1, w16.count(NeuronType.MOTOR));
        assertEquals(6, w16.count(NeuronType.COMMAND));
        assertEquals(9, w16.count(NeuronType.INTER));
        assertEquals(1, w8.count(NeuronType.MOTOR));
        assertEquals(2, w8.count(NeuronType.COMMAND));
        assertEquals(5, w8.count(NeuronType.INTER));
        // AND neurons are ordered [motor | command | inter]
        assertEquals(NeuronType.MOTOR, w16.type(0));
        assertEquals(NeuronType.COMMAND, w16.type(1));
        assertEquals(NeuronType.COMMAND, w16.type(6));
        assertEquals(NeuronType.INTER, w16.type(7));
    }

    @Test
    void ncpLayersAreConnectedAsNcpsBuildsThem() {
        // GIVEN an NCP: 12 inter, 8 command, 2 motor, fan-out 4 / 4, 4 recurrent, motor fan-in 6, 5 inputs
        final Wiring w = Ncp.of(12, 8, 2, 4, 4, 4, 6, 5, 3);
        // THEN each input reaches at least 4 inter neurons and nothing else, and every inter neuron has an input
        for (int s = 0; s < 5; s++) {
            int out = 0;
            for (int j = 0; j < w.units(); j++) {
                if (w.sensoryPolarity(s, j) != 0) {
                    assertEquals(NeuronType.INTER, w.type(j), "input " + s + " -> " + j);
                    out++;
                }
            }
            assertTrue(out >= 4, "input " + s + " has " + out + " synapses");
        }
        for (int j = 0; j < w.units(); j++) {
            if (w.type(j) == NeuronType.INTER) {
                assertTrue(sensoryFanIn(w, j) >= 1, "inter " + j + " has no input");
                assertEquals(0, fanIn(w, j), "inter " + j + " receives neuron synapses");
                // AND every inter neuron projects to exactly inter_fanout = 4 command neurons
                assertEquals(4, fanOut(w, j, NeuronType.COMMAND), "inter " + j);
                assertEquals(4, fanOut(w, j, null), "inter " + j);
            }
        }
        // AND each motor neuron receives at least motor_fanin = 6 command synapses, and every command neuron
        // reaches a motor neuron and is reached by an inter neuron
        for (int j = 0; j < 2; j++) {
            assertTrue(fanIn(w, j) >= 6, "motor " + j + " fan-in " + fanIn(w, j));
            assertEquals(0, fanOut(w, j, null), "motor " + j + " has outgoing synapses");
        }
        int recurrent = 0;
        for (int c = 2; c < 10; c++) {
            assertTrue(fanOut(w, c, NeuronType.MOTOR) >= 1, "command " + c + " reaches no motor neuron");
            assertTrue(fanOut(w, c, NeuronType.INTER) == 0, "command " + c + " projects back to inter neurons");
            recurrent += fanOut(w, c, NeuronType.COMMAND);
        }
        // AND there are at most recurrent_command_synapses = 4 command-to-command synapses (repeats overwrite)
        assertTrue(recurrent >= 1 && recurrent <= 4, "recurrent " + recurrent);
    }

    private static int fanIn(final Wiring w, final int j) {
        int c = 0;
        for (int i = 0; i < w.units(); i++) {
            c += Math.abs(w.polarity(i, j));
        }
        return c;
    }

    private static int sensoryFanIn(final Wiring w, final int j) {
        int c = 0;
        for (int s = 0; s < w.inputs(); s++) {
            c += Math.abs(w.sensoryPolarity(s, j));
        }
        return c;
    }

    private static int fanOut(final Wiring w, final int i, final NeuronType to) {
        int c = 0;
        for (int j = 0; j < w.units(); j++) {
            if (to == null || w.type(j) == to) {
                c += Math.abs(w.polarity(i, j));
            }
        }
        return c;
    }

    @Test
    void fullyConnectedHasEverySynapseTwoThirdsExcitatory() {
        // GIVEN a fully connected wiring of 60 neurons and 5 inputs (3,900 synapses)
        final Wiring w = FullyConnected.of(60, 3, 5);
        // THEN every synapse exists
        assertEquals(3600, w.synapseCount());
        assertEquals(300, w.sensorySynapseCount());
        // AND the excitatory fraction is 2/3 within 4 standard deviations, 4 sqrt(2/9 / 3900) = 0.030
        final double p = excitatoryFraction(w);
        assertEquals(2.0 / 3.0, p, 0.030, "excitatory fraction");
        // AND without self-connections the diagonal is empty
        final Wiring noSelf = FullyConnected.of(10, 1, 1, 1, false);
        assertEquals(90, noSelf.synapseCount());
        assertEquals(0, noSelf.polarity(4, 4));
    }

    @Test
    void ncpPolaritiesAreEquiprobable() {
        // GIVEN a large AutoNCP (200 neurons, 10 outputs, 40 inputs; sparsity 0.5)
        final Wiring w = AutoNcp.of(200, 10, 40, 0.5, 5);
        final int n = w.synapseCount() + w.sensorySynapseCount();
        // THEN half of its synapses are excitatory within 4 standard deviations, 4 sqrt(1/4 / n)
        assertEquals(0.5, excitatoryFraction(w), 4 * Math.sqrt(0.25 / n), n + " synapses");
    }

    private static double excitatoryFraction(final Wiring w) {
        int plus = 0;
        int all = 0;
        for (final int[] row : w.adjacency()) {
            for (final int x : row) {
                plus += x > 0 ? 1 : 0;
                all += Math.abs(x);
            }
        }
        for (final int[] row : w.sensoryAdjacency()) {
            for (final int x : row) {
                plus += x > 0 ? 1 : 0;
                all += Math.abs(x);
            }
        }
        return (double) plus / all;
    }

    @Test
    void sameSeedSameGraphOtherSeedOtherGraph() {
        assertEquals(AutoNcp.of(16, 1, 2, 0.5, 7), AutoNcp.of(16, 1, 2, 0.5, 7));
        assertNotEquals(AutoNcp.of(16, 1, 2, 0.5, 7), AutoNcp.of(16, 1, 2, 0.5, 8));
        assertEquals(FullyConnected.of(5, 1, 2, 3, true), FullyConnected.of(5, 1, 2, 3, true));
    }

    @Test
    void jsonRoundTripAndNcpsConfigImport() {
        // GIVEN an AutoNCP wiring
        final Wiring w = AutoNcp.of(16, 1, 2);
        // WHEN it is exported and imported, through a tree and through a file
        final Wiring back = Wiring.fromJson(w.toJson(), "tree");
        final Path file = temp.resolve("wiring.json");
        w.write(file);
        final Wiring fromFile = Wiring.read(file);
        // THEN the graphs, types and kind are the same
        assertEquals(w, back);
        assertEquals(w, fromFile);
        assertEquals("auto-ncp", fromFile.kind());
        assertEquals(NeuronType.COMMAND, fromFile.type(3));
        // AND a plain ncps get_config() (no kind, no neuron types) imports with motor/inter types
        final ObjectNode ncps = w.toJson();
        ncps.remove("kind");
        ncps.remove("neuron_types");
        final Wiring plain = Wiring.fromJson(ncps, "ncps");
        assertEquals(w.synapseCount(), plain.synapseCount());
        assertEquals(NeuronType.INTER, plain.type(3));
        assertEquals("custom", plain.kind());
    }

    @Test
    void badSizesGiveClearErrorsNamingTheParameter() {
        assertMessage(() -> AutoNcp.of(3, 1, 2), "outputs must be less than units - 2");
        assertMessage(() -> AutoNcp.of(16, 1, 2, 0.05, 1), "sparsity");
        assertMessage(() -> AutoNcp.of(16, 0, 2), "outputs");
        assertMessage(() -> Ncp.of(4, 3, 1, 5, 2, 1, 2, 2, 1), "sensoryFanout");
        assertMessage(() -> Ncp.of(4, 3, 1, 2, 4, 1, 2, 2, 1), "interFanout");
        assertMessage(() -> Ncp.of(4, 3, 1, 2, 2, 1, 4, 2, 1), "motorFanin");
        assertMessage(() -> Ncp.of(4, 3, 1, 2, 2, 1, 2, 0, 1), "inputs");
        assertMessage(() -> FullyConnected.of(0, 1, 1), "units");
        assertMessage(() -> FullyConnected.of(4, 5, 1), "motors");
        assertMessage(() -> Wiring.of("x", new int[][] {{0, 2}, {0, 0}}, new int[][] {{1, 1}}, 1, null),
                      "adjacency[0][1] is 2");
        final ObjectNode json = FullyConnected.of(3, 1, 2).toJson();
        json.remove("output_dim");
        assertMessage(() -> Wiring.fromJson(json, "w.json"), "w.json: field 'output_dim'");
        final JsonNode bad = ModelJson.mapper().createObjectNode().put("units", 3);
        assertMessage(() -> Wiring.fromJson(bad, "b.json"), "'adjacency_matrix'");
    }

    private static void assertMessage(final org.junit.jupiter.api.function.Executable call, final String part) {
        final OdeException e = assertThrows(OdeException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
