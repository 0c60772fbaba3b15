package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.neurode.examples.bench.BurstBench;

/** {@code neurode bench burst} on a small circuit: it runs both cases and reports what it says it reports. */
class BurstBenchTest {

    @Test
    void smallCircuitReportsBothCasesWithoutARatioToBrian2() {
        // GIVEN 100 + 100 pyramidal neurons (each with the paper's in-degree)
        final Map<String, Object> r = BurstBench.run(100);
        // THEN both cases are timed and the circuit is the one asked for
        assertEquals(100, r.get("pyramidalPerPopulation"));
        assertEquals(4.0, (Double) r.get("simulatedSeconds"), 0.0);
        assertTrue((Double) r.get("oneThreadSimulatedSecondsPerSecond") > 0);
        assertTrue((Double) r.get("twoThreadsSimulatedSecondsPerSecond") > 0);
        assertTrue((Long) r.get("synapses") > 10_000, "synapses " + r.get("synapses"));
        // AND the ratio to Brian2's measurement is only given at the paper's size
        assertTrue(!r.containsKey("speedupOverBrian2CppOneThread"));
        final Cli.Run unknown = Cli.run("bench", "bursts");
        Cli.assertOneLineError(unknown, "unknown benchmark 'bursts'", "burst");
    }
}
