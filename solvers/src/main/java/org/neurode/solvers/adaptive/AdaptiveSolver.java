package org.neurode.solvers.adaptive;

import java.util.function.Supplier;

import org.neurode.core.Problem;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;

/**
 * A {@link Solver} made of one of neurode's own {@link StepMethod}s and the generic
 * {@link AdaptiveSimulation} driver. Stateless: every {@link #start} builds a fresh method instance.
 *
 * @since 0.2
 */
public final class AdaptiveSolver implements Solver {

    private final SolverInfo info;
    private final Supplier<StepMethod> factory;
    private final Supplier<StepController> controllers;

    /**
     * @param info    registry name, order and description
     * @param factory makes one fresh method instance per simulation
     */
    public AdaptiveSolver(final SolverInfo info, final Supplier<StepMethod> factory) {
        this(info, factory, null);
    }

    private AdaptiveSolver(final SolverInfo info, final Supplier<StepMethod> factory,
                           final Supplier<StepController> controllers) {
        this.info = info;
        this.factory = factory;
        this.controllers = controllers;
    }

    /**
     * The same methods with another step-size controller (diffrax's {@code stepsize_controller}), e.g.
     * {@code Solvers.get("tsit5")} with {@code PiController::new}. A variable-order method keeps choosing its order
     * ({@link StepMethod#accept}); the controller then sets the step for that order.
     *
     * @param controllerFactory makes one fresh controller per simulation
     * @return a new solver of the same name
     * @since 0.7
     */
    public AdaptiveSolver withController(final Supplier<StepController> controllerFactory) {
        return new AdaptiveSolver(info, factory, java.util.Objects.requireNonNull(controllerFactory, "controller"));
    }

    @Override
    public SolverInfo info() {
        return info;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new AdaptiveSimulation(problem, options, info, factory.get(),
                controllers == null ? null : controllers.get());
    }

    @Override
    public String toString() {
        return "AdaptiveSolver[" + info.name() + "]";
    }
}
