package org.neurode.models.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.experiment.burst.BurstXorExperiment;
import org.neurode.models.experiment.burst.Multiplex;
import org.neurode.models.experiment.compare.CompareSolvers;
import org.neurode.models.experiment.dendrites.SegregatedDendritesExperiment;
import org.neurode.models.experiment.learning.CompareLearning;
import org.neurode.models.experiment.ltcsine.LtcSine;
import org.neurode.models.experiment.nodespiral.NodeSpiral;
import org.neurode.models.experiment.regression.Regression;
import org.neurode.models.experiment.simulate.Simulate;
import org.neurode.models.experiment.xor.Xor;

/**
 * The experiments by kind: the built-in ones ({@code regression}, {@code xor},
 * {@code compare-solvers}, {@code ltc-sine}, {@code node-spiral}, {@code simulate}, {@code segregated-dendrites},
 * {@code compare-learning}, {@code multiplex}, {@code burst-xor}) and any that a program
 * {@link #register registers}. Thread-safe.
 *
 * @since 0.2
 */
public final class Experiments {

    private static final Map<String, Experiment<?, ?>> BY_KIND = new TreeMap<>();

    static {
        register(Regression.INSTANCE);
        register(Xor.INSTANCE);
        register(CompareSolvers.INSTANCE);
        register(LtcSine.INSTANCE);
        register(NodeSpiral.INSTANCE);
        register(Simulate.INSTANCE);
        register(SegregatedDendritesExperiment.INSTANCE);
        register(CompareLearning.INSTANCE);
        register(Multiplex.INSTANCE);
        register(BurstXorExperiment.INSTANCE);
    }

    private Experiments() {
    }

    /**
     * Adds an experiment (or replaces the one of the same kind).
     *
     * @param experiment the experiment
     */
    public static synchronized void register(final Experiment<?, ?> experiment) {
        BY_KIND.put(experiment.kind(), experiment);
    }

    /** @return the kinds known, sorted */
    public static synchronized List<String> kinds() {
        return new ArrayList<>(BY_KIND.keySet());
    }

    /**
     * @param kind a kind
     * @return its experiment
     * @throws OdeException if no experiment has that kind (the message lists the kinds, and the closest one)
     */
    public static synchronized Experiment<?, ?> get(final String kind) {
        final Experiment<?, ?> e = BY_KIND.get(kind);
        if (e == null) {
            final String hint = Suggestions.closest(kind, BY_KIND.keySet());
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unknown experiment kind '" + kind + "'"
                    + (hint != null ? " (did you mean '" + hint + "'?)" : "") + "; known kinds: "
                    + String.join(", ", BY_KIND.keySet()));
        }
        return e;
    }
}
