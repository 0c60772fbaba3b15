package org.neurode.core.expr;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.EventAction;
import org.neurode.core.EventDetector;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.spec.ExprSpec;

/**
 * Populations that only send spikes (a Poisson group, a spike generator), as event detectors checked at step ends:
 * their event {@code spike} is named after the population and has no reset. They draw or look up their members in
 * each step of a fixed-step run (Brian2's clock); an adaptive solver checks them at the end of each of its steps.
 */
final class SpikeSources {

    private SpikeSources() {
    }

    /** What a source of spikes answers as a detector: no switching function, no reset, checked at step ends. */
    private abstract static class Source implements EventDetector {
        /** The population's name, which is its event's. */
        final String name;

        Source(final String name) {
            this.name = name;
        }

        @Override
        public final String name() {
            return name;
        }

        @Override
        public final double g(final int member, final double t, final double[] y) {
            return -1.0;
        }

        @Override
        public final boolean holds(final int member, final double t, final double[] y) {
            return false;
        }

        @Override
        public final EventAction onEvent(final int member, final double t, final double[] y) {
            return EventAction.CONTINUE;
        }

        @Override
        public final Detection detection() {
            return Detection.STEP_END;
        }

        @Override
        public final boolean external() {
            return true;
        }
    }

    /**
     * Member i fires in a step of length dt with probability {@code rate[i] * dt} (Brian2's {@code PoissonGroup}),
     * the rate fixed or evaluated at each step's start (a rate of the time {@code t}), drawn in member order from a generator seeded when the model was built: every run of the model draws the same
     * spikes.
     */
    static final class Poisson extends Source {
        /** The rate per member in 1 / time unit: fixed, or the values of the last step of a timed rate. */
        private final double[] rate;
        /** A rate that depends on the time (evaluated at each step start), or null. */
        private final ExprSpec timed;
        /** Whether the timed rate uses {@code i} or {@code N} (else it is evaluated once per step). */
        private final boolean perMember;
        private final java.util.Map<String, Double> parameters;
        private final String what;
        private final ValueEvaluator evaluator;
        private final long seed;
        private SplittableRandom random;

        /**
         * @param name the population's name
         * @param rate per member, in 1 / time unit (not negative)
         * @param seed the seed of the draws
         */
        Poisson(final String name, final double[] rate, final long seed) {
            this(name, rate, null, null, null, seed);
            for (int m = 0; m < rate.length; m++) {
                if (!(rate[m] >= 0) || Double.isInfinite(rate[m])) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "Poisson group '" + name + "': the rate of "
                            + "member " + m + " is " + rate[m] + "; it must be a finite number that is not negative");
                }
            }
        }

        /**
         * A rate that depends on the time, evaluated at the start of each step (Brian2 evaluates a
         * {@code PoissonGroup}'s rates at the step's time).
         *
         * @param name       the population's name
         * @param size       its members
         * @param rate       the rate in 1 / time unit: numbers, parameters, units, {@code i}, {@code N}, {@code t}
         * @param parameters the scalar parameters' values
         * @param what       what the rate is, for messages
         * @param seed       the seed of the draws
         */
        Poisson(final String name, final int size, final ExprSpec rate, final java.util.Map<String, Double> parameters,
                final String what, final long seed) {
            this(name, new double[size], rate, parameters, what, seed);
        }

        private Poisson(final String name, final double[] rate, final ExprSpec timed,
                        final java.util.Map<String, Double> parameters, final String what, final long seed) {
            super(name);
            this.rate = rate;
            this.timed = timed;
            this.perMember = timed != null && (ValueEvaluator.mentions(timed, "i") || ValueEvaluator.mentions(timed,
                    "N"));
            this.parameters = parameters;
            this.what = what;
            // a timed rate draws nothing (checked where it is declared): the evaluator's generator is unused
            this.evaluator = timed == null ? null : new ValueEvaluator(parameters, new SplittableRandom(0), what);
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.uniform = timed != null ? !perMember : java.util.Arrays.stream(rate).allMatch(r -> r == rate[0]);
        }

        /** Whether every member has the same rate at every step (then {@link #skipping} draws only the spikes). */
        private final boolean uniform;
        /** The probability of the gap sequence in progress, its log(1 - p) and the next firing index. */
        private double skipP = Double.NaN;
        private double logQ;
        private long next;

        @Override
        public EventDetector bind(final Parameters parameters, final double[] inputs) {
            return timed == null ? new Poisson(name, rate, null, null, null, seed)
                    : new Poisson(name, new double[rate.length], timed, this.parameters, what, seed);
        }

        /**
         * Restarts the draws from the group's own seed mixed with a run seed ({@code Simulation.reseedNoise}), so
         * that a driver that reseeds at the start of each segment of a run (an example, an epoch) makes the spikes
         * of a segment depend only on the group and that seed: a run resumed from a checkpoint there draws the
         * spikes of an uninterrupted one. The gap sequence in progress is dropped (the next step draws a new one).
         */
        @Override
        public void reseed(final long runSeed) {
            random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (runSeed + 1)));
            skipP = Double.NaN;
        }

        /** The rates at time {@code t}, checked; no allocation. */
        private void evaluate(final double t) {
            final int n = rate.length;
            if (perMember) {
                for (int m = 0; m < n; m++) {
                    rate[m] = checked(evaluator.at(timed, m, n, t), m, t);
                }
            } else if (n > 0) {
                java.util.Arrays.fill(rate, checked(evaluator.at(timed, 0, n, t), -1, t));
            }
        }

        private double checked(final double r, final int member, final double t) {
            if (!(r >= 0) || Double.isInfinite(r)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + (member >= 0 ? " for member " + member : "")
                        + " is " + r + " at t = " + t + "; it must be a finite number that is not negative");
            }
            return r;
        }

        @Override
        public int size() {
            return rate.length;
        }

        @Override
        public int stepEndMembers(final double t, final double[] y, final double[] refractoryUntil,
                                  final double stepStart, final int[] out) {
            final double dt = t - stepStart;
            if (timed != null) {
                evaluate(stepStart);
            }
            if (uniform) {
                return skipping(rate.length == 0 ? 0.0 : rate[0] * dt, out);
            }
            int c = 0;
            for (int m = 0; m < rate.length; m++) {
                if (random.nextDouble() < rate[m] * dt) {
                    out[c++] = m;
                }
            }
            return c;
        }

        /**
         * One step of members that all fire with probability {@code p}: the trials of all members and steps form one
         * Bernoulli sequence, and the gap to the next success is geometric, {@code floor(ln U / ln(1 - p))} failures
         * (inversion), so a step costs a draw per spike rather than per member (the backgrounds of large networks:
         * 0.05 per member and step at 500 Hz and 0.1 ms). The gap left over at the end of a step carries into the
         * next, which is exact for a memoryless sequence while p stays the same; a step with another p draws a new
         * gap. Members come out in increasing order, as from the loop over members.
         */
        private int skipping(final double p, final int[] out) {
            final int n = rate.length;
            if (p != skipP) {
                skipP = p;
                logQ = p < 1 ? Math.log1p(-Math.min(p, 1.0)) : Double.NEGATIVE_INFINITY;
                next = p <= 0 ? Long.MAX_VALUE : gap();
            }
            if (p <= 0) {
                return 0;
            }
            int c = 0;
            while (next < n) {
                out[c++] = (int) next;
                next += 1 + gap();
            }
            next -= n;
            return c;
        }

        /** @return failures before the next success of the Bernoulli sequence of {@link #skipping} */
        private long gap() {
            if (logQ == Double.NEGATIVE_INFINITY) {
                return 0;                                   // p >= 1: every member fires
            }
            final double g = Math.floor(Math.log(1.0 - random.nextDouble()) / logQ);
            return g < 1e15 ? (long) g : Long.MAX_VALUE / 2;
        }

        @Override
        public String toString() {
            return "Poisson group '" + name + "' (" + rate.length + " members)";
        }
    }

    /**
     * Member {@code indices[k]} fires in the step n with {@code floor((times[k] + dt / 1000) / dt) = n} (Brian2's
     * {@code SpikeGeneratorGroup}): in the step from t to t + dt if {@code t - dt / 1000 <= times[k] < t + dt -
     * dt / 1000};
     * spikes before the run's start are left out, two spikes of one member in one step are an error.
     */
    static final class Generator extends Source {
        private final int size;
        /** Spikes sorted by time, then member. */
        private final int[] members;
        private final double[] times;
        /** The next spike to fire. */
        private int next;
        /** Per member, the start of the step of its last spike (to find a member twice in one step). */
        private final double[] lastStart;
        private boolean started;

        Generator(final String name, final int size, final int[] indices, final double[] spikeTimes) {
            super(name);
            this.size = size;
            final Integer[] order = IntStream.range(0, indices.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(k -> spikeTimes[k])
                    .thenComparingInt(k -> indices[k]));
            this.members = new int[indices.length];
            this.times = new double[indices.length];
            for (int k = 0; k < order.length; k++) {
                members[k] = indices[order[k]];
                times[k] = spikeTimes[order[k]];
            }
            this.lastStart = new double[size];
            Arrays.fill(lastStart, Double.NaN);
        }

        private Generator(final Generator g) {
            super(g.name);
            this.size = g.size;
            this.members = g.members;
            this.times = g.times;
            this.lastStart = new double[size];
            Arrays.fill(lastStart, Double.NaN);
        }

        @Override
        public EventDetector bind(final Parameters parameters, final double[] inputs) {
            return new Generator(this);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int stepEndMembers(final double t, final double[] y, final double[] refractoryUntil,
                                  final double stepStart, final int[] out) {
            // Brian2's bins: floor((time + dt / 1000) / dt) = n, i.e. times from t_n - dt / 1000 to below
            // t_n+1 - dt / 1000 (the shift keeps a time written as a multiple of dt in its own step)
            final double until = stepStart + 0.999 * (t - stepStart);
            if (!started) {
                started = true;
                final double from = stepStart - 0.001 * (t - stepStart);
                while (next < times.length && times[next] < from) {
                    next++;                                         // before the run's start
                }
            }
            int c = 0;
            while (next < times.length && times[next] < until) {
                final int m = members[next++];
                if (lastStart[m] == stepStart) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "spike generator '" + name + "': member " + m
                            + " has two spikes in the step starting at t = " + stepStart + "; give them at least one "
                            + "step apart");
                }
                lastStart[m] = stepStart;
                out[c++] = m;
            }
            if (c > 1) {
                Arrays.sort(out, 0, c);
            }
            return c;
        }

        @Override
        public String toString() {
            return "spike generator '" + name + "' (" + size + " members, " + times.length + " spikes)";
        }
    }
}
