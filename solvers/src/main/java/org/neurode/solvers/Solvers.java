package org.neurode.solvers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.solvers.adaptive.AdaptiveSolver;
import org.neurode.solvers.rk.FixedStepRungeKutta;
import org.neurode.solvers.stiff.Bdf;
import org.neurode.solvers.stiff.RadauIIA5;
import org.neurode.solvers.stiff.Rosenbrock;

/**
 * The registry of solvers by name ({@code neurode solvers} lists it). Names are lower-case with
 * hyphens, e.g. {@code dormand-prince-853}, {@code exponential-euler}.
 *
 * @since 0.1
 */
public final class Solvers {

    private static final Map<String, Solver> REGISTRY;

    static {
        final Map<String, Solver> m = new LinkedHashMap<>();
        final List<Solver> all = new ArrayList<>();
        // fixed-step methods first: neurode's own euler and rk4 where Hipparchus' stood, whose adapters follow
        // the others under their own names (cross-checks and benchmark baselines)
        final List<Solver> hipparchusBaselines = new ArrayList<>();
        for (final Solver s : HipparchusSolvers.all()) {
            if (s.name().equals("hipparchus-euler")) {
                all.add(new EulerSolver());
                hipparchusBaselines.add(s);
            } else if (s.name().equals("hipparchus-rk4")) {
                all.add(FixedStepRungeKutta.rk4());
                hipparchusBaselines.add(s);
            } else {
                all.add(s);
            }
        }
        all.add(new EulerMaruyamaSolver());
        all.add(new ExponentialEulerSolver());
        all.add(new ExponentialTrapezoidSolver());
        all.add(new SemiImplicitEulerSolver());
        all.addAll(org.neurode.solvers.rk.ExplicitRungeKutta.solvers());
        all.add(new AdaptiveSolver(Rosenbrock.RODAS5P_INFO, Rosenbrock::rodas5p));
        all.add(new AdaptiveSolver(Rosenbrock.RODAS4_INFO, Rosenbrock::rodas4));
        all.add(new AdaptiveSolver(RadauIIA5.INFO, RadauIIA5::new));
        all.add(new AdaptiveSolver(Bdf.INFO, Bdf::new));
        all.addAll(hipparchusBaselines);
        for (final Solver s : all) {
            m.put(s.name(), s);
        }
        REGISTRY = Collections.unmodifiableMap(m);
    }

    private Solvers() {
    }

    /**
     * @param name registry name (case-insensitive)
     * @return the solver
     * @throws OdeException listing the valid names if there is none of that name
     */
    public static Solver get(final String name) {
        final Solver s = name == null ? null : REGISTRY.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (s == null) {
            throw new OdeException(ErrorCode.UNKNOWN_SOLVER, name, String.join(", ", REGISTRY.keySet()));
        }
        return s;
    }

    /** @return all solvers in listing order */
    public static List<Solver> all() {
        return List.copyOf(REGISTRY.values());
    }

    /** @return all registry names */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }
}
