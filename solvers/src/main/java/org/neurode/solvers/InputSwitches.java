package org.neurode.solvers;

import java.util.List;

import org.neurode.core.InputSchedule;
import org.neurode.core.StateLayout;

/**
 * The input schedules of one run, shared by every simulation engine: the switch times are forced step points
 * (an engine integrates up to {@link #next()} and no further), and at each one the scheduled values are written
 * into the run's input buffer ({@link #apply}), the only writes to it besides the user's own. Nothing allocates
 * after construction. Not thread-safe.
 */
final class InputSwitches {

    private final InputSchedule[] schedules;
    /** Per schedule: the input block it writes. */
    private final StateLayout.Block[] blocks;
    /** Per schedule: the index of its first switch not yet applied. */
    private final int[] next;
    /** The run's input buffer (the equation's own). */
    private final double[] inputs;

    /**
     * @param schedules   the problem's input schedules
     * @param inputLayout the model's input layout (every schedule names one of its blocks)
     * @param inputs      the run's input buffer, written at every switch
     */
    InputSwitches(final List<InputSchedule> schedules, final StateLayout inputLayout, final double[] inputs) {
        this.schedules = schedules.toArray(new InputSchedule[0]);
        this.blocks = new StateLayout.Block[this.schedules.length];
        this.next = new int[this.schedules.length];
        this.inputs = inputs;
        for (int s = 0; s < this.schedules.length; s++) {
            blocks[s] = inputLayout.block(this.schedules[s].block());
        }
    }

    /** @return true if the run has scheduled inputs */
    boolean any() {
        return schedules.length > 0;
    }

    /** @return the earliest switch time not yet applied (time unit of the model), or {@code +Infinity} */
    double next() {
        double first = Double.POSITIVE_INFINITY;
        for (int s = 0; s < schedules.length; s++) {
            final double[] times = schedules[s].times();
            if (next[s] < times.length) {
                first = Math.min(first, times[next[s]]);
            }
        }
        return first;
    }

    /**
     * Writes the values of every switch due by {@code time} (within its time slack) into the input buffer, in
     * time order per schedule.
     *
     * @param time the current time
     * @return true if any input was written (the caller's solver must then forget what it derived from them)
     */
    boolean apply(final double time) {
        boolean any = false;
        for (int s = 0; s < schedules.length; s++) {
            final double[] times = schedules[s].times();
            int k = next[s];
            while (k < times.length && times[k] <= time + TimeSlack.of(time)) {
                System.arraycopy(schedules[s].values()[k], 0, inputs, blocks[s].offset(), blocks[s].size());
                k++;
                any = true;
            }
            next[s] = k;
        }
        return any;
    }
}
