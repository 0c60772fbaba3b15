package org.neurode.models.experiment.compare;

import java.util.List;
import java.util.SplittableRandom;

import org.neurode.core.Model;
import org.neurode.models.HodgkinHuxley;
import org.neurode.models.Microcircuit;
import org.neurode.models.ltc.AutoNcp;
import org.neurode.models.ltc.LtcCell;
import org.neurode.solvers.compare.DiffusionChain;
import org.neurode.solvers.compare.IvpProblem;

/**
 * Neuron problems of the solver comparison, beside {@link org.neurode.solvers.compare.StandardProblems}.
 * They have no published end values: the comparison computes their references with a different
 * high-order method at tolerance 1e-13.
 *
 * @since 0.1 (in org.neurode.examples.compare until 0.2)
 */
public final class NeuronProblems {

    /** Hodgkin-Huxley axon driven at 10 uA/cm^2 for 100 ms (about 7 spikes). */
    public static final String HODGKIN_HUXLEY = "HH";
    /** The 30-50-10 dendritic microcircuit, plasticity off, one nudged pattern of 100 ms. */
    public static final String MICROCIRCUIT = "MICROCIRCUIT";
    /** The passive cable of 10,000 compartments ({@link DiffusionChain#cable}), exact reference. */
    public static final String CABLE = "CABLE";
    /** The Nagumo chain of 10,000 compartments ({@link DiffusionChain#nagumo}). */
    public static final String CHAIN = "CHAIN";
    /** An LTC network (ncps conductance form, AutoNCP(16,1), 2 constant inputs) over 10 time units. */
    public static final String LTC = "LTC";

    private NeuronProblems() {
    }

    /** @return the neuron problem names */
    public static List<String> names() {
        return List.of(HODGKIN_HUXLEY, MICROCIRCUIT, LTC);
    }

    /**
     * @return the large stiff problems (10,000 variables; run only when named): {@value #CABLE}, {@value #CHAIN}
     */
    public static List<String> largeNames() {
        return List.of(CABLE, CHAIN);
    }

    /**
     * @param name a name of {@link #names()} or {@link #largeNames()} (case-insensitive)
     * @return the problem, or null if the name is not a neuron problem
     */
    public static IvpProblem get(final String name) {
        final String key = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (HODGKIN_HUXLEY.equals(key)) {
            return IvpProblem.of(HODGKIN_HUXLEY, HodgkinHuxley.create(1, 10.0), 100.0).withAtolFactor(1.0)
                    .withTitle("Hodgkin-Huxley neuron").withDescription("Hodgkin-Huxley axon (1952), 10 uA/cm^2, 100 ms: 7 action potentials");
        }
        if (MICROCIRCUIT.equals(key)) {
            return IvpProblem.of(MICROCIRCUIT, microcircuit(), 100.0).withTitle("Dendritic microcircuit")
                    .withDescription("dendritic microcircuit 30-50-10 (Sacramento et al. 2018), random weights "
                                     + "U(-1,1) seed 1, one input pattern with nudging, no plasticity, no noise");
        }
        if (CABLE.equals(key)) {
            final int n = DiffusionChain.DEFAULT_SIZE;
            return DiffusionChain.cable(n, true).withReference(DiffusionChain.cableExact(n, 0.1),
                    "exact: the sine modes of the discrete cable, each decaying with its eigenvalue");
        }
        if (CHAIN.equals(key)) {
            return DiffusionChain.nagumo(DiffusionChain.DEFAULT_SIZE, true);
        }
        if (LTC.equals(key)) {
            // ncps' initialisation (seed 1) and wiring seed 22222; inputs (sin 1, cos 1) held constant; the
            // state starts at 0 as ncps' hidden state does
            final LtcCell cell = LtcCell.of(AutoNcp.of(16, 1, 2), 1L);
            return IvpProblem.of(LTC, cell.model(new double[] {Math.sin(1.0), Math.cos(1.0)}), 10.0)
                    .withTitle("LTC network").withDescription("LTC network (Hasani et al. 2021; ncps conductance form), AutoNCP(16,1), 2 "
                                     + "constant inputs, ncps initialisation seed 1, 10 time units");
        }
        return null;
    }

    private static Model microcircuit() {
        final Microcircuit.Config c = Microcircuit.Config.paperRegression();
        final Model built = Microcircuit.build(c).withoutNoise();
        final double[] y = built.initialState();
        final SplittableRandom rnd = new SplittableRandom(1);
        final Model model = Microcircuit.randomWeights(built, y, 1.0, rnd);
        final double[] x = new double[c.sizes()[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        final double[] target = new double[c.sizes()[c.layers()]];
        for (int i = 0; i < target.length; i++) {
            target[i] = rnd.nextDouble(-1, 1);
        }
        return model.withInput("x", x).withInput("uTarget", target).withInput("nudge", 1.0)
                .withInput("plastic", 0.0).withInitialState(y);
    }
}
