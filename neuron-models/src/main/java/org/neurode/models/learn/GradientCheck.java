package org.neurode.models.learn;

import java.util.function.DoubleSupplier;

/**
 * Central finite differences of a scalar loss with respect to parameters, to check hand-written gradients
 * (torch.autograd.gradcheck's idea, in double precision).
 *
 * @since 0.2
 */
public final class GradientCheck {

    private GradientCheck() {
    }

    /**
     * The central difference \( (L(\theta + h e_i) - L(\theta - h e_i)) / 2h \) of one parameter, with
     * \( h = 10^{-6} \max(1, |\theta_i|) \) (truncation ~1e-12 relative for smooth losses, rounding ~1e-10).
     *
     * @param parameters the parameters (restored afterwards)
     * @param index      which parameter
     * @param loss       evaluates the loss at the current values (a full forward pass)
     * @return the estimate
     */
    public static double centralDifference(final ParameterVector parameters, final int index,
                                           final DoubleSupplier loss) {
        final double[] v = parameters.values();
        final double x = v[index];
        final double h = 1e-6 * Math.max(1.0, Math.abs(x));
        v[index] = x + h;
        final double up = loss.getAsDouble();
        v[index] = x - h;
        final double down = loss.getAsDouble();
        v[index] = x;
        return (up - down) / (2 * h);
    }

    /**
     * Compares a gradient with central differences at every parameter (or every {@code stride}-th):
     * \( \max_i |g_i - d_i| / \max(|g_i|, |d_i|, \mathrm{floor}) \).
     *
     * @param parameters parameters (values restored afterwards)
     * @param gradient   the gradient to check (not modified)
     * @param loss       evaluates the loss at the current values
     * @param stride     check parameters 0, stride, 2 stride, ...
     * @param floor      magnitude below which differences count as absolute (guards zero gradients)
     * @return the largest relative difference
     */
    public static double maxRelativeError(final ParameterVector parameters, final double[] gradient,
                                          final DoubleSupplier loss, final int stride, final double floor) {
        double worst = 0.0;
        for (int i = 0; i < parameters.size(); i += Math.max(1, stride)) {
            final double d = centralDifference(parameters, i, loss);
            final double g = gradient[i];
            worst = Math.max(worst, Math.abs(g - d) / Math.max(floor, Math.max(Math.abs(g), Math.abs(d))));
        }
        return worst;
    }
}
