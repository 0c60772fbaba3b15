package org.neurode.models.credit;

/**
 * A learning rule of the comparison: it makes, for a task, the task's student trained by this rule. The task
 * fixes the architecture ({@link Task#network}: layer sizes, rate functions, the reference learning rates of
 * backprop); a rule keeps the sizes wherever its model allows, draws its forward weights from
 * {@link LearningRun#studentRandom} in the order of {@link LayeredNetwork#forwardWeights} so that every rule starts
 * from the same weights where the shapes agree, and its fixed feedback weights from
 * {@link LearningRun#feedbackRandom}. Rules are stateless and thread-safe; learners are not.
 *
 * @since 0.1
 */
public interface Rule {

    /** @return the name as the command line spells it, e.g. {@code burstprop} */
    String label();

    /** @return one line: what the rule sends to the hidden layers, and the paper */
    String description();

    /**
     * @param task a task
     * @return null if the rule can learn the task, else why not (e.g. Kickback needs one output)
     */
    default String notApplicable(final Task task) {
        return null;
    }

    /**
     * The task's student trained by this rule.
     *
     * @param task      the task
     * @param seed      the student seed (initial and feedback weights)
     * @param rateScale multiplies every learning rate of the rule's default for the task (1: the default); the
     *                  comparison's learning-rate scan varies it
     * @return a new learner
     * @throws IllegalArgumentException if the rule does not apply to the task ({@link #notApplicable})
     */
    Learner learner(Task task, long seed, double rateScale);
}
