package org.neurode.models.experiment.learning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Settings of a comparison of learning rules ({@link CompareLearning}).
 *
 * @param rules      the rules by label ({@link org.neurode.models.credit.Rules#of}), in the order of the report:
 *                   {@code backprop} (Rumelhart et al. 1986), {@code feedback-alignment} (Lillicrap et al. 2016),
 *                   {@code direct-feedback-alignment} (Nøkland 2016), {@code kickback} (Balduzzi et al. 2015),
 *                   {@code shallow}, {@code burstprop} and {@code ensemble} (Payeur et al. 2021),
 *                   {@code microcircuit-steady} and {@code microcircuit} (Sacramento et al. 2018),
 *                   {@code segregated-dendrites}, {@code segregated-dendrites-symmetric} and their
 *                   {@code -steady} forms (Guerguiev, Lillicrap and Richards 2017)
 * @param tasks      the tasks ({@link CompareLearning#TASKS}): {@code linear}, {@code nonlinear}, {@code scalar},
 *                   {@code xor}, {@code regression}, {@code fashion-mnist} (from {@code data}),
 *                   {@code fashion-mnist-subset} (the images bundled with neurode)
 * @param seeds      seeds per rule and task: {@code seed .. seed + seeds - 1} (each draws its own teacher and
 *                   student)
 * @param seed       the first seed; the learning-rate scan runs on it
 * @param budget     training patterns per run
 * @param testEvery  patterns between tests, also between checkpoints; null for {@code max(1, budget / 20)}
 * @param rateScales learning-rate factors: with two or more, each rule's factor is chosen per task by a scan on the
 *                   first seed (lowest validation error, the first of equals); with one, that factor
 * @param scanBudget patterns per scan run; null for {@code budget}
 * @param data       folder of the Fashion-MNIST IDX files for the task {@code fashion-mnist}; null for the Debian
 *                   package {@code dataset-fashion-mnist}'s {@code /usr/share/datasets/fashion-mnist}
 * @param hidden     hidden layer sizes of the image tasks; {@code [0]} for none (a single-layer network)
 * @param threads    runs in parallel; null for all cores (does not change the numbers)
 * @since 0.7
 */
public record CompareLearningSettings(List<String> rules, List<String> tasks, int seeds, long seed, int budget,
                                      Integer testEvery, List<Double> rateScales, Integer scanBudget, String data,
                                      List<Integer> hidden, Integer threads) {

    /**
     * Copies the lists (unmodifiable; null stays null, for {@link CompareLearning#validate} to name).
     *
     * @param rules      rules
     * @param tasks      tasks
     * @param seeds      seeds per rule and task
     * @param seed       first seed
     * @param budget     patterns per run
     * @param testEvery  test interval
     * @param rateScales learning-rate factors
     * @param scanBudget patterns per scan run
     * @param data       data folder
     * @param hidden     hidden sizes of the image tasks
     * @param threads    threads
     */
    public CompareLearningSettings {
        rules = copy(rules);
        tasks = copy(tasks);
        rateScales = copy(rateScales);
        hidden = copy(hidden);
    }

    private static <T> List<T> copy(final List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
