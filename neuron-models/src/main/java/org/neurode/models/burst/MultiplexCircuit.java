package org.neurode.models.burst;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.ErrorCode;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.PopulationRate;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.models.ShortTermPlasticity;

/**
 * The burst-multiplexing circuit of Fig. 3 of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010; {@code sim_propagation.cpp} and {@code run_propagation.sh} of their code), written in the model language
 * from the fragments of this package: two populations of pyramidal {@link BurstNeuron burst neurons}, Pyr1 (lower)
 * and Pyr2 (upper), with PV interneurons (somatic inhibition of Pyr2) and SST interneurons (dendritic inhibition of
 * Pyr1), all connected at random with probability {@code p}:
 * <pre>
 *   Pyr1 -&gt; Pyr2 soma AMPA   0.05  depressing (STD)     Pyr1 -&gt; PV            0.05  STD
 *   PV   -&gt; Pyr2 soma GABA   0.07                       Pyr2 -&gt; Pyr1 dendrite AMPA  0.37  facilitating (STF)
 *   Pyr2 -&gt; SST              0.3   STF                   SST  -&gt; Pyr1 dendrite GABA  0.035
 *   Pyr1 -&gt; Pyr1, Pyr2 -&gt; Pyr2 dendrite GABA  0.1  STF  (stands in for local dendrite-targeting inhibition)
 * </pre>
 * Each pyramidal neuron has its own Poisson inputs at 500 Hz (soma: excitatory and inhibitory 0.35; dendrite:
 * 0.05 and 0.05), each PV neuron excitatory 0.75 and inhibitory 1.125 and each SST neuron 0.4 and 0.5, all at 500 Hz;
 * PV neurons get a constant 205 pA. Short-term plasticity is kept per presynaptic neuron
 * ({@link ShortTermPlasticity#presynaptic}). Drives: Pyr1's somata a sinusoid of period 0.5 s and amplitude 200 pA,
 * its dendrites +50 pA; Pyr2's dendrites 100 + 100 sin(2 pi t / (0.5 sqrt 5 s)) pA (incommensurate with the first),
 * its somata -100 pA. The constant parts run from t = 0, the sinusoids (of the absolute time) from the end of the
 * burn-in, where the read-out starts, as in the authors' code. The interneurons are integrated as the authors'
 * simulator integrates them ({@link Interneuron.Type#asIntegratedByAuryn}: reset to E_L, no adaptation).
 *
 * <p>The read-out ({@link #readout}): in bins of 50 ms, the event rate (Hz per neuron) and the burst probability
 * (bursts per event) of each pyramidal population. Bottom-up, Pyr2's event rate follows Pyr1's somatic drive
 * (through the depressing synapses, which pass events); top-down, Pyr1's burst probability follows Pyr2's dendritic
 * drive (through the facilitating synapses, which pass bursts); the cross terms stay small.
 *
 * @since 0.6
 */
public final class MultiplexCircuit {

    /**
     * The circuit's size and protocol.
     *
     * @param pyramidal     neurons per pyramidal population (the paper: 4,000)
     * @param interneurons  neurons per interneuron population (the paper: 1,000)
     * @param p             connection probability (0.05)
     * @param seed          seed of the connections, the initial potentials and the Poisson inputs
     * @param burnIn        burn-in before the read-out (ms; the paper: 1,000)
     * @param duration      read-out time after the burn-in (ms; the paper: 3,000)
     * @param bin           read-out bin (ms; 50)
     */
    public record Config(int pyramidal, int interneurons, double p, long seed, double burnIn, double duration,
                         double bin) {

        /**
         * @param pyramidal    neurons per pyramidal population
         * @param interneurons neurons per interneuron population
         * @param p            probability
         * @param seed         seed
         * @param burnIn       burn-in (ms)
         * @param duration     read-out time (ms)
         * @param bin          bin (ms)
         */
        public Config {
            if (pyramidal < 1 || interneurons < 1) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "multiplex circuit: the populations need at least "
                        + "one neuron each (pyramidal " + pyramidal + ", interneurons " + interneurons + ")");
            }
            if (!(p > 0 && p <= 1)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "multiplex circuit: the connection probability is "
                        + p + "; it must lie in (0, 1]");
            }
            if (!(burnIn >= 0) || !(duration > 0) || !(bin > 0) || bin > duration || Double.isInfinite(burnIn)
                    || Double.isInfinite(duration)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "multiplex circuit: burn-in " + burnIn
                        + " ms, duration " + duration + " ms and bin " + bin + " ms must be finite, the bin positive "
                        + "and no longer than the duration");
            }
        }

        /** @return the paper's circuit: 4,000 + 4,000 pyramidal, 1,000 + 1,000 interneurons, 1 s + 3 s, 50-ms bins */
        public static Config paper() {
            return new Config(4000, 1000, 0.05, 1, 1000, 3000, 50);
        }

        /**
         * @param n pyramidal neurons per population (interneurons n / 4, at least 1)
         * @return a copy of the circuit at that size with the connection probability scaled so that every neuron
         *         receives as many synapses as in the paper's (p = 0.05 x 4,000 / n, at most 1)
         */
        public Config withPyramidal(final int n) {
            return new Config(n, Math.max(1, n / 4), Math.min(1.0, 0.05 * 4000.0 / n), seed, burnIn, duration, bin);
        }

        /** @param s the seed @return a copy */
        public Config withSeed(final long s) {
            return new Config(pyramidal, interneurons, p, s, burnIn, duration, bin);
        }

        /** @param burn burn-in (ms) @param read read-out time (ms) @return a copy */
        public Config withTimes(final double burn, final double read) {
            return new Config(pyramidal, interneurons, p, seed, burn, read, bin);
        }

        /** @return the end of the run (ms) */
        public double end() {
            return burnIn + duration;
        }
    }

    /** Names of the populations. */
    public static final String PYR1 = "Pyr1";
    /** The upper pyramidal population. */
    public static final String PYR2 = "Pyr2";
    /** The PV population. */
    public static final String PV = "PV";
    /** The SST population. */
    public static final String SST = "SST";

    /** Pyr1's somatic drive (pA) as an expression of t (ms): the sinusoid starts at {@code tOn}, the burn-in's end. */
    public static final String PYR1_SOMATIC = "A1 * (t >= tOn) * sin(2 * pi * t / T1)";
    /** Pyr2's dendritic drive (pA). */
    public static final String PYR2_DENDRITIC = "M2 + A2 * (t >= tOn) * sin(2 * pi * t / T2)";
    /** The PV type as the authors' simulator integrates it ({@link Interneuron.Type#asIntegratedByAuryn}). */
    public static final Interneuron.Type PV_TYPE = Interneuron.PV.asIntegratedByAuryn();
    /** The SST type as the authors' simulator integrates it. */
    public static final Interneuron.Type SST_TYPE = Interneuron.SST.asIntegratedByAuryn();

    private MultiplexCircuit() {
    }

    /**
     * The circuit's model.
     *
     * @param c the configuration
     * @return the model (run it with a fixed step of 0.1 ms; the events {@code Pyr1_event}, {@code Pyr1_burst},
     *         {@code Pyr2_event}, {@code Pyr2_burst} give the read-out)
     */
    public static Model model(final Config c) {
        return builder(c).build();
    }

    /**
     * @param c the configuration
     * @return the model's builder (for changes before building)
     */
    public static ModelBuilder builder(final Config c) {
        final int n = c.pyramidal();
        final int m = c.interneurons();
        final ModelBuilder b = ModelBuilder.named("multiplex").seed(c.seed());
        b.add(BurstNeuron.parameters(BurstNeuron.PAYEUR_2021));
        b.add(Interneuron.parameters(PV_TYPE));
        b.add(Interneuron.parameters(SST_TYPE));
        b.add(ShortTermPlasticity.presynapticParameters("STD", ShortTermPlasticity.STD));
        b.add(ShortTermPlasticity.presynapticParameters("STF", ShortTermPlasticity.STF));
        b.param("tOn", c.burnIn());
        b.param("A1", 200.0);
        b.param("T1", 500.0);
        b.param("M2", 100.0);
        b.param("A2", 100.0);
        b.param("T2", 500.0 * Math.sqrt(5));
        b.param("w12", 0.05);
        b.param("w1pv", 0.05);
        b.param("wpv2", 0.07);
        b.param("w21", 0.37);
        b.param("w2sst", 0.3);
        b.param("wsst1", 0.035);
        b.param("wrec", 0.1);
        // short-term plasticity per presynaptic neuron: Pyr1 sends depressing and facilitating synapses, Pyr2
        // facilitating ones
        b.add(ShortTermPlasticity.presynaptic(PYR1, n, "STD"));
        b.add(ShortTermPlasticity.presynaptic(PYR1, n, "STF"));
        b.add(ShortTermPlasticity.presynaptic(PYR2, n, "STF"));
        final List<String> extra1 = new ArrayList<>(ShortTermPlasticity.presynapticVariables(PYR1, "STD"));
        extra1.addAll(ShortTermPlasticity.presynapticVariables(PYR1, "STF"));
        // the drives depend on t alone: named subexpressions, computed once per evaluation rather than per neuron
        b.let("I1", PYR1_SOMATIC);
        b.let("I2", PYR2_DENDRITIC);
        b.add(BurstNeuron.population(PYR1, n, "I1", "50", "EL + 5 * randn()",
                ShortTermPlasticity.presynapticReset(PYR1, "STD") + "; "
                        + ShortTermPlasticity.presynapticReset(PYR1, "STF"), extra1));
        b.add(BurstNeuron.population(PYR2, n, "-100", "I2", "EL + 5 * randn()",
                ShortTermPlasticity.presynapticReset(PYR2, "STF"),
                ShortTermPlasticity.presynapticVariables(PYR2, "STF")));
        b.add(Interneuron.population(PV, PV_TYPE, m, "205", "PV_EL + 5 * randn()", "", List.of()));
        b.add(Interneuron.population(SST, SST_TYPE, m, "0", "SST_EL + 5 * randn()", "", List.of()));
        final String pp = "p = " + c.p();
        final String std1 = ShortTermPlasticity.efficacy(PYR1, "STD");
        final String stf1 = ShortTermPlasticity.efficacy(PYR1, "STF");
        final String stf2 = ShortTermPlasticity.efficacy(PYR2, "STF");
        connect(b, "Pyr1_Pyr2", PYR1, PYR2, pp, "Pyr2_gAS += w12 * " + std1);
        connect(b, "Pyr1_PV", PYR1, PV, pp, "PV_gE += w1pv * " + std1);
        connect(b, "PV_Pyr2", PV, PYR2, pp, "Pyr2_gGS += wpv2");
        connect(b, "Pyr2_Pyr1", PYR2, PYR1, pp, "Pyr1_gAD += w21 * " + stf2);
        connect(b, "Pyr2_SST", PYR2, SST, pp, "SST_gE += w2sst * " + stf2);
        connect(b, "SST_Pyr1", SST, PYR1, pp, "Pyr1_gGD += wsst1");
        connect(b, "Pyr1_Pyr1", PYR1, PYR1, pp, "Pyr1_gGD += wrec * " + stf1);
        connect(b, "Pyr2_Pyr2", PYR2, PYR2, pp, "Pyr2_gGD += wrec * " + stf2);
        // independent Poisson inputs, 500 Hz = 0.5 per ms, one source per neuron and kind
        background(b, PYR1, n, "gAS", 0.35);
        background(b, PYR1, n, "gGS", 0.35);
        background(b, PYR1, n, "gAD", 0.05);
        background(b, PYR1, n, "gGD", 0.05);
        background(b, PYR2, n, "gAS", 0.35);
        background(b, PYR2, n, "gGS", 0.35);
        background(b, PYR2, n, "gAD", 0.05);
        background(b, PYR2, n, "gGD", 0.05);
        background(b, PV, m, "gE", 0.75);
        background(b, PV, m, "gI", 1.125);
        background(b, SST, m, "gE", 0.4);
        background(b, SST, m, "gI", 0.5);
        return b;
    }

    /**
     * @return the names of the circuit's scalar parameters (the neurons' constants, the weights and the drives), in
     *         declaration order
     */
    public static List<String> parameterNames() {
        final List<String> out = new ArrayList<>();
        for (final org.neurode.core.spec.ParameterSpec p : builder(new Config(4, 1, 0.5, 1, 0, 1, 1)).spec()
                .parameters()) {
            out.add(p.name());
        }
        return out;
    }

    /** The Poisson groups of the backgrounds are named {@code bg_POP_VAR}. */
    private static void background(final ModelBuilder b, final String pop, final int n, final String var,
                                   final double w) {
        final String name = "bg_" + pop + "_" + var;
        b.population(PopulationSpec.poisson(name, n, "0.5"));
        b.projection(ProjectionSpec.of(name + "_in", name, pop, ConnectSpec.oneToOne(), pop + "_" + var + " += " + w));
    }

    private static void connect(final ModelBuilder b, final String name, final String from, final String to,
                                final String rule, final String onPre) {
        b.projection(ProjectionSpec.of(name, from, to, ConnectSpec.parse(rule), onPre).withEvent(from));
    }

    /**
     * The event kinds of the backgrounds (hundreds of thousands of spikes per second), which a run need not log.
     *
     * @return their names
     */
    public static List<String> backgroundEvents() {
        final List<String> out = new ArrayList<>();
        for (final String pop : List.of(PYR1, PYR2)) {
            for (final String v : List.of("gAS", "gGS", "gAD", "gGD")) {
                out.add("bg_" + pop + "_" + v);
            }
        }
        out.add("bg_PV_gE");
        out.add("bg_PV_gI");
        out.add("bg_SST_gE");
        out.add("bg_SST_gI");
        return out;
    }

    /**
     * The read-out of one run: per bin, the drives and the two multiplexed signals of each pyramidal population, and
     * their Pearson correlations over the bins. The read-out pairs each signal with a drive: {@code bottomUp}
     * and {@code topDown} should be large, the cross terms smaller. The paper's Fig. 3 pairs each signal with what
     * drives it in the circuit: Pyr2's burst probability with its dendritic drive, Pyr2's event rate with Pyr1's,
     * Pyr1's burst probability with Pyr2's burst rate (the facilitating feedback passes bursts, and the burst rate is
     * burst probability times event rate, so it carries Pyr1's own somatic drive back too), Pyr1's event rate with
     * its somatic drive.
     *
     * @param times        bin starts (ms, from the end of the burn-in)
     * @param drive1       Pyr1's somatic drive at the bin centres (pA)
     * @param drive2       Pyr2's dendritic drive at the bin centres (pA)
     * @param eventRate1   Pyr1's event rate (Hz per neuron)
     * @param burstProb1   Pyr1's burst probability (bursts per event; NaN in a bin without events)
     * @param eventRate2   Pyr2's event rate (Hz)
     * @param burstProb2   Pyr2's burst probability
     * @param burstRate2   Pyr2's burst rate (Hz)
     * @param bottomUp     corr(Pyr2 event rate, Pyr1 somatic drive)
     * @param topDown      corr(Pyr1 burst probability, Pyr2 dendritic drive)
     * @param crossUp      corr(Pyr2 event rate, Pyr2 dendritic drive)
     * @param crossDown    corr(Pyr1 burst probability, Pyr1 somatic drive)
     * @param pyr2Dendrite corr(Pyr2 burst probability, Pyr2 dendritic drive) (Fig. 3b2)
     * @param eventRelay   corr(Pyr2 event rate, Pyr1 event rate) (Fig. 3b3)
     * @param burstRelay   corr(Pyr1 burst probability, Pyr2 burst rate) (Fig. 3c2)
     * @param pyr1Soma     corr(Pyr1 event rate, Pyr1 somatic drive) (Fig. 3c3)
     */
    public record Readout(double[] times, double[] drive1, double[] drive2, double[] eventRate1, double[] burstProb1,
                          double[] eventRate2, double[] burstProb2, double[] burstRate2, double bottomUp,
                          double topDown, double crossUp, double crossDown, double pyr2Dendrite, double eventRelay,
                          double burstRelay, double pyr1Soma) {
    }

    /**
     * Bins the events of a run and correlates the signals with the drives (Pearson, over the bins). The drives are
     * evaluated with the run's own parameters ({@code A1 T1 M2 A2 T2}), so a run with changed drives is read out
     * against the drives it had.
     *
     * @param c          the configuration of the run
     * @param parameters the run's parameters (the model's, with any changes)
     * @param events     its event log
     * @return the read-out
     */
    public static Readout readout(final Config c, final org.neurode.core.Parameters parameters,
                                  final EventLog events) {
        final double a1 = parameters.get("A1");
        final double period1 = parameters.get("T1");
        final double m2 = parameters.get("M2");
        final double a2 = parameters.get("A2");
        final double period2 = parameters.get("T2");
        final double t0 = c.burnIn();
        final double t1 = c.end();
        final PopulationRate e1 = PopulationRate.of(events, BurstDetection.eventKind(PYR1), c.pyramidal(), t0, t1,
                c.bin(), 1e-3);
        final PopulationRate b1 = PopulationRate.of(events, BurstDetection.burstKind(PYR1), c.pyramidal(), t0, t1,
                c.bin(), 1e-3);
        final PopulationRate e2 = PopulationRate.of(events, BurstDetection.eventKind(PYR2), c.pyramidal(), t0, t1,
                c.bin(), 1e-3);
        final PopulationRate b2 = PopulationRate.of(events, BurstDetection.burstKind(PYR2), c.pyramidal(), t0, t1,
                c.bin(), 1e-3);
        final int bins = e1.size();
        final double[] times = new double[bins];
        final double[] d1 = new double[bins];
        final double[] d2 = new double[bins];
        final double[] bp1 = new double[bins];
        final double[] bp2 = new double[bins];
        for (int k = 0; k < bins; k++) {
            times[k] = e1.times()[k] - t0;
            final double mid = e1.times()[k] + 0.5 * c.bin();
            // the sinusoids are on over the whole read-out (it starts at the burn-in's end, tOn)
            d1[k] = a1 * Math.sin(2 * Math.PI * mid / period1);
            d2[k] = m2 + a2 * Math.sin(2 * Math.PI * mid / period2);
            bp1[k] = e1.counts()[k] == 0 ? Double.NaN : b1.counts()[k] / (double) e1.counts()[k];
            bp2[k] = e2.counts()[k] == 0 ? Double.NaN : b2.counts()[k] / (double) e2.counts()[k];
        }
        return new Readout(times, d1, d2, e1.rates(), bp1, e2.rates(), bp2, b2.rates(), pearson(e2.rates(), d1),
                pearson(bp1, d2), pearson(e2.rates(), d2), pearson(bp1, d1), pearson(bp2, d2),
                pearson(e2.rates(), e1.rates()), pearson(bp1, b2.rates()), pearson(e1.rates(), d1));
    }

    /**
     * A finished run: its read-out, the mean rates of the four populations (Hz per neuron, over the read-out time)
     * and its size.
     *
     * @param config    the configuration
     * @param readout   the read-out
     * @param rates     mean spike rate per population over the read-out time (Hz), by population name
     * @param synapses  synapses between the four populations (the backgrounds' one-to-one inputs left out)
     * @param neurons   neurons of the four populations
     * @param buildSeconds      wall time of building the model (drawing the synapses, compiling the equations)
     * @param simulationSeconds wall time of the simulation itself
     */
    public record Run(Config config, Readout readout, java.util.Map<String, Double> rates, long synapses,
                      int neurons, double buildSeconds, double simulationSeconds) {
    }

    /**
     * Simulates the circuit with forward Euler at 0.1 ms (the authors' integration) from 0 to the end of the
     * read-out; the backgrounds' spikes are not logged.
     *
     * @param c        the configuration
     * @param progress told the simulated time (ms) every 10 ms of it, or null
     * @return the run
     */
    public static Run run(final Config c, final java.util.function.DoubleConsumer progress) {
        return run(c, java.util.Map.of(), progress);
    }

    /**
     * {@link #run(Config, java.util.function.DoubleConsumer)} with some of the circuit's parameters changed, e.g.
     * {@code w21 = 0} (no feedback from Pyr2 to Pyr1's dendrites) for a control. The weights are {@code w12}
     * (Pyr1 to Pyr2), {@code w1pv}, {@code wpv2}, {@code w21}, {@code w2sst}, {@code wsst1}, {@code wrec}; the drives
     * {@code A1}, {@code T1} (ms), {@code M2}, {@code A2}, {@code T2} (pA, ms).
     *
     * @param c          the configuration
     * @param parameters parameter values by name (scalar parameters of the model)
     * @param progress   told the simulated time (ms) every 10 ms of it, or null
     * @return the run
     */
    public static Run run(final Config c, final java.util.Map<String, Double> parameters,
                          final java.util.function.DoubleConsumer progress) {
        return run(c, parameters, progress, () -> false);
    }

    /**
     * {@link #run(Config, java.util.Map, java.util.function.DoubleConsumer)} that can be stopped: {@code stop} is
     * polled after every 10 ms of simulated time, and a run it stops returns null (a part of the read-out would
     * not be comparable with a whole one).
     *
     * @param c          the configuration
     * @param parameters parameter values by name (scalar parameters of the model)
     * @param progress   told the simulated time (ms) every 10 ms of it, or null
     * @param stop       polled every 10 ms of simulated time: true ends the run
     * @return the run, or null if {@code stop} ended it
     * @throws OdeException if the integration blows up
     * @since 0.7
     */
    public static Run run(final Config c, final java.util.Map<String, Double> parameters,
                          final java.util.function.DoubleConsumer progress,
                          final java.util.function.BooleanSupplier stop) {
        final long t0 = System.nanoTime();
        Model model = model(c);
        for (final java.util.Map.Entry<String, Double> e : parameters.entrySet()) {
            model = model.withParameter(e.getKey(), e.getValue());
        }
        final long t1 = System.nanoTime();
        final org.neurode.solvers.Simulation sim = org.neurode.solvers.Solvers.get("euler").start(
                org.neurode.core.Problem.of(model, c.end()), org.neurode.solvers.SolveOptions.fixedStep(STEP)
                        .withRecorder(org.neurode.core.Recorder.finalOnly())
                        .withUnloggedEvents(backgroundEvents()));
        final double chunk = 10.0;
        for (int k = 1; sim.time() < c.end(); k++) {
            sim.advanceTo(Math.min(c.end(), k * chunk));
            if (progress != null) {
                progress.accept(sim.time());
            }
            if (stop.getAsBoolean()) {
                return null;
            }
        }
        final org.neurode.core.Trajectory tr = sim.finish();
        final long t2 = System.nanoTime();
        final EventLog events = tr.events();
        final java.util.Map<String, Double> rates = new java.util.LinkedHashMap<>();
        for (final String pop : List.of(PYR1, PYR2, PV, SST)) {
            final int size = pop.startsWith("Pyr") ? c.pyramidal() : c.interneurons();
            int count = 0;
            for (final double t : events.times(pop)) {
                if (t >= c.burnIn()) {
                    count++;
                }
            }
            rates.put(pop, count / (size * c.duration() * 1e-3));
        }
        long synapses = 0;
        for (final org.neurode.core.Projection p : model.projections()) {
            if (!p.name().startsWith("bg_")) {
                synapses += p.synapses();
            }
        }
        return new Run(c, readout(c, model.parameters(), events), rates, synapses, 2 * c.pyramidal() + 2 * c.interneurons(),
                (t1 - t0) * 1e-9, (t2 - t1) * 1e-9);
    }

    /** The time step of {@link #run}, ms (the authors' Auryn default). */
    public static final double STEP = 0.1;

    /**
     * Pearson's correlation over the pairs where both values are finite.
     *
     * @param a values
     * @param b values (same length)
     * @return the correlation, NaN with fewer than 3 pairs or no variance
     */
    public static double pearson(final double[] a, final double[] b) {
        double sa = 0;
        double sb = 0;
        int n = 0;
        for (int k = 0; k < a.length; k++) {
            if (Double.isFinite(a[k]) && Double.isFinite(b[k])) {
                sa += a[k];
                sb += b[k];
                n++;
            }
        }
        if (n < 3) {
            return Double.NaN;
        }
        final double ma = sa / n;
        final double mb = sb / n;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int k = 0; k < a.length; k++) {
            if (Double.isFinite(a[k]) && Double.isFinite(b[k])) {
                cov += (a[k] - ma) * (b[k] - mb);
                va += (a[k] - ma) * (a[k] - ma);
                vb += (b[k] - mb) * (b[k] - mb);
            }
        }
        return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : Double.NaN;
    }
}
