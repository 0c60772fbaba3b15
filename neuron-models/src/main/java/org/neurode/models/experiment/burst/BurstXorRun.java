package org.neurode.models.experiment.burst;

import java.util.Arrays;
import java.util.Map;

import org.neurode.core.OdeException;
import org.neurode.models.burst.BurstXor;
import org.neurode.models.experiment.Checkpointable;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Progress;

/**
 * A training run of the spiking XOR network of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010, Fig. 4), new or restored from a checkpoint ({@link #restore}), with its protocol: a burn-in, a test
 * pass over the four patterns, {@code examples} training examples in the paper's order, a final test pass
 * ({@link BurstXorExperiment#continueRun} drives it). Between epochs its state is the network's
 * {@link BurstXor.Snapshot} and the measures so far; every segment of the protocol reseeds the network's
 * generators, so a run restored from that state ends with the numbers of an uninterrupted one.
 *
 * @since 0.7
 */
public final class BurstXorRun implements Checkpointable {

    /** The four input patterns. */
    private static final int PATTERNS = BurstXor.PATTERNS.length;

    private final BurstXorSettings settings;
    private final BurstXor network;
    private final long created;
    /** Rates and traces before and after training, [2][4] (Hz); NaN until measured. */
    private final double[][] before;
    private final double[][] after;
    private double[] costs;
    private int epochs;
    private int examplesDone;
    private boolean tested;
    private long done;
    private double epochCost;
    private String failure;

    /**
     * A new run: builds the network ({@link BurstXor}, forward Euler at 0.1 ms) at t = 0.
     *
     * @param settings the settings (checked with {@link BurstXorExperiment#validate})
     * @throws IllegalArgumentException if they are invalid
     */
    public BurstXorRun(final BurstXorSettings settings) {
        this(settings, 0, null, null, new double[0], null);
    }

    private BurstXorRun(final BurstXorSettings settings, final int examplesDone, final double[] rateBefore,
                        final double[] traceBefore, final double[] costPerEpoch, final BurstXor.Snapshot snapshot) {
        BurstXorExperiment.validate(settings);
        this.created = System.nanoTime();
        this.settings = settings;
        this.network = new BurstXor(settings.neurons(), settings.durex(), settings.modelSeed(), settings.seed(),
                settings.etaFactor(), snapshot);
        this.before = unmeasured();
        this.after = unmeasured();
        if (snapshot != null) {
            System.arraycopy(rateBefore, 0, before[0], 0, PATTERNS);
            System.arraycopy(traceBefore, 0, before[1], 0, PATTERNS);
            this.tested = true;
            this.done = PATTERNS + examplesDone;
        }
        this.examplesDone = examplesDone;
        this.costs = Arrays.copyOf(costPerEpoch, Math.max(4, costPerEpoch.length));
        this.epochs = costPerEpoch.length;
    }

    /**
     * Restores a run from the state it had between two epochs (after the test before training), as a checkpoint
     * holds it. The settings must be those of the saved run, except {@code examples}, which may be larger.
     *
     * @param settings     the settings
     * @param examplesDone training examples done (a multiple of 4, at most {@code examples})
     * @param rateBefore   the output's event rate per pattern before training (Hz; not modified)
     * @param traceBefore  its mean event trace per pattern before training (Hz; not modified)
     * @param costPerEpoch the cost of each epoch done (nats; not modified)
     * @param snapshot     the network then (not modified)
     * @return the run, ready to continue
     * @throws IllegalArgumentException if the settings are invalid or the state does not fit them
     * @throws OdeException             if the snapshot is not of this network
     */
    public static BurstXorRun restore(final BurstXorSettings settings, final int examplesDone,
                                      final double[] rateBefore, final double[] traceBefore,
                                      final double[] costPerEpoch, final BurstXor.Snapshot snapshot) {
        if (examplesDone < 0 || examplesDone % PATTERNS != 0 || examplesDone > settings.examples()) {
            throw new IllegalArgumentException("the run has done " + examplesDone + " examples: expected a multiple "
                    + "of " + PATTERNS + " and at most examples " + settings.examples());
        }
        if (rateBefore.length != PATTERNS || traceBefore.length != PATTERNS
                || costPerEpoch.length != examplesDone / PATTERNS || snapshot == null) {
            throw new IllegalArgumentException("the saved state (" + rateBefore.length + " and " + traceBefore.length
                    + " rates before, " + costPerEpoch.length + " epochs of cost) does not fit " + examplesDone
                    + " examples done");
        }
        return new BurstXorRun(settings, examplesDone, rateBefore, traceBefore, costPerEpoch, snapshot);
    }

    /**
     * Runs the protocol from where the run is to its end, or until a stop request or a blow-up.
     *
     * @param progress    receives every test and training example; polled for stopping before each
     * @param checkpoints receives the run after the test before training and after every epoch
     */
    void run(final Progress progress, final Checkpoints checkpoints) {
        final long total = total();
        try {
            if (!tested) {
                network.settle(0, settings.burnIn());
                for (int p = 0; p < PATTERNS && !progress.stopRequested(); p++) {
                    final double[] r = network.test(p);
                    before[0][p] = r[0];
                    before[1][p] = r[1];
                    progress.update(++done, total, metrics());
                }
                if (done < PATTERNS) {
                    return;
                }
                tested = true;
                checkpoints.save(this);
            }
            for (; examplesDone < settings.examples() && !progress.stopRequested(); ) {
                epochCost += network.example(examplesDone % PATTERNS);
                examplesDone++;
                if (examplesDone % PATTERNS == 0) {
                    addCost(epochCost / PATTERNS);
                    epochCost = 0;
                    checkpoints.save(this);
                }
                progress.update(++done, total, metrics());
            }
            for (int p = 0; p < PATTERNS && examplesDone == settings.examples() && !progress.stopRequested(); p++) {
                final double[] r = network.test(p);
                after[0][p] = r[0];
                after[1][p] = r[1];
                progress.update(++done, total, metrics());
            }
        } catch (OdeException e) {
            failure = e.getMessage();
        }
    }

    private void addCost(final double c) {
        if (epochs == costs.length) {
            costs = Arrays.copyOf(costs, 2 * costs.length);
        }
        costs[epochs++] = c;
    }

    private Map<String, Double> metrics() {
        return Map.of("cost", lastCost());
    }

    private static double[][] unmeasured() {
        final double[][] r = new double[2][PATTERNS];
        for (final double[] row : r) {
            Arrays.fill(row, Double.NaN);
        }
        return r;
    }

    /** @return the settings */
    public BurstXorSettings settings() {
        return settings;
    }

    /** @return the network (its simulation's time, state and weights) */
    public BurstXor network() {
        return network;
    }

    /** @return the network's state now (between segments: at a checkpoint) */
    public BurstXor.Snapshot snapshot() {
        return network.snapshot();
    }

    /**
     * @return tests and training examples done: the unit of progress (the test before training counts 4, every
     *         training example 1, the final test 4)
     */
    @Override
    public long done() {
        return done;
    }

    /** @return the units of the whole run: {@code 2 x 4 + examples} */
    public long total() {
        return 2L * PATTERNS + settings.examples();
    }

    /** @return training examples done */
    public int examplesDone() {
        return examplesDone;
    }

    /** @return whether the burn-in and the test before training are done */
    public boolean testedBefore() {
        return tested;
    }

    /** @return the output's event rate per pattern before training (Hz; NaN where not measured; a copy) */
    public double[] rateBefore() {
        return before[0].clone();
    }

    /** @return the output's mean event trace per pattern at the end of the test before training (Hz; a copy) */
    public double[] traceBefore() {
        return before[1].clone();
    }

    /** @return the output's event rate per pattern after training (Hz; NaN where not measured; a copy) */
    public double[] rateAfter() {
        return after[0].clone();
    }

    /** @return the output's mean event trace per pattern after training (Hz; NaN where not measured; a copy) */
    public double[] traceAfter() {
        return after[1].clone();
    }

    /** @return the mean cost of each epoch done (nats; a copy) */
    public double[] costPerEpoch() {
        return Arrays.copyOf(costs, epochs);
    }

    /** @return the cost of the last epoch done (nats), NaN before the first */
    public double lastCost() {
        return epochs == 0 ? Double.NaN : costs[epochs - 1];
    }

    /** @return the simulated time (s) */
    public double simulatedSeconds() {
        return network.simulation().time() / 1000.0;
    }

    /** @return wall time since this run was built, its network's construction included (s) */
    public double runSeconds() {
        return (System.nanoTime() - created) * 1e-9;
    }

    /** @return why the integration failed, or null */
    public String failure() {
        return failure;
    }
}
