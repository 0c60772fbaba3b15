package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;

/**
 * Recording allocates nothing per sample: several recorders, named subexpressions (a sum, a matrix-vector product, an
 * element-wise one) and ranges, with room for the run's samples reserved when it starts.
 */
class RecordingAllocationTest {


    /** Windows measured at most (12,000 time units with the warm-up's 2,000: the span of the problem). */
    private static final int WINDOWS = 12;
    /** Runs measured at most (a new run when none of a run's windows was quiet). */
    private static final int ATTEMPTS = 5;

    @Test
    void recordingSeveralRecordersAndNamedSubexpressionsAllocatesNothingPerSample() {
        for (final String name : new String[] {"euler", "rk4", "tsit5"}) {
            // GIVEN the spiking network of MultipleRecordersTest recorded by two recorders, one of them every 0.2
            // (every other step) with lets, over a span known when the run starts (14,000 time units: room for
            // 70,001 samples of 9 columns is reserved)
            final SolveOptions base = Solvers.get(name).info().adaptive()
                    ? SolveOptions.tolerances(1e-6, 1e-6).withMaxStep(0.1) : SolveOptions.fixedStep(0.1);
            // WHEN advancing 1,000 time units (5,000 samples of 9 columns, 10,000 or more steps), the quietest of up
            // to WINDOWS such windows (see AllocationTest: a JIT deoptimization or the spike log's doubling may fall
            // into one window, and on a busy machine the JIT compiles later: code not yet compiled by C2 allocates
            // the SIMD kernels' vectors; the first quiet window ends the measurement), in up to ATTEMPTS runs (the
            // span is bounded by the reserved room, and in the shared test JVM a kernel can stay in C1 for longer
            // than one run while C2 is busy with other tests' generated classes)
            final long fewest = quietestWindow(() -> Solvers.get(name).start(Problem.of(
                    MultipleRecordersTest.network(), 14000.0), base.withRecorder(Recorder.every(1.0).of("W[0..1, 1]"))
                        .addRecorder(Recorder.every(0.2).of("v[0..3]", "mean_v", "drive[2..4]", "leak[1]")
                                .named("fast"))), new Simulation[1]);
            // THEN almost nothing was allocated: under 4 bytes per sample; one boxed double per sample would be
            // 80,000 bytes, growing the sample store (without the reserved room) 360,000 or more
            assertTrue(fewest < 20_000, name + " allocated " + fewest + " bytes over 5,000 samples");
        }
    }

    /**
     * The bytes allocated over the quietest window of 1,000 time units after a warm-up of 2,000, in up to {@link
     * #WINDOWS} windows of a run and up to {@link #ATTEMPTS} runs; the first window under 20,000 bytes ends it.
     *
     * @param start starts a run (a 14,000-unit span)
     * @param last  receives the last run
     * @return the fewest bytes of a window
     */
    private static long quietestWindow(final java.util.function.Supplier<Simulation> start, final Simulation[] last) {
        long fewest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < ATTEMPTS && fewest >= 20_000; attempt++) {
            final Simulation sim = start.get();
            last[0] = sim;
            for (int k = 1; k <= 200; k++) {
                sim.advanceTo(10.0 * k);
            }
            fewest = Math.min(fewest, AllocationWindows.quietest(sim, 200, WINDOWS, 20_000));
        }
        return fewest;
    }

    /**
     * Poisson inputs (50 at 20 Hz) onto 20 neurons through 200 or so synapses with a plastic weight w and an
     * event-driven trace A.
     */
    private static org.neurode.core.Model synapses() {
        final org.neurode.core.expr.ModelBuilder b = org.neurode.core.expr.ModelBuilder.named("synapse-recorders");
        b.param("tau", 10.0);
        b.param("tauA", 20.0);
        b.ode(b.vector("v", 20, ""), "(0.8 - v) / tau");
        b.population(new org.neurode.core.spec.PopulationSpec("P", 20, java.util.List.of("v")));
        b.event(org.neurode.core.spec.EventSpec.of("spike", "v > 1", "v = 0"));
        b.population(org.neurode.core.spec.PopulationSpec.poisson("in", 50, "0.02"));
        b.projection(org.neurode.core.spec.ProjectionSpec.of("S", "in", "P",
                org.neurode.core.spec.ConnectSpec.probability("0.2"), "v += w; A += 0.01; w = clip(w + A, 0, 0.5)")
                .withVariable(org.neurode.core.spec.SynapseVariableSpec.of("w", "0.2 * rand()", ""))
                .withVariable(org.neurode.core.spec.SynapseVariableSpec.eventDriven("A", "-A / tauA", "")));
        return b.build();
    }

    @Test
    void recordingSynapseVariablesAllocatesNothingPerSample() {
        for (final String name : new String[] {"euler", "rk4"}) {
            // GIVEN the network recorded by a recorder of states and one of synapse variables (plain and
            // event-driven) every 0.2 (every other step), over 14,000 time units
            // WHEN advancing 1,000 time units (5,000 samples of 10 columns), the quietest of up to WINDOWS windows
            // (the spike log doubles now and then), in up to ATTEMPTS runs (as above)
            final Simulation[] last = new Simulation[1];
            final long fewest = quietestWindow(() -> Solvers.get(name).start(Problem.of(synapses(), 14000.0),
                    SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(1.0).of("v[0..1]"))
                            .addRecorder(Recorder.every(0.2).of("S.w[0..4]", "S.A[0..3]", "v[2]").named("syn"))),
                    last);
            final Simulation sim = last[0];
            // THEN under 4 bytes per sample (a boxed double per synapse column would be 360,000 bytes)
            assertTrue(fewest < 20_000, name + " allocated " + fewest + " bytes over 5,000 samples");
            // AND the synapses were active: the traces moved
            final double[] trace = sim.finish().recording("syn").column("S.A[0]");
            assertTrue(java.util.Arrays.stream(trace).distinct().count() > 10, name);
        }
    }
}
