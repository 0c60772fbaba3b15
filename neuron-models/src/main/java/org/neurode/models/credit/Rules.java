package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The learning rules neurode compares, by name: the {@link Feedback} rules of a {@link LayeredNetwork} (backprop,
 * feedback alignment, direct feedback alignment, Kickback, the shallow learner), then the rules with their own
 * network models: {@link Burstprop} ({@code burstprop}) and {@link EnsembleNetwork} ({@code ensemble}).
 *
 * @since 0.1
 */
public final class Rules {

    private static final List<Rule> ALL;

    static {
        final List<Rule> all = new ArrayList<>();
        for (final Feedback f : Feedback.values()) {
            all.add(layered(f));
        }
        all.add(burstprop());
        all.add(ensemble());
        all.add(MicrocircuitLearner.rule(MicrocircuitLearner.Form.STEADY_STATE));
        all.add(MicrocircuitLearner.rule(MicrocircuitLearner.Form.FULL));
        ALL = Collections.unmodifiableList(all);
    }

    private Rules() {
    }

    /** @return every rule, in the order the comparison reports them */
    public static List<Rule> all() {
        return ALL;
    }

    /**
     * @param label a rule's name as {@link Rule#label()} spells it
     * @return the rule
     * @throws IllegalArgumentException naming the known rules if there is none of that name
     */
    public static Rule of(final String label) {
        for (final Rule r : ALL) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final Rule r : ALL) {
            known.append(known.length() == 0 ? "" : ", ").append(r.label());
        }
        throw new IllegalArgumentException("unknown rule '" + label + "'; known: " + known);
    }

    /**
     * @param feedback how the network's hidden layers get their error
     * @return the rule that trains the task's {@link LayeredNetwork} with it
     */
    public static Rule layered(final Feedback feedback) {
        return new Rule() {
            @Override
            public String label() {
                return feedback.label();
            }

            @Override
            public String description() {
                return feedback.description();
            }

            @Override
            public String notApplicable(final Task task) {
                return task.notApplicable(feedback);
            }

            @Override
            public Learner learner(final Task task, final long seed, final double rateScale) {
                final String why = notApplicable(task);
                if (why != null) {
                    throw new IllegalArgumentException(why);
                }
                LayeredNetwork.Config c = task.network(feedback);
                final double[] eta = c.learningRates();
                for (int i = 0; i < eta.length; i++) {
                    eta[i] *= rateScale;
                }
                c = c.withLearningRates(eta);
                return new LayeredNetwork(c, LearningRun.studentRandom(seed), LearningRun.feedbackRandom(seed));
            }

            @Override
            public String toString() {
                return label();
            }
        };
    }

    /**
     * @return burstprop (Payeur et al. 2021) on the task's student, {@link Burstprop.Config#forTask}: the forward
     *         weights of backprop's student, Y the feedback-alignment matrices of the seed
     */
    public static Rule burstprop() {
        return new Rule() {
            @Override
            public String label() {
                return Burstprop.LABEL;
            }

            @Override
            public String description() {
                return "burst probabilities carry the error down through fixed random weights; one forward and one"
                        + " teacher pass (Payeur et al. 2021)";
            }

            @Override
            public Learner learner(final Task task, final long seed, final double rateScale) {
                return new Burstprop(Burstprop.Config.forTask(task, rateScale), LearningRun.studentRandom(seed),
                        LearningRun.feedbackRandom(seed));
            }

            @Override
            public String toString() {
                return label();
            }
        };
    }

    /**
     * @return the ensemble-multiplexing network (Richards, ICLR 2018 invited talk; the lab's time-stepped code) on
     *         the task's student, {@link EnsembleNetwork.Config#forTask}; not for linear hidden layers
     */
    public static Rule ensemble() {
        return new Rule() {
            @Override
            public String label() {
                return EnsembleNetwork.LABEL;
            }

            @Override
            public String description() {
                return "ensembles multiplex event and burst rates; one layer per time step, each learns from its"
                        + " burst-rate change after a one-step nudge (Richards 2018)";
            }

            @Override
            public String notApplicable(final Task task) {
                final String why = EnsembleNetwork.unsupported(task.network(Feedback.BACKPROP));
                return why == null ? null : why + " (task " + task.name() + ")";
            }

            @Override
            public Learner learner(final Task task, final long seed, final double rateScale) {
                final String why = notApplicable(task);
                if (why != null) {
                    throw new IllegalArgumentException(why);
                }
                return new EnsembleNetwork(EnsembleNetwork.Config.forTask(task, rateScale),
                        LearningRun.studentRandom(seed), LearningRun.feedbackRandom(seed));
            }

            @Override
            public String toString() {
                return label();
            }
        };
    }
}
