package org.neurode.models.burst;

import org.junit.jupiter.api.Test;

class MultiplexProbe {
    @Test
    void probe() {
        int n = Integer.getInteger("probe.n", 400);
        for (long seed = 1; seed <= Integer.getInteger("probe.seeds", 3); seed++) {
            MultiplexCircuit.Config c = MultiplexCircuit.Config.paper().withPyramidal(n).withSeed(seed).withTimes(
                    Double.parseDouble(System.getProperty("probe.burn", "500")), Double.parseDouble(System.getProperty("probe.dur", "1500")));
            long t0 = System.nanoTime();
            MultiplexCircuit.Run r = MultiplexCircuit.run(c, Boolean.getBoolean("probe.cut") ? java.util.Map.of("w21", 0.0, "w2sst", 0.0) : java.util.Map.of(), null);
            MultiplexCircuit.Readout o = r.readout();
            System.out.printf("n %d seed %d: %.1f s rates %s%n  bottomUp %.3f topDown %.3f crossUp %.3f crossDown %.3f | bp2-d2 %.3f er2-er1 %.3f bp1-br2 %.3f er1-d1 %.3f%n",
                    n, seed, (System.nanoTime() - t0) * 1e-9, r.rates(), o.bottomUp(), o.topDown(), o.crossUp(), o.crossDown(),
                    o.pyr2Dendrite(), o.eventRelay(), o.burstRelay(), o.pyr1Soma());
        }
    }
}
