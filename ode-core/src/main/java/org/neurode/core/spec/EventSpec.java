package org.neurode.core.spec;

import java.util.List;
import java.util.Objects;

import org.neurode.core.Detection;

/**
 * An event kind of a population (Brian2's threshold, reset and refractoriness, and its custom events): member
 * {@code i} fires when the threshold condition becomes true for its elements, the reset statements run on its
 * elements, and for the refractory period it cannot fire again while the equations marked
 * {@code (unless refractory)} ({@link EquationSpec#unlessRefractory()}) hold its elements still.
 *
 * <p>The members are the rows of the threshold condition: an n x 1 condition (it mentions a vector of n
 * elements) gives n members; every variable a statement assigns has n x 1 elements. Several kinds of events may
 * watch one population (a spike and a burst), each with its own name.
 *
 * @param name       the event's name ({@code spike}, {@code burst}); unique in a model; names the detector in
 *                   event logs and spike monitors
 * @param threshold  the condition: a comparison ({@code v > VT + 5*DeltaT}) or {@code and}/{@code or}/{@code not}
 *                   of comparisons, so that the crossing can be located by root finding
 * @param reset      the statements run for each member that fires, in order ({@code v = Vr; w += b})
 * @param refractory the refractory period in the time unit: a number or an expression of numbers, parameters
 *                   (also per-element ones), {@code i} and {@code N}, evaluated per member when a run starts; 0
 *                   for none
 * @param detection  how the crossing is located; {@link Detection#AUTO} (root finding on adaptive solvers,
 *                   step ends on fixed-step ones) by default
 * @since 0.4
 */
public record EventSpec(String name, ExprSpec threshold, List<StatementSpec> reset, ExprSpec refractory,
                        Detection detection) {

    /** The name of the event of a {@code threshold} line. */
    public static final String SPIKE = "spike";

    /**
     * @param name       name
     * @param threshold  condition
     * @param reset      statements (copied)
     * @param refractory refractory period
     * @param detection  detection mode
     */
    public EventSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(threshold, "threshold");
        reset = List.copyOf(reset);
        Objects.requireNonNull(refractory, "refractory");
        Objects.requireNonNull(detection, "detection");
    }

    /**
     * An event without refractory period, located as the solver does best ({@link Detection#AUTO}).
     *
     * @param name      name
     * @param threshold the condition as text ({@code v > VT})
     * @param reset     the statements as text ({@code v = Vr; w += b}; blank for none)
     * @return the event
     * @throws org.neurode.core.OdeException naming the column of a syntax error
     */
    public static EventSpec of(final String name, final String threshold, final String reset) {
        return new EventSpec(name, ExprText.parse(threshold), StatementSpec.parseAll(reset), new ExprSpec.Num(0.0),
                             Detection.AUTO);
    }

    /**
     * @param period the refractory period (time unit; an expression as in the record's description)
     * @return a copy with it
     */
    public EventSpec withRefractory(final ExprSpec period) {
        return new EventSpec(name, threshold, reset, period, detection);
    }

    /**
     * @param period the refractory period as text ({@code 2}, {@code tref}, {@code 2 * ms})
     * @return a copy with it
     */
    public EventSpec withRefractory(final String period) {
        return withRefractory(ExprText.parse(period));
    }

    /**
     * @param mode detection mode
     * @return a copy with it
     */
    public EventSpec withDetection(final Detection mode) {
        return new EventSpec(name, threshold, reset, refractory, mode);
    }

    /** @return true if the refractory period is the number 0 (none) */
    public boolean hasNoRefractory() {
        return refractory instanceof ExprSpec.Num n && n.value() == 0.0;
    }
}
