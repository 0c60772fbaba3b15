package org.neurode.models;

import org.neurode.core.Detection;
import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ThresholdSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * A population of leaky integrate-and-fire neurons with constant drives:
 * \( \tau_m \dot v_i = E_L - v_i + R I_i \), spike when \( v_i \) rises above \( v_{th} \), reset to
 * \( v_{reset} \), refractory for \( t_{ref} \) (Lapicque 1907; the current-based form of Gerstner et al.,
 * Neuronal Dynamics, 2014, ch. 1.3). The drives \( R I_i \) are an input block {@code drive} (mV),
 * spread linearly from {@code driveMin} to {@code driveMax} across the population by default.
 *
 * <p>Units: ms, mV. The population is a fragment of a model ({@link #population}) that other models can add
 * to their own.
 *
 * @since 0.1
 */
public final class LifPopulation {

    /** The membrane equation: tau_m dv/dt = E_L - v + drive. */
    private static final ExprSpec MEMBRANE = ExprSpec.parse("(E_L - v + drive) / tau_m");

    private LifPopulation() {
    }

    /**
     * A population with standard cortical parameters: \( \tau_m = 10 \) ms, \( E_L = v_{reset} = -65 \) mV,
     * \( v_{th} = -50 \) mV, \( t_{ref} = 2 \) ms, drives 10 to 30 mV, initial potentials spread between
     * reset and threshold; continuous (root-found) spike detection.
     *
     * @param n population size (positive)
     * @return the model; variables {@code v} (mV) and input {@code drive} (mV)
     */
    public static Model standard(final int n) {
        final double[] v0 = new double[n];
        final double[] drive = new double[n];
        for (int i = 0; i < n; i++) {
            final double f = n == 1 ? 0.5 : (double) i / (n - 1);
            drive[i] = 10.0 + 20.0 * f;
            v0[i] = -65.0 + 15.0 * ((i * 0.618033988749895) % 1.0);
        }
        return build("lif", n, 10.0, -65.0, -50.0, -65.0, 2.0, drive, v0, Detection.CONTINUOUS);
    }

    /**
     * The Brian2 benchmark network (the golden run in the tests module's resources, brian2/): dimensionless
     * \( \tau \dot v = I_i - v \), \( \tau = 10 \) ms, \( I_i = 2 i/(n-1) \), threshold 1, reset 0, refractory
     * 5 ms, threshold checked at the end of each step as Brian2 does.
     *
     * @param v0 initial values (length = population size; copied)
     * @return the model
     */
    public static Model brian2Benchmark(final double[] v0) {
        final int n = v0.length;
        final double[] drive = new double[n];
        for (int i = 0; i < n; i++) {
            drive[i] = 2.0 * i / (n - 1);
        }
        return build("brian2-lif", n, 10.0, 0.0, 1.0, 0.0, 5.0, drive, v0, Detection.STEP_END);
    }

    /**
     * A population with given parameters.
     *
     * @param name       model name
     * @param n          population size
     * @param tauM       membrane time constant (ms)
     * @param eL         resting potential (mV)
     * @param vTh        threshold (mV)
     * @param vReset     reset potential (mV)
     * @param refractory refractory period (ms)
     * @param drive      drives \( R I_i \) (mV; copied)
     * @param v0         initial potentials (mV; copied)
     * @param detection  spike detection mode
     * @return the model
     */
    public static Model build(final String name, final int n, final double tauM, final double eL, final double vTh,
                              final double vReset, final double refractory, final double[] drive, final double[] v0,
                              final Detection detection) {
        return ModelBuilder.named(name)
                .add(population(n, tauM, eL, vTh, vReset, refractory, drive, v0, detection))
                .build();
    }

    /**
     * The population as a fragment of a model: input {@code drive} (mV), state {@code v} (mV, tolerance scale
     * the distance from reset to threshold), parameters {@code tau_m} and {@code E_L}, the membrane equation and
     * the threshold.
     *
     * @param n          population size
     * @param tauM       membrane time constant (ms)
     * @param eL         resting potential (mV)
     * @param vTh        threshold (mV)
     * @param vReset     reset potential (mV)
     * @param refractory refractory period (ms)
     * @param drive      drives \( R I_i \) (mV; copied)
     * @param v0         initial potentials (mV; copied)
     * @param detection  spike detection mode
     * @return the fragment
     * @since 0.3
     */
    public static ModelSpec population(final int n, final double tauM, final double eL, final double vTh,
                                       final double vReset, final double refractory, final double[] drive,
                                       final double[] v0, final Detection detection) {
        return ModelSpec.fragment("lif population")
                .withVariable(VariableSpec.input("drive", n, 1, "mV").withInitial(new ValueSpec.Values(drive)))
                .withVariable(VariableSpec.state("v", n, 1, "mV").withInitial(new ValueSpec.Values(v0))
                        .withScale(Math.max(1e-3, Math.abs(vTh - vReset))))
                .withParameter(ParameterSpec.scalar("tau_m", tauM))
                .withParameter(ParameterSpec.scalar("E_L", eL))
                .withEquation("v", MEMBRANE)
                .withThreshold(new ThresholdSpec("v", vTh, vReset, refractory, detection));
    }
}
