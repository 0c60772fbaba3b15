package org.neurode.core.spec;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * What a model file or document says about solving its model, apart from the model itself: the time span,
 * reference end values, whether the problem is stiff and the ratio of absolute to relative tolerance. The model
 * ({@link ModelSpec}) does not depend on them.
 *
 * @param t0         start time (time unit of the model; 0 if not given)
 * @param tEnd       end time (NaN if not given)
 * @param reference  end values by variable name (one per element; copied; empty if none)
 * @param stiff      true if the problem is marked stiff
 * @param atolFactor absolute over relative tolerance (positive; 1 by default)
 * @since 0.3
 */
public record ProblemSettings(double t0, double tEnd, Map<String, double[]> reference, boolean stiff,
                              double atolFactor) {

    /** No time span, no references, not stiff, atol-factor 1. */
    public static final ProblemSettings NONE = new ProblemSettings(0.0, Double.NaN, Map.of(), false, 1.0);

    /**
     * @param t0         start time
     * @param tEnd       end time or NaN
     * @param reference  end values
     * @param stiff      stiff
     * @param atolFactor atol-factor
     */
    public ProblemSettings {
        if (!Double.isFinite(t0)) {
            throw new OdeException(ErrorCode.NOT_FINITE, "start time", t0);
        }
        if (!Double.isNaN(tEnd) && !(tEnd > t0 && Double.isFinite(tEnd))) {
            throw new OdeException(ErrorCode.BAD_TIME_SPAN, t0, tEnd);
        }
        if (!(atolFactor > 0) || Double.isInfinite(atolFactor)) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "atol-factor", atolFactor);
        }
        final Map<String, double[]> copy = new LinkedHashMap<>();
        for (final Map.Entry<String, double[]> e : reference.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "reference name"), e.getValue().clone());
        }
        reference = Collections.unmodifiableMap(copy);
    }

    /** @return true if a time span is given */
    public boolean hasTimeSpan() {
        return !Double.isNaN(tEnd);
    }

    /** @return true if these are the settings of {@link #NONE} */
    public boolean isNone() {
        return equals(NONE);
    }

    /** @return the end values by variable name (unmodifiable; the arrays are copies) */
    @Override
    public Map<String, double[]> reference() {
        final Map<String, double[]> copy = new LinkedHashMap<>();
        for (final Map.Entry<String, double[]> e : reference.entrySet()) {
            copy.put(e.getKey(), e.getValue().clone());
        }
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public boolean equals(final Object o) {
        if (!(o instanceof ProblemSettings p) || Double.compare(t0, p.t0) != 0 || Double.compare(tEnd, p.tEnd) != 0
                || stiff != p.stiff || Double.compare(atolFactor, p.atolFactor) != 0
                || !reference.keySet().equals(p.reference.keySet())) {
            return false;
        }
        for (final Map.Entry<String, double[]> e : reference.entrySet()) {
            if (!Arrays.equals(e.getValue(), p.reference.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(t0, tEnd, stiff, atolFactor);
        for (final Map.Entry<String, double[]> e : reference.entrySet()) {
            h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("ProblemSettings[t0=").append(t0).append(", tEnd=").append(tEnd);
        for (final Map.Entry<String, double[]> e : reference.entrySet()) {
            sb.append(", reference ").append(e.getKey()).append('=').append(Arrays.toString(e.getValue()));
        }
        return sb.append(", stiff=").append(stiff).append(", atolFactor=").append(atolFactor).append(']').toString();
    }
}
