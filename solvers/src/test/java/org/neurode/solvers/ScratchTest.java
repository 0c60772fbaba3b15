package org.neurode.solvers;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.EventLog;
import org.neurode.core.Problem;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

class ScratchTest {
    @Test
    void run() {
        final double[] drives = {2.0, 2.0, 2.0 + 1e-12, 2.0 + 1e-6, 3.0};
        final ModelBuilder b = ModelBuilder.named("lif5");
        final Var v = b.vector("v", 5, "1");
        final Var drive = b.input("I", 5, "1");
        b.param("tau", 10.0);
        b.ode(v, "(I - v) / tau");
        b.threshold(v, 1.0, 0.0, 2.0, Detection.CONTINUOUS);
        final Problem p = Problem.of(b.initial(drive, drives).build(), 50.0);
        for (String name : new String[] {"hipparchus-euler", "euler", "euler-maruyama", "hipparchus-rk4", "rk4"}) {
            Trajectory tr = Solvers.get(name).solve(p, SolveOptions.fixedStep(0.01));
            EventLog log = tr.events();
            double worst = 0;
            int[] count = new int[5];
            for (int k = 0; k < log.size(); k++) {
                int m = log.member(k);
                double i = drives[m];
                double first = 10.0 * Math.log(i / (i - 1.0));
                double expected = first + count[m]++ * (first + 2.0);
                worst = Math.max(worst, Math.abs(expected - log.time(k)));
            }
            System.out.println(name + " events " + log.size() + " worst " + worst);
        }
    }
}
