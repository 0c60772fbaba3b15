package org.neurode.solvers;

import java.util.List;

/** Hipparchus integrators behind the {@link Solver} interface (private adapters). */
final class HipparchusSolvers {

    private HipparchusSolvers() {
    }

    static List<Solver> all() {
        return List.of();
    }
}
