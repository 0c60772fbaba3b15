package org.neurode.solvers.rk;

/**
 * The classical fourth-order Runge-Kutta method (Kutta 1901; Hairer-Nørsett-Wanner I, II.1, Table 1.2, left)
 * with its third-order continuous extension (Hairer-Nørsett-Wanner I, II.6): \( b_1(\theta) = \theta -
 * \tfrac32\theta^2 + \tfrac23\theta^3 \), \( b_2 = b_3 = \theta^2 - \tfrac23\theta^3 \), \( b_4 = -\tfrac12
 * \theta^2 + \tfrac23\theta^3 \), which uses the four stages of the step only. No embedded pair: fixed steps.
 * Stage 5 is the end stage the tableau format asks of a method that is not first-same-as-last; the fixed-step
 * engine does not evaluate it.
 */
final class ClassicalRungeKutta {

    private ClassicalRungeKutta() {
    }

    static ButcherTableau tableau() {
        final TableauBuilder t = new TableauBuilder("rk4", 4, 5, 3);
        t.c(2, 0.5).c(3, 0.5).c(4, 1.0);
        t.a(2, 1, 0.5);
        t.a(3, 2, 0.5);
        t.a(4, 3, 1.0);
        t.b(1, 1.0 / 6).b(2, 1.0 / 3).b(3, 1.0 / 3).b(4, 1.0 / 6);
        t.endStageIsSolution(5);
        t.r(1, 1, 1.0, -1.5, 2.0 / 3);
        t.r(2, 2, 1.0, -2.0 / 3);
        t.r(3, 2, 1.0, -2.0 / 3);
        t.r(4, 2, -0.5, 2.0 / 3);
        return t.build(4, 0, false, 3);
    }
}
