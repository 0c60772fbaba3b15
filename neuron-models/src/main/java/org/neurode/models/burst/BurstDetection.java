package org.neurode.models.burst;

import org.neurode.core.Detection;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * Classifies a population's spikes into events and bursts as the simulation code of Payeur, Guerguiev, Zenke,
 * Richards and Naud (2021, Nat. Neurosci. 24:1010; the burst detection of their {@code BCPConnection} and
 * {@code BurstRateMonitor}) does, written in the model language.
 *
 * <p>Each member keeps a trace {@code xb} with a time constant of 16 ms that jumps by 1 at each spike, after the
 * check. A spike with {@code xb < 1/e} is an <b>event</b> (roughly: no spike in the preceding 16 ms) and puts the
 * member in the event state; a spike with {@code xb >= 1/e} in the event state is a <b>burst</b> (the second spike
 * of a burst) and puts it in the burst state; further close spikes are neither. So an event is an isolated spike or
 * the first spike of a burst, and the event rate and the burst probability (bursts per event) are the two
 * multiplexed signals.
 *
 * <p>The spike events of the population run {@link #onSpike} in their reset. It sets a flag per class, and two
 * events of the population, {@code P_event} and {@code P_burst}, fire on the flags at the end of the next step
 * (one step, 0.1 ms at the paper's step, after the spike; the authors' code transmits spikes with an axonal delay
 * of 0.8 ms) and clear them. Projections that transmit only events or only bursts send on these events; the
 * burst-dependent plasticity runs its {@code on_post} statements on them.
 *
 * <p>Variables, for a population whose variables start with {@code P_}: {@code P_xb} (the trace), {@code P_bst}
 * (0 before the first spike, 1 in the event state, 2 in the burst state), {@code P_flagE}, {@code P_flagB}.
 *
 * @since 0.6
 */
public final class BurstDetection {

    /** The time constant of the detection trace, ms (the authors' 16 ms). */
    public static final double TAU_MS = 16.0;

    private BurstDetection() {
    }

    /**
     * @param population the population's name; its variables and events are prefixed with it ({@code Pyr1_xb})
     * @return the name of the event of its events ({@code Pyr1_event})
     */
    public static String eventKind(final String population) {
        return population + "_event";
    }

    /**
     * @param population the population's name
     * @return the name of the event of its bursts ({@code Pyr1_burst})
     */
    public static String burstKind(final String population) {
        return population + "_burst";
    }

    /**
     * The classification's variables, equations and the two events, for a population of {@code n} members. The
     * population itself (its {@code PopulationSpec}) must list the four variables.
     *
     * @param population the population's name (the prefix of the variables)
     * @param n          its members
     * @return a fragment for {@code ModelBuilder.add}
     */
    public static ModelSpec fragment(final String population, final int n) {
        final String p = population + "_";
        return ModelSpec.fragment("burst detection of " + population)
                .withVariable(VariableSpec.state(p + "xb", n, 1, ""))
                .withVariable(VariableSpec.state(p + "bst", n, 1, ""))
                .withVariable(VariableSpec.state(p + "flagE", n, 1, ""))
                .withVariable(VariableSpec.state(p + "flagB", n, 1, ""))
                .withEquation(p + "xb", "-" + p + "xb / " + TAU_MS)
                .withEquation(p + "bst", "0 * " + p + "bst")
                .withEquation(p + "flagE", "0 * " + p + "flagE")
                .withEquation(p + "flagB", "0 * " + p + "flagB")
                .withEvent(EventSpec.of(eventKind(population), p + "flagE > 0.5", p + "flagE = 0")
                        .withDetection(Detection.STEP_END))
                .withEvent(EventSpec.of(burstKind(population), p + "flagB > 0.5", p + "flagB = 0")
                        .withDetection(Detection.STEP_END));
    }

    /**
     * @param population the population's name
     * @return the variables {@link #fragment} declares, to list in the population
     */
    public static java.util.List<String> variables(final String population) {
        final String p = population + "_";
        return java.util.List.of(p + "xb", p + "bst", p + "flagE", p + "flagB");
    }

    /**
     * The statements every spike of the population runs in its reset (in this order: classify, set the state, then
     * increment the trace).
     *
     * @param population the population's name
     * @return the statements, {@code ;}-separated
     */
    public static String onSpike(final String population) {
        final String p = population + "_";
        return p + "flagE = " + p + "xb < exp(-1); "
                + p + "flagB = (" + p + "xb >= exp(-1)) * (" + p + "bst == 1); "
                + p + "bst = " + p + "flagE + 2 * " + p + "flagB + " + p + "bst * (1 - " + p + "flagE) * (1 - "
                + p + "flagB); "
                + p + "xb += 1";
    }
}
