package org.neurode.core.spec;

import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Additive white noise {@code sigma xi(t)} on every element of a state variable.
 *
 * @param variable the state variable's name
 * @param sigma    amplitude (unit of the variable per square root of the time unit; not negative)
 * @since 0.3
 */
public record NoiseSpec(String variable, double sigma) {

    /**
     * @param variable variable
     * @param sigma    amplitude
     */
    public NoiseSpec {
        Objects.requireNonNull(variable, "variable");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "noise sigma of '" + variable + "' must be finite and "
                    + "not negative but is " + sigma);
        }
    }
}
