package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The learning rules neurode compares, by name: the {@link Feedback} rules of a {@link LayeredNetwork} (backprop,
 * feedback alignment, direct feedback alignment, Kickback, the shallow learner), then the rules with their own
 * network models: {@link Burstprop} ({@code burstprop}), {@link EnsembleNetwork} ({@code ensemble}), the dendritic
 * microcircuit in its steady-state and full forms ({@link MicrocircuitLearner}) and the segregated-dendrite network
 * of Guerguiev, Lillicrap and Richards (2017) with random and with symmetric feedback, integrated and at steady state
 * ({@link SegregatedDendrites}).
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
        all.add(segregatedDendrites(SegregatedDendrites.FeedbackMode.RANDOM));
        all.add(segregatedDendrites(SegregatedDendrites.FeedbackMode.SYMMETRIC));
        all.add(segregatedDendrites(SegregatedDendrites.FeedbackMode.RANDOM, SegregatedDendrites.Form.STEADY_STATE));
        all.add(segregatedDendrites(SegregatedDendrites.FeedbackMode.SYMMETRIC,
                SegregatedDendrites.Form.STEADY_STATE));
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

    /** Training patterns scanned to choose a segregated-dendrite network's input code. */
    private static final int INPUT_SCAN = 1000;
    /** The hidden layers' learning rates over the output's (measured: docs/credit-assignment.md). */
    private static final double HIDDEN_RATE = 30.0;
    /** The learning rates of a rate readout over a potential readout's (measured, ibid.). */
    private static final double RATE_READOUT = 0.01;

    /**
     * The segregated-dendrite network of Guerguiev, Lillicrap and Richards (2017, eLife 6:e22901) in its non-spiking
     * mode ({@link SegregatedDendrites}), on a task's student architecture (layer sizes). Its choices per task:
     * <ul>
     * <li>the readout: a potential (regression) for a linear output, a rate (classification) for a logistic or
     * softmax output; other output functions are not applicable;</li>
     * <li>the input code: lambdaMax x if the task's first 1,000 training inputs all lie in [0, 1] (the paper's
     * pixel rates), else lambdaMax sigma(x);</li>
     * <li>the forward weights: the shared ones of {@link LayeredNetwork#forwardWeights} in this network's units,
     * biases from 0; random feedback U(-s, s) / lambdaMax with the task's feedback scale s, from
     * {@link LearningRun#feedbackRandom};</li>
     * <li>the learning rates: eta_k = rateScale m_k eta_k^bp / {@link SegregatedDendrites.Config#outputRateFactor()}
     * with eta_k^bp backprop's rate of the task: at m_k = 1 the output layer's update at the sigmoid's steepest
     * point is backprop's (the paper's 0.21 is an effective 4.5e-3; the nonlinear task's 5e-3 gives 0.23). The
     * hidden layers' error passes three sigmoid slopes and the teaching attenuation, so they take m = 30; a rate
     * readout, taught with potentials of +-8 rather than the regression targets' order 1, takes a further 0.01
     * (both measured on seed 1; docs/credit-assignment.md).</li>
     * </ul>
     *
     * @param mode random (label {@code segregated-dendrites}) or symmetric feedback
     *             ({@code segregated-dendrites-symmetric}, the paper's weight-transport control)
     * @return the rule, in the {@link SegregatedDendrites.Form#FULL full} form (the compartments integrated)
     */
    public static Rule segregatedDendrites(final SegregatedDendrites.FeedbackMode mode) {
        return segregatedDendrites(mode, SegregatedDendrites.Form.FULL);
    }

    /**
     * The segregated-dendrite network in either form, with the choices of {@link #segregatedDendrites(
     * SegregatedDendrites.FeedbackMode)}: the same weights, learning rates and constants, so that the forms differ
     * only by the integration's distance from the steady state.
     *
     * @param mode random or symmetric feedback
     * @param form integrated ({@code segregated-dendrites}, {@code segregated-dendrites-symmetric}) or at steady
     *             state ({@code segregated-dendrites-steady}, {@code segregated-dendrites-symmetric-steady})
     * @return the rule
     */
    public static Rule segregatedDendrites(final SegregatedDendrites.FeedbackMode mode,
                                           final SegregatedDendrites.Form form) {
        final boolean symmetric = mode == SegregatedDendrites.FeedbackMode.SYMMETRIC;
        final boolean steady = form == SegregatedDendrites.Form.STEADY_STATE;
        final String label = "segregated-dendrites" + (symmetric ? "-symmetric" : "") + (steady ? "-steady" : "");
        return new Rule() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public String description() {
                final String what = symmetric ? "segregated dendrites with the transposed forward weights as"
                        + " broadcast feedback (the control of Guerguiev et al. 2017)"
                        : "plateau potentials of apical dendrites driven by fixed random broadcast feedback from the"
                        + " output, non-spiking mode (Guerguiev et al. 2017)";
                return what + (steady ? "; compartments at their closed-form steady states" : "");
            }

            @Override
            public String notApplicable(final Task task) {
                final LayeredNetwork.Config c = task.network(Feedback.BACKPROP);
                if (c.layers() < 2) {
                    return label + " needs a hidden layer (task " + task.name() + ")";
                }
                if (readout(c) == null) {
                    return label + " reads its output as a potential (linear output) or a rate (logistic or"
                            + " softmax), not " + c.output().label() + " (task " + task.name() + ")";
                }
                return null;
            }

            @Override
            public Learner learner(final Task task, final long seed, final double rateScale) {
                final String why = notApplicable(task);
                if (why != null) {
                    throw new IllegalArgumentException(why);
                }
                final LayeredNetwork.Config c = task.network(Feedback.BACKPROP);
                final double[] eta = c.learningRates();
                final SegregatedDendrites.Config probe = SegregatedDendrites.Config.paper(c.sizes(), readout(c),
                        SegregatedDendrites.InputCode.LINEAR, mode, eta, c.feedbackScale());
                final double readoutScale = readout(c) == SegregatedDendrites.Readout.RATE ? RATE_READOUT : 1.0;
                for (int i = 0; i < eta.length; i++) {
                    eta[i] *= rateScale * readoutScale * (i < eta.length - 1 ? HIDDEN_RATE : 1.0)
                            / probe.outputRateFactor();
                }
                final SegregatedDendrites.Config sd = SegregatedDendrites.Config.paper(c.sizes(), readout(c),
                        inputCode(task), mode, eta, c.feedbackScale()).withForm(form);
                return new SegregatedDendrites(sd, label,
                        LayeredNetwork.forwardWeights(c, LearningRun.studentRandom(seed)),
                        LearningRun.feedbackRandom(seed));
            }

            @Override
            public String toString() {
                return label;
            }
        };
    }

    private static SegregatedDendrites.Readout readout(final LayeredNetwork.Config c) {
        if (c.loss() == LayeredNetwork.Loss.SOFTMAX_CROSS_ENTROPY || c.output().kind() == Activation.Kind.LOGISTIC) {
            return SegregatedDendrites.Readout.RATE;
        }
        return c.output().kind() == Activation.Kind.LINEAR ? SegregatedDendrites.Readout.POTENTIAL : null;
    }

    /** lambdaMax x if the first training inputs lie in [0, 1], else lambdaMax sigma(x). */
    private static SegregatedDendrites.InputCode inputCode(final Task task) {
        final Task own = task.copy();
        final double[] x = new double[own.inputs()];
        final double[] t = new double[own.outputs()];
        for (int p = 0; p < INPUT_SCAN; p++) {
            own.trainingPattern(p, x, t);
            for (final double v : x) {
                if (!(v >= 0.0 && v <= 1.0)) {
                    return SegregatedDendrites.InputCode.LOGISTIC;
                }
            }
        }
        return SegregatedDendrites.InputCode.LINEAR;
    }
}
