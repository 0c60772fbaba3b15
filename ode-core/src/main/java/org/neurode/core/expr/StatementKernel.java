package org.neurode.core.expr;

/**
 * What the compiled statements of events and projections share: the run's packed parameters {@code p}, its input
 * buffer {@code u}, the step length {@code dt} and the generator of the language's {@code rand()} and
 * {@code randn()}, seeded per run. Public only because generated classes, which live in a package of their own,
 * extend its subclasses ({@link EventKernel}, {@link SynapseKernel}). Nothing allocates per draw.
 *
 * @since 0.6
 */
public abstract class StatementKernel {

    /** The packed parameters of the run (read only). */
    protected final double[] p;
    /** The input buffer of the run (read only; written by the simulation between steps). */
    protected final double[] u;
    /** The step length of the run ({@code dt} in the language; time unit), NaN on an adaptive solver. */
    protected double dt = Double.NaN;
    /** The generator of {@code rand()} and {@code randn()}, seeded per run ({@link #start}). */
    private java.util.SplittableRandom random = new java.util.SplittableRandom(0L);

    /**
     * @param p packed parameters (shared, not copied)
     * @param u input buffer (shared, not copied)
     */
    protected StatementKernel(final double[] p, final double[] u) {
        this.p = p;
        this.u = u;
    }

    /**
     * Starts the generator of {@code rand()} and {@code randn()} and sets the step length {@code dt} for a run.
     * Called once when the kernel is bound to a run, before any other call.
     *
     * @param seed the generator's seed (the run's seed mixed with the kernel's position in the model)
     * @param step the step length of a fixed-step run (time unit), NaN on an adaptive solver
     */
    public final void start(final long seed, final double step) {
        this.random = new java.util.SplittableRandom(seed);
        this.dt = step;
    }

    /**
     * Restarts the generator of {@code rand()} and {@code randn()} from a seed, keeping {@code dt}.
     *
     * @param seed the generator's seed
     */
    public final void reseed(final long seed) {
        this.random = new java.util.SplittableRandom(seed);
    }

    /** @return a draw uniform on [0, 1) (the language's {@code rand()}) */
    protected final double rand() {
        return random.nextDouble();
    }

    /** @return a standard normal draw (the language's {@code randn()}; the JDK's ziggurat method) */
    protected final double randn() {
        return random.nextGaussian();
    }
}
