package org.neurode.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.neurode.models.burst.MultiplexCircuit;

/**
 * {@code neurode bench burst}: the multiplexing circuit of Payeur et al. 2021 (Fig. 3; {@link MultiplexCircuit}) at
 * the paper's size (4,000 + 4,000 two-compartment pyramidal neurons, 1,000 + 1,000 AdEx interneurons, about 4 million
 * synapses with short-term plasticity, 36,000 Poisson inputs at 500 Hz), its protocol of 1 s of burn-in and 3 s of
 * stimulation at 0.1 ms with forward Euler, in simulated seconds per wall second: one simulation on one thread, and two
 * seeds on two threads at once (neurode runs one simulation per thread; the throughput of both cores). Building the
 * model (drawing the synapses, compiling the equations) is timed apart. Compared with the same circuit in Brian2
 * 2.5.1's C++ standalone mode measured on this machine class ({@code examples/scripts/multiplex_brian2.py}; its
 * network loop, compilation excluded), on one OpenMP thread and on two.
 */
public final class BurstBench {

    /**
     * Brian2 2.5.1 C++ standalone, the same circuit ({@code examples/scripts/multiplex_brian2.py} with its defaults:
     * the interneurons and the presynaptic short-term plasticity of {@link MultiplexCircuit}), one OpenMP thread:
     * simulated seconds per second of its network loop (4 s simulated; {@code results/last_run_info.txt}), the
     * median of three runs of the compiled binary on the quiet 2-core development VM, 25.7-27.3 s
     * (2026-12-05; docs/performance.md).
     */
    public static final double BRIAN2_CPP_ONE_THREAD = 4.0 / 26.97;
    /**
     * The same with two OpenMP threads: 26.6-32.3 s, median 27.3 s, no faster than one thread (with
     * {@code OMP_WAIT_POLICY=passive} 60-68 s).
     */
    public static final double BRIAN2_CPP_TWO_THREADS = 4.0 / 27.3;

    private BurstBench() {
    }

    /**
     * @param neurons pyramidal neurons per population (4,000 for the paper's circuit)
     * @return the measurements
     */
    public static Map<String, Object> run(final int neurons) {
        final MultiplexCircuit.Config c = MultiplexCircuit.Config.paper().withPyramidal(neurons);
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "multiplex-payeur2021-fig3");
        r.put("pyramidalPerPopulation", c.pyramidal());
        r.put("interneuronsPerPopulation", c.interneurons());
        r.put("simulatedSeconds", c.end() * 1e-3);
        r.put("dtMs", MultiplexCircuit.STEP);
        r.put("solver", "euler");
        final MultiplexCircuit.Run one = MultiplexCircuit.run(c.withSeed(1), null);
        final double oneWall = one.simulationSeconds();
        r.put("synapses", one.synapses());
        r.put("buildSeconds", one.buildSeconds());
        r.put("oneThreadSeconds", oneWall);
        final double perSecond = c.end() * 1e-3 / oneWall;
        r.put("oneThreadSimulatedSecondsPerSecond", perSecond);
        r.put("rates", one.rates());
        // both cores: two seeds at once
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final List<Future<MultiplexCircuit.Run>> runs = new ArrayList<>();
        final long start = System.nanoTime();
        try {
            for (int s = 2; s <= 3; s++) {
                final MultiplexCircuit.Config cs = c.withSeed(s);
                runs.add(pool.submit(() -> MultiplexCircuit.run(cs, null)));
            }
            for (final Future<MultiplexCircuit.Run> f : runs) {
                org.neurode.models.experiment.Futures.join(f);
            }
        } finally {
            pool.shutdownNow();
        }
        // the wall time of both simulations at once, less the longer of their two model builds
        double build = 0;
        for (final Future<MultiplexCircuit.Run> f : runs) {
            build = Math.max(build, org.neurode.models.experiment.Futures.join(f).buildSeconds());
        }
        final double twoWall = (System.nanoTime() - start) * 1e-9 - build;
        r.put("twoThreadsTwoSeedsSeconds", twoWall);
        final double twoPerSecond = 2 * c.end() * 1e-3 / twoWall;
        r.put("twoThreadsSimulatedSecondsPerSecond", twoPerSecond);
        r.put("brian2CppOneThreadSimulatedSecondsPerSecond", BRIAN2_CPP_ONE_THREAD);
        r.put("brian2CppTwoThreadsSimulatedSecondsPerSecond", BRIAN2_CPP_TWO_THREADS);
        if (neurons == 4000) {
            r.put("speedupOverBrian2CppOneThread", perSecond / BRIAN2_CPP_ONE_THREAD);
            r.put("speedupOverBrian2CppTwoThreads", Double.isNaN(BRIAN2_CPP_TWO_THREADS) ? null
                    : twoPerSecond / BRIAN2_CPP_TWO_THREADS);
        }
        return r;
    }
}
