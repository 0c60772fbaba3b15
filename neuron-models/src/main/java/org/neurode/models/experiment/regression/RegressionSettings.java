package org.neurode.models.experiment.regression;

/**
 * Everything that defines a regression run (and must match when a run is resumed), except the number of
 * patterns, which a resumed run may extend.
 *
 * @param seed              run seed; every random stream is derived from it (see {@link Streams})
 * @param solver            solver name ({@code euler-maruyama} or {@code exponential-euler})
 * @param dt                step size (ms)
 * @param patterns          training patterns in total
 * @param testEvery         patterns between test points
 * @param learningRateScale factor on the paper's learning rates (1 with {@code --paper})
 * @param backpropRate      SGD learning rate of the backprop baseline
 * @param studentHidden     hidden size of the student (50 in the paper)
 * @param teacherHidden     hidden size of the teacher (20 in the paper)
 * @param heldOut           size of the fixed held-out set measured at the start and the end
 * @param patternMs         presentation time of a pattern (ms; 100 in the paper)
 * @param emaAlpha          weight of a new test error in the moving average (per test point)
 * @param heldOutEvery      patterns between two measurements of the held-out error (the curve of the figure)
 * @since 0.1
 */
public record RegressionSettings(long seed, String solver, double dt, long patterns, int testEvery,
                                 double learningRateScale, double backpropRate, int studentHidden,
                                 int teacherHidden, int heldOut, double patternMs, double emaAlpha,
                                 int heldOutEvery) {

    /**
     * Learning-rate factor of the default (not {@code --paper}) run. Measured on seed 1 over 25,000
     * patterns (exponential Euler, dt 0.5 ms; and 30,000 with Euler-Maruyama at dt 0.1 ms): x100 learns
     * visibly and stays stable; x200 and x300 blow up at
     * pattern 23,846, x600 at 6,508, x1000 (Euler-Maruyama, dt 0.1 ms) at 20,537 (a runaway of the
     * unbounded soft-plus loop through the apical dendrites, see docs/microcircuit.md).
     */
    public static final double DEFAULT_LEARNING_RATE_SCALE = 100.0;
    /**
     * SGD learning rate of the backprop baseline: on seed 1 the held-out error falls from 0.154 to 0.011 in
     * 20,000 patterns with 10; 3 is slower (0.022), 30 and 100 diverge (saturated units).
     */
    public static final double DEFAULT_BACKPROP_RATE = 10.0;
    /**
     * Default weight of a new test error in the moving average: the squared errors of single patterns are
     * heavy-tailed (up to about 40 times the mean), so the average spans about 50 test points.
     */
    public static final double DEFAULT_EMA_ALPHA = 0.02;
    /** Default size of the held-out set. */
    public static final int DEFAULT_HELD_OUT = 100;
    /** The stochastic fixed-step solvers a regression runs with. */
    public static final java.util.List<String> SOLVERS = java.util.List.of("euler-maruyama", "exponential-euler",
            "exponential-trapezoid");
    /**
     * Default patterns between held-out measurements per held-out pattern: one measurement of {@code heldOut}
     * patterns every {@code 10 heldOut} training patterns. Measured with the default solver (Euler-Maruyama,
     * dt 0.1 ms; three interleaved pairs of 300-pattern runs with 2 and with 202 held-out tests): testing one
     * held-out pattern (both circuits and backprop, 100 ms, no plasticity or noise) costs 0.42-0.73 of a
     * training pattern, so the held-out curve adds 4-7 % to the run (1,000 patterns apart for the default set of
     * 100: 30 points over the default 30,000 patterns).
     */
    public static final int HELD_OUT_EVERY_PER_PATTERN = 10;

    /**
     * Validates the settings.
     *
     * @param seed              seed
     * @param solver            solver
     * @param dt                step
     * @param patterns          patterns
     * @param testEvery         test interval
     * @param learningRateScale learning-rate factor
     * @param backpropRate      backprop learning rate
     * @param studentHidden     student hidden size
     * @param teacherHidden     teacher hidden size
     * @param heldOut           held-out set size
     * @param patternMs         pattern duration
     * @param emaAlpha          EMA weight
     * @param heldOutEvery      patterns between held-out measurements
     */
    public RegressionSettings {
        if (!(dt > 0) || !(patternMs > 0) || !(learningRateScale >= 0) || !(backpropRate >= 0)) {
            throw new IllegalArgumentException("dt, pattern duration must be positive and learning rates not "
                    + "negative: dt " + dt + ", pattern " + patternMs + ", scale " + learningRateScale
                    + ", backprop " + backpropRate);
        }
        if (patterns < 0 || testEvery <= 0 || studentHidden <= 0 || teacherHidden <= 0 || heldOut <= 0) {
            throw new IllegalArgumentException("patterns must not be negative and test interval, layer sizes "
                    + "and held-out set must be positive");
        }
        if (!(emaAlpha > 0 && emaAlpha <= 1)) {
            throw new IllegalArgumentException("EMA weight must be in (0, 1]: " + emaAlpha);
        }
        if (heldOutEvery <= 0) {
            throw new IllegalArgumentException("--held-out-every must be positive: " + heldOutEvery);
        }
    }

    /**
     * Settings with the default held-out interval, {@link #defaultHeldOutEvery}{@code (heldOut)}.
     *
     * @param seed              seed
     * @param solver            solver
     * @param dt                step
     * @param patterns          patterns
     * @param testEvery         test interval
     * @param learningRateScale learning-rate factor
     * @param backpropRate      backprop learning rate
     * @param studentHidden     student hidden size
     * @param teacherHidden     teacher hidden size
     * @param heldOut           held-out set size
     * @param patternMs         pattern duration
     * @param emaAlpha          EMA weight
     */
    public RegressionSettings(final long seed, final String solver, final double dt, final long patterns,
                              final int testEvery, final double learningRateScale, final double backpropRate,
                              final int studentHidden, final int teacherHidden, final int heldOut,
                              final double patternMs, final double emaAlpha) {
        this(seed, solver, dt, patterns, testEvery, learningRateScale, backpropRate, studentHidden, teacherHidden,
                heldOut, patternMs, emaAlpha, defaultHeldOutEvery(heldOut));
    }

    /**
     * @param heldOut size of the held-out set
     * @return the default patterns between held-out measurements: {@value #HELD_OUT_EVERY_PER_PATTERN} per
     *         held-out pattern (4-7 % of the run's time)
     */
    public static int defaultHeldOutEvery(final int heldOut) {
        return (int) Math.min(Integer.MAX_VALUE, (long) HELD_OUT_EVERY_PER_PATTERN * heldOut);
    }

    /**
     * @param every patterns between held-out measurements
     * @return a copy
     */
    public RegressionSettings withHeldOutEvery(final int every) {
        return new RegressionSettings(seed, solver, dt, patterns, testEvery, learningRateScale, backpropRate,
                studentHidden, teacherHidden, heldOut, patternMs, emaAlpha, every);
    }

    /**
     * @param step step size (ms)
     * @return a copy
     */
    public RegressionSettings withDt(final double step) {
        return new RegressionSettings(seed, solver, step, patterns, testEvery, learningRateScale, backpropRate,
                studentHidden, teacherHidden, heldOut, patternMs, emaAlpha, heldOutEvery);
    }

    /**
     * @param n total number of patterns
     * @return a copy
     */
    public RegressionSettings withPatterns(final long n) {
        return new RegressionSettings(seed, solver, dt, n, testEvery, learningRateScale, backpropRate,
                studentHidden, teacherHidden, heldOut, patternMs, emaAlpha, heldOutEvery);
    }

    /** @return true if the published learning rates are used unscaled */
    public boolean paper() {
        return learningRateScale == 1.0;
    }
}
