package org.neurode.models.experiment.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.models.LifPopulation;
import org.neurode.models.ThreeCompartmentPopulation;

/**
 * The models {@code neurode simulate --model} offers, each with a set-up that makes something happen.
 *
 * @since 0.1
 */
public enum ModelChoice {

    /**
     * {@link LifPopulation#standard(int)}: leaky integrate-and-fire neurons with constant drives from
     * 10 mV (neuron 0) to 30 mV (last neuron), so neurons fire regularly at rates rising with their index.
     */
    LIF("lif", 100) {
        @Override
        public Scenario scenario(final int n, final long seed, final double tEnd) {
            final Model model = LifPopulation.standard(n);
            final Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("drive", "constant, linear from 10 mV (neuron 0) to 30 mV (neuron n-1)");
            return new Scenario(model, List.of(), spread("v", n),
                                Map.of("v", "membrane potential v"), setup, true);
        }
    },

    /**
     * {@link ThreeCompartmentPopulation}: rate neurons whose basal weights learn to predict the somatic
     * potential. Every {@value #PATTERN_INTERVAL} ms the next of {@value #PATTERNS} random input patterns
     * arrives (cyclically): rates {@code x} uniform in [0, 1] and apical potentials {@code a = T x} from a
     * fixed random teacher matrix {@code T}; initial weights are random. All random numbers come from the
     * seed.
     */
    THREE_COMPARTMENT("three-compartment", 20) {
        @Override
        public Scenario scenario(final int n, final long seed, final double tEnd) {
            final SplittableRandom random = new SplittableRandom(seed);
            final double[] weights = new double[n * INPUTS];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = INITIAL_WEIGHT_SD * random.nextGaussian();
            }
            final double[] teacher = new double[n * INPUTS];
            for (int i = 0; i < teacher.length; i++) {
                teacher[i] = TEACHER_WEIGHT_SD * random.nextGaussian();
            }
            final Model model = ThreeCompartmentPopulation.create(n, INPUTS, LEARNING_RATE, weights);
            final Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("inputs", INPUTS);
            setup.put("patternInterval", PATTERN_INTERVAL);
            setup.put("patterns", PATTERNS + " random patterns, presented in turn");
            setup.put("x", "uniform(0, 1) per pattern");
            setup.put("a", "T x, teacher T ~ normal(0, " + TEACHER_WEIGHT_SD + ")");
            setup.put("initialWeights", "normal(0, " + INITIAL_WEIGHT_SD + ")");
            final double[][] x = new double[PATTERNS][INPUTS];
            final double[][] a = new double[PATTERNS][n];
            for (int p = 0; p < PATTERNS; p++) {
                for (int j = 0; j < INPUTS; j++) {
                    x[p][j] = random.nextDouble();
                }
                for (int i = 0; i < n; i++) {
                    double sum = 0.0;
                    for (int j = 0; j < INPUTS; j++) {
                        sum += teacher[i * INPUTS + j] * x[p][j];
                    }
                    a[p][i] = sum;
                }
            }
            final int switches = Math.max(1, (int) Math.ceil(tEnd / PATTERN_INTERVAL));
            final double[] times = new double[switches];
            final double[][] xs = new double[switches][];
            final double[][] as = new double[switches][];
            for (int k = 0; k < switches; k++) {
                times[k] = k * PATTERN_INTERVAL;
                xs[k] = x[k % PATTERNS];
                as[k] = a[k % PATTERNS];
            }
            final List<InputSchedule> inputs = List.of(new InputSchedule("x", times, xs),
                                                       new InputSchedule("a", times, as));
            final List<String> record = new ArrayList<>();
            record.add(range("u", n));
            record.add("vB[0]");
            record.add("vA[0]");
            record.add("W[0,0]");
            final Map<String, String> titles = Map.of("u", "somatic potential u", "vB", "basal dendritic potential vB",
                                                      "vA", "apical dendritic potential vA",
                                                      "W", "basal weight W (learning)");
            return new Scenario(model, inputs, record, titles, setup, false);
        }
    };

    /** Feedforward inputs of the three-compartment set-up. */
    public static final int INPUTS = 10;
    /** Learning rate of the three-compartment set-up (1/ms). */
    public static final double LEARNING_RATE = 0.01;
    /** Time between input patterns of the three-compartment set-up (ms). */
    public static final double PATTERN_INTERVAL = 20.0;
    /** Number of distinct input patterns; they repeat cyclically so that the weights can learn them. */
    public static final int PATTERNS = 10;
    /** Standard deviation of the initial basal weights. */
    public static final double INITIAL_WEIGHT_SD = 0.3;
    /** Standard deviation of the teacher weights that make the apical input. */
    public static final double TEACHER_WEIGHT_SD = 1.0;

    /** Most elements recorded by default per block ({@code u[0..4]}). */
    private static final int DEFAULT_TRACES = 5;

    private final String label;
    private final int defaultSize;

    ModelChoice(final String label, final int defaultSize) {
        this.label = label;
        this.defaultSize = defaultSize;
    }

    /**
     * Builds the set-up.
     *
     * @param n    population size (positive)
     * @param seed seed of the set-up's random numbers (initial weights, input patterns)
     * @param tEnd end time of the run (ms); input schedules cover it
     * @return the scenario
     */
    public abstract Scenario scenario(int n, long seed, double tEnd);

    /**
     * The size of the model's state for {@code n} neurons, known before the model is built (for the memory
     * estimate of {@code neurode simulate}).
     *
     * @param n population size
     * @return state variables and inputs
     */
    public long stateSize(final long n) {
        return this == LIF ? 2 * n : n * (4L + 2 * INPUTS) + INPUTS;
    }

    /** @return the name on the command line, e.g. {@code three-compartment} */
    public String label() {
        return label;
    }

    /** @return the population size used when {@code --n} is not given */
    public int defaultSize() {
        return defaultSize;
    }

    /**
     * @param name a model name (case-insensitive)
     * @return the model choice
     * @throws IllegalArgumentException listing the valid names if there is none of that name
     */
    public static ModelChoice of(final String name) {
        final String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (final ModelChoice m : values()) {
            if (m.label.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; available models: " + String.join(", ",
                labels()));
    }

    /** @return the names of all choices */
    public static List<String> labels() {
        final List<String> names = new ArrayList<>();
        for (final ModelChoice m : values()) {
            names.add(m.label);
        }
        return names;
    }

    /** Elements spread over the population (the lif drive grows with the index, so these fire differently). */
    private static List<String> spread(final String block, final int n) {
        final List<String> names = new ArrayList<>();
        int previous = -1;
        for (int k = 0; k < DEFAULT_TRACES; k++) {
            final int i = (int) Math.round(k * (n - 1) / (DEFAULT_TRACES - 1.0));
            if (i != previous) {
                names.add(block + "[" + i + "]");
                previous = i;
            }
        }
        return names;
    }

    private static String range(final String block, final int n) {
        final int last = Math.min(n, DEFAULT_TRACES) - 1;
        return last == 0 ? block + "[0]" : block + "[0.." + last + "]";
    }
}
