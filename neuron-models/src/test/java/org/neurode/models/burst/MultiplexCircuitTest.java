package org.neurode.models.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The multiplexing circuit of Payeur et al. 2021 (Fig. 3) at a quarter of its size shows the effect: Pyr2's event
 * rate carries Pyr1's somatic drive upward, Pyr1's burst probability carries Pyr2's bursts downward, and cutting
 * the feedback removes the second without touching the first.
 *
 * <p>Size: 1,000 + 1,000 pyramidal neurons and 250 + 250 interneurons with p = 0.2, so each neuron receives the
 * paper's 200 synapses per projection; 0.5 s of burn-in and 2 s of read-out in 40 bins of 50 ms (the paper: 1 s
 * and 3 s). Thresholds: with 40 bins whose neighbours are correlated (the slower drive has a period of 22 bins),
 * about 20 independent samples, so a correlation between unrelated series has a standard deviation near
 * 1/sqrt(20) = 0.22. Measured at this size over seeds 1 to 3: bottom-up 0.75 to 0.80, Pyr2 burst probability with
 * its dendritic drive 0.92 to 0.94, Pyr1 burst probability with Pyr2's burst rate 0.83 to 0.89, the cross term of
 * Pyr2's event rate with its own dendritic drive -0.09 to 0.12. The effects are asserted above 0.5 (more than twice
 * the null's spread), the cross term below 0.35 in size.
 */
class MultiplexCircuitTest {

    private static final MultiplexCircuit.Config SMALL = MultiplexCircuit.Config.paper().withPyramidal(1000)
            .withSeed(2).withTimes(500, 2000);

    @Test
    void eventRatesCarryTheSomaticDriveUpAndBurstProbabilitiesTheDendriticOneDown() {
        // GIVEN the circuit at a quarter of its size
        // WHEN it runs for 2.5 s
        final MultiplexCircuit.Run run = MultiplexCircuit.run(SMALL, null);
        final MultiplexCircuit.Readout o = run.readout();
        // THEN the populations fire at low rates (the paper's figure: event rates of 2 to 10 Hz)
        assertTrue(run.rates().get("Pyr1") > 2 && run.rates().get("Pyr1") < 20, "Pyr1 " + run.rates());
        assertTrue(run.rates().get("Pyr2") > 2 && run.rates().get("Pyr2") < 20, "Pyr2 " + run.rates());
        assertEquals(40, o.times().length);
        // AND each signal follows what drives it
        assertTrue(o.bottomUp() > 0.5, "corr(Pyr2 event rate, Pyr1 somatic drive) " + o.bottomUp());
        assertTrue(o.eventRelay() > 0.5, "corr(Pyr2 event rate, Pyr1 event rate) " + o.eventRelay());
        assertTrue(o.pyr2Dendrite() > 0.5, "corr(Pyr2 burst probability, its dendritic drive) " + o.pyr2Dendrite());
        assertTrue(o.burstRelay() > 0.5, "corr(Pyr1 burst probability, Pyr2 burst rate) " + o.burstRelay());
        assertTrue(o.topDown() > 0.15, "corr(Pyr1 burst probability, Pyr2 dendritic drive) " + o.topDown());
        // AND Pyr2's event rate does not follow its own dendritic drive
        assertTrue(Math.abs(o.crossUp()) < 0.35, "corr(Pyr2 event rate, Pyr2 dendritic drive) " + o.crossUp());
    }

    @Test
    void cuttingTheFeedbackRemovesTheTopDownSignalOnly() {
        // GIVEN the circuit without the facilitating feedback from Pyr2 (onto Pyr1's dendrites and onto SST)
        final MultiplexCircuit.Run cut = MultiplexCircuit.run(SMALL, Map.of("w21", 0.0, "w2sst", 0.0), null);
        final MultiplexCircuit.Readout o = cut.readout();
        // THEN the bottom-up path still works
        assertTrue(o.bottomUp() > 0.5, "bottom-up without feedback " + o.bottomUp());
        // AND Pyr1's burst probability no longer follows Pyr2's dendritic drive: within the null's spread of 0
        assertTrue(Math.abs(o.topDown()) < 0.3, "top-down without feedback " + o.topDown());
    }
}
