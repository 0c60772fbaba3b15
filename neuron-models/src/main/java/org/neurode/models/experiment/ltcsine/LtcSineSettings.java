package org.neurode.models.experiment.ltcsine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Settings of an LTC sine run ({@link LtcSine}).
 *
 * @param steps        optimizer steps, one per pass over the sequence
 * @param units        neurons of the {@code AutoNCP(units, 1)} wiring (at least 4; with {@code wiring}, that
 *                     wiring's neurons)
 * @param unfolds      fused ODE steps per sample
 * @param learningRate Adam learning rate
 * @param clip         largest gradient norm
 * @param seed         seed of the initial parameters
 * @param wiringSeed   seed of the AutoNCP graph (ignored with {@code wiring})
 * @param wiring       the network's wiring as JSON (ncps' {@code Wiring.get_config()} keys, as
 *                     {@code neurode ltc-sine --wiring} reads it), or null for AutoNCP({@code units}, 1)
 *                     drawn with {@code wiringSeed}
 * @since 0.2
 */
public record LtcSineSettings(int steps, int units, int unfolds, double learningRate, double clip, long seed,
                              long wiringSeed, JsonNode wiring) {

    /**
     * A JSON null for the wiring is no wiring.
     *
     * @param steps        steps
     * @param units        units
     * @param unfolds      unfolds
     * @param learningRate learning rate
     * @param clip         clip
     * @param seed         seed
     * @param wiringSeed   wiring seed
     * @param wiring       wiring or null
     */
    public LtcSineSettings {
        if (wiring != null && (wiring.isNull() || wiring.isMissingNode())) {
            wiring = null;
        }
    }
}
