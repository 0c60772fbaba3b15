package org.neurode.solvers.rk;

/**
 * Tsitouras' 5(4) pair with its free 4th-order interpolant: Ch. Tsitouras, "Runge-Kutta pairs of order 5(4)
 * satisfying only the first column simplifying assumption", Computers and Mathematics with Applications 62
 * (2011) 770-775. Seven stages, FSAL. Coefficients as double literals of the published values (the same as
 * OrdinaryDiffEq.jl's {@code Tsit5}); the solution uses the seventh stage's row of A, the embedded weights
 * are the paper's \( \hat b \).
 */
final class Tsitouras5 {

    private Tsitouras5() {
    }

    static ButcherTableau tableau() {
        final TableauBuilder t = new TableauBuilder("tsit5", 7, 7, 4);
        t.c(2, 0.161).c(3, 0.327).c(4, 0.9).c(5, 0.9800255409045097).c(6, 1.0).c(7, 1.0);
        t.a(2, 1, 0.161);
        t.a(3, 1, -0.008480655492356989).a(3, 2, 0.335480655492357);
        t.a(4, 1, 2.8971530571054935).a(4, 2, -6.359448489975075).a(4, 3, 4.3622954328695815);
        t.a(5, 1, 5.325864828439257).a(5, 2, -11.748883564062828).a(5, 3, 7.4955393428898365)
                .a(5, 4, -0.09249506636175525);
        t.a(6, 1, 5.86145544294642).a(6, 2, -12.92096931784711).a(6, 3, 8.159367898576159)
                .a(6, 4, -0.071584973281401).a(6, 5, -0.028269050394068383);
        t.a(7, 1, 0.09646076681806523).a(7, 2, 0.01).a(7, 3, 0.4798896504144996).a(7, 4, 1.379008574103742)
                .a(7, 5, -3.290069515436081).a(7, 6, 2.324710524099774);
        t.bFromRow(7);
        // b - bhat; the published btilde is bhat - b
        t.e(1, 0.00178001105222577714).e(2, 0.0008164344596567469).e(3, -0.007880878010261995)
                .e(4, 0.1447110071732629).e(5, -0.5823571654525552).e(6, 0.45808210592918697)
                .e(7, -0.015151515151515152);
        t.r(1, 1, 1.0).r(1, 2, -2.763706197274826).r(1, 3, 2.9132554618219126).r(1, 4, -1.0530884977290216);
        t.r(2, 2, 0.13169999999999998).r(2, 3, -0.2234).r(2, 4, 0.1017);
        t.r(3, 2, 3.9302962368947516).r(3, 3, -5.941033872131505).r(3, 4, 2.490627285651253);
        t.r(4, 2, -12.411077166933676).r(4, 3, 30.33818863028232).r(4, 4, -16.548102889244902);
        t.r(5, 2, 37.50931341651104).r(5, 3, -88.1789048947664).r(5, 4, 47.37952196281928);
        t.r(6, 2, -27.896526289197286).r(6, 3, 65.09189467479366).r(6, 4, -34.87065786149661);
        t.r(7, 2, 1.5).r(7, 3, -4.0).r(7, 4, 2.5);
        return t.build(5, 4, true, 4);
    }
}
