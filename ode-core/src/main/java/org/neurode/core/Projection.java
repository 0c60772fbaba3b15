package org.neurode.core;

/**
 * The synapses of one projection at run time (compiled from a {@code ProjectionSpec}): its connectivity, stored
 * compressed by source member, its per-synapse variables, its compiled {@code on_pre} statements and its queue of
 * delayed spikes. A simulation binds it to a run ({@link #bind}), then, in every step that uses it, calls
 * {@link #spike} for each member of the source event that fires (after every event condition of the step was
 * evaluated, before the resets: Brian2's order thresholds, synapses, resets) and {@link #deliver} once.
 * Nothing allocates per spike or per step.
 *
 * @since 0.5
 */
public interface Projection {

    /** @return the projection's name */
    String name();

    /**
     * @return the name of the source event (a detector of the model), or null if the projection sends nothing
     *         (no {@code on_pre} statements and a source population without the event: only summed, clock-driven
     *         or {@code on_post} parts)
     */
    String sourceEvent();

    /**
     * @return the name of the target event whose members run the {@code on_post} statements, or null if the
     *         projection has none
     */
    default String targetEvent() {
        return null;
    }

    /**
     * A member of the target event fired: runs the {@code on_post} statements of its synapses (without delay).
     *
     * @param member the member of the target event (the population's index)
     * @param t      the event time
     * @param y      the state (modified)
     */
    default void postSpike(final int member, final double t, final double[] y) {
    }

    /**
     * @param variable a per-synapse variable
     * @return its current values in this run, per synapse (copied), or null if the projection has no such variable
     */
    default double[] values(final String variable) {
        return null;
    }

    /**
     * Replaces the current values of a per-synapse variable in this run (Brian2's {@code S.w[:] = values}), for
     * learning rules applied between runs of the network by a driver. Event-driven variables keep their last-update
     * times. Nothing allocates.
     *
     * @param variable a per-synapse variable
     * @param from     one value per synapse, in synapse order (by source, then target; copied, not modified)
     * @return false if the projection has no such variable
     * @throws IllegalArgumentException if {@code from} does not have one value per synapse
     * @since 0.6
     */
    default boolean setValues(final String variable, final double[] from) {
        return false;
    }

    /**
     * @return the names of the per-synapse variables, in declaration order (the indices of {@link #value}); empty
     *         if there are none
     * @since 0.5
     */
    default java.util.List<String> variables() {
        return java.util.List.of();
    }

    /**
     * The value stored for a synapse (event-driven variables as of the synapse's last update, not decayed to the
     * current time), read by recorders without allocating.
     *
     * @param variable index of the variable in {@link #variables()}
     * @param synapse  a synapse (0 to {@link #synapses()} - 1)
     * @return its current value in this run
     * @throws IndexOutOfBoundsException if either index is out of range
     * @since 0.5
     */
    default double value(final int variable, final int synapse) {
        throw new IndexOutOfBoundsException("projection '" + name() + "' has no synapse variable " + variable);
    }

    /**
     * @return true if the projection computes something at every step (summed variables, clock-driven synapse
     *         variables): then a fixed-step engine calls {@link #beforeStep} and {@link #afterStep} around each
     *         step, and other engines refuse it
     * @since 0.5
     */
    default boolean stepped() {
        return false;
    }

    /**
     * @return the inputs its summed variables set (names of input variables; empty if none)
     * @since 0.5
     */
    default java.util.List<String> summedInputs() {
        return java.util.List.of();
    }

    /**
     * Before a step from {@code t}: sets the inputs of the summed variables to their sums over the synapses, from
     * the state at the step start (Brian2's summed-variable updater, which runs before the state updaters).
     *
     * @param t the step start
     * @param y the state at the step start (not modified)
     * @since 0.5
     */
    default void beforeStep(final double t, final double[] y) {
    }

    /**
     * After a step from {@code t} of length {@code h}: advances the clock-driven synapse variables, reading the
     * state at the step end (Brian2 updates synapses after neuron groups), before the step's events.
     *
     * @param t the step start
     * @param h the step length
     * @param y the state at the step end (not modified)
     * @since 0.5
     */
    default void afterStep(final double t, final double h, final double[] y) {
    }

    /** @return the number of synapses */
    int synapses();

    /**
     * @param k a synapse (0 to {@link #synapses()} - 1, ordered by source, then target)
     * @return its source index within the source slice
     */
    int source(int k);

    /**
     * @param k a synapse
     * @return its target index within the target slice
     */
    int target(int k);

    /** @return true if some synapse has a delay (then it needs a fixed step: {@link #bind}) */
    boolean delayed();

    /**
     * @param variable the name of a per-synapse variable
     * @return its values per synapse at the start (copied), or null if the projection has no such variable
     */
    double[] initialValues(String variable);

    /**
     * A fresh copy for a run: the run's parameter values and input buffer, its own per-synapse variables and spike
     * queue.
     *
     * @param parameters the run's parameter values
     * @param inputs     the run's input buffer
     * @param step       the fixed step (time unit), or 0 for a solver that chooses its steps (then delays are
     *                   refused)
     * @return the bound projection
     * @throws OdeException if the projection has delays and {@code step} is 0
     */
    Projection bind(Parameters parameters, double[] inputs, double step);

    /**
     * A fresh copy for a run, with the run's seed: a projection whose statements draw random numbers
     * ({@code rand()}, {@code randn()}) starts its generator from the seed mixed with its position in the model.
     * By default {@link #bind(Parameters, double[], double)}.
     *
     * @param parameters the run's parameter values
     * @param inputs     the run's input buffer
     * @param step       the fixed step (time unit), or 0 for a solver that chooses its steps
     * @param seed       the run's seed (the solve options' seed)
     * @return the bound projection
     * @throws OdeException if the projection has delays or reads {@code dt} and {@code step} is 0
     * @since 0.6
     */
    default Projection bind(final Parameters parameters, final double[] inputs, final double step,
                            final long seed) {
        return bind(parameters, inputs, step);
    }

    /**
     * Restarts the generator of a bound projection whose statements draw random numbers from a new run seed, mixed
     * with its position as {@link #bind(Parameters, double[], double, long)} mixes it. By default nothing.
     *
     * @param seed the new run seed
     * @since 0.6
     */
    default void reseed(final long seed) {
    }

    /**
     * A member of the source event fired.
     *
     * @param member the member of the source event (the population's index)
     * @param t      the event time
     * @param y      the state (modified by statements of synapses without delay)
     */
    void spike(int member, double t, double[] y);

    /**
     * Runs the statements of the delayed spikes due at the step starting at {@code t}.
     *
     * @param t the step start
     * @param y the state (modified)
     * @return true if any statement ran
     */
    boolean deliver(double t, double[] y);
}
