package org.neurode.solvers;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.neurode.core.LetValues;
import org.neurode.core.Model;
import org.neurode.core.Recorder;
import org.neurode.core.Recording;
import org.neurode.core.expr.LetKernel;

/**
 * The recordings of one run, shared by every simulation engine as Hipparchus separates its step handlers from the
 * integrator: the main recorder's and the others', each sampled at its own times inside the accepted steps (through
 * the step's dense output) or at every step end. An engine reports each accepted step ({@link #step}); this class
 * decides what is sampled. Room for the samples of the whole span is reserved when the run starts (up to a bound),
 * so recording allocates nothing. Not thread-safe.
 */
final class Recorders {

    /** Most cells (samples times columns) reserved per recorder when a run starts: 8 MB. */
    private static final long RESERVED_CELLS = 1L << 20;

    /** The main recording, then those of the other recorders. */
    private final Recording[] recordings;
    /** The state interpolated inside a step (shared by the recorders sampling the same time). */
    private final double[] sampleBuffer;
    /** True if every recorder keeps the final state only (nothing is tied to the time line before the end). */
    private final boolean finalOnly;

    /**
     * Starts the recordings and takes their samples due at the start time.
     *
     * @param recorders the recorders (at least one: the main recorder first)
     * @param model     the model
     * @param inputs    the run's input buffer (recorded inputs are read from it)
     * @param synapses  the run's projections (recorded synapse variables are read from them)
     * @param t0        the start time
     * @param tEnd      the end time of the problem (for the reservation)
     * @param y0        the state at the start (not modified)
     */
    Recorders(final List<Recorder> recorders, final Model model, final double[] inputs,
              final List<org.neurode.core.Projection> synapses, final double t0, final double tEnd,
              final double[] y0) {
        this.sampleBuffer = new double[y0.length];
        this.recordings = new Recording[recorders.size()];
        boolean onlyFinal = true;
        for (final Recorder r : recorders) {
            onlyFinal &= r.schedule() == Recorder.Schedule.FINAL;
        }
        this.finalOnly = onlyFinal;
        final LetSource lets = new LetSource(model, inputs);
        for (int k = 0; k < recordings.length; k++) {
            final Recording r = new Recording(recorders.get(k), model.layout(), model.inputLayout(), inputs, lets,
                                              synapses, t0);
            // room for the samples of the whole span up to a bound, so that recording allocates nothing
            r.reserve((int) Math.min(r.expectedSamples(tEnd), RESERVED_CELLS / Math.max(1, r.columns())));
            r.skipBefore(t0);
            if (r.nextTime() <= t0 + TimeSlack.of(t0) || r.wantsSteps()) {
                r.sample(t0, y0);
            }
            recordings[k] = r;
        }
    }

    /**
     * The model's named subexpressions, compiled when a recorder first names one (most runs record none).
     */
    private static final class LetSource implements Supplier<LetValues> {
        private final Model model;
        private final double[] inputs;
        private LetValues lets;

        LetSource(final Model model, final double[] inputs) {
            this.model = model;
            this.inputs = inputs;
        }

        @Override
        public LetValues get() {
            if (lets == null && model.spec().isPresent() && !model.spec().get().lets().isEmpty()) {
                lets = LetKernel.of(model, inputs);
            }
            return lets;
        }
    }

    /**
     * Records the samples scheduled in {@code (ta, tb]}.
     *
     * @param ta    step start
     * @param tb    step end
     * @param yb    state at the step end (not modified)
     * @param dense interpolation inside the step
     */
    void step(final double ta, final double tb, final double[] yb, final DenseOutput dense) {
        final double slack = TimeSlack.of(tb);
        // the state interpolated last in this step: recorders sampling the same time share it
        double interpolated = Double.NaN;
        for (final Recording recording : recordings) {
            double tn = recording.nextTime();
            while (tn <= tb + slack) {
                if (tn >= tb - slack) {
                    recording.sample(tn, yb);
                } else if (tn > ta) {
                    if (tn != interpolated) {
                        dense.stateAt(tn, sampleBuffer);
                        interpolated = tn;
                    }
                    recording.sample(tn, sampleBuffer);
                } else {
                    recording.sample(tn, yb);
                }
                tn = recording.nextTime();
            }
            if (recording.wantsSteps()) {
                recording.sample(tb, yb);
            }
        }
    }

    /**
     * @param ta step start
     * @param tb step end
     * @return true if a recorded sample falls strictly inside the step, so that recording it needs the
     *         state at the step start (for interpolation)
     */
    boolean samplesInside(final double ta, final double tb) {
        for (final Recording recording : recordings) {
            final double tn = recording.nextTime();
            if (tn > ta && tn < tb - TimeSlack.of(tb)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends every recording with the final state (see {@link Recording#finish}).
     *
     * @param t the final time
     * @param y the final state (not modified)
     */
    void finish(final double t, final double[] y) {
        for (final Recording r : recordings) {
            r.finish(t, y);
        }
    }

    /** @return true if every recorder keeps the final state only */
    boolean finalOnly() {
        return finalOnly;
    }

    /** @return the main recording */
    Recording main() {
        return recordings[0];
    }

    /** @return the recordings of the other recorders, in order */
    List<Recording> others() {
        return Arrays.asList(recordings).subList(1, recordings.length);
    }
}
