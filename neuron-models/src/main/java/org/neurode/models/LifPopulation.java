package org.neurode.models;

import org.neurode.core.Detection;
import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * A population of leaky integrate-and-fire neurons with constant drives:
 * \( \tau_m \dot v_i = E_L - v_i + R I_i \), spike when \( v_i \) rises above \( v_{th} \), reset to
 * \( v_{reset} \), refractory for \( t_{ref} \) (Lapicque 1907; the current-based form of Gerstner et al.,
 * Neuronal Dynamics, 2014, ch. 1.3). The drives \( R I_i \) are an input block {@code drive} (mV),
 * spread linearly from {@code driveMin} to {@code driveMax} across the population by default.
 *
 * <p>Units: ms, mV.
 *
 * @since 0.1
 */
public final class LifPopulation {

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
        final ModelBuilder b = ModelBuilder.named(name);
        final Var in = b.input("drive", n, "mV");
        final Var v = b.vector("v", n, "mV");
        b.param("tau_m", tauM);
        b.param("E_L", eL);
        b.ode(v, "(E_L - v + drive) / tau_m");
        b.scale(v, Math.max(1e-3, Math.abs(vTh - vReset)));
        b.threshold(v, vTh, vReset, refractory, detection);
        b.initial(in, drive).initial(v, v0);
        return b.build();
    }
}
