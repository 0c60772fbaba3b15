package example;

import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/** The example of README.md ("Use as a library"), compiled and run against the installed artifacts. */
public final class Pyramidal {

    private Pyramidal() {
    }

    /** @return two three-compartment neurons with plastic basal weights, as README.md builds them */
    public static Model model() {
        ModelBuilder b = ModelBuilder.named("pyramidal");
        Var x  = b.input("x", 3, "1");                      // presynaptic rates (held constant here)
        Var vB = b.vector("vB", 2, "mV");                   // basal dendrites
        Var vA = b.vector("vA", 2, "mV");                   // apical dendrites
        Var u  = b.vector("u", 2, "mV");                    // somata
        Var W  = b.matrix("W", 2, 3, "1");                  // plastic basal weights
        b.param("gL", 0.1); b.param("gB", 1.0); b.param("gA", 0.8);
        b.param("tauD", 2.0); b.param("eta", 0.01);
        b.ode(vB, "(W @ x - vB) / tauD");
        b.ode(vA, "-vA / tauD");
        b.ode(u,  "-gL * u + gB * (vB - u) + gA * (vA - u)");
        b.let("vHat", "gB / (gL + gB + gA) * vB");          // the soma's prediction from the basal input
        b.ode(W,  "eta * outer(softplus(u) - softplus(vHat), x)");
        b.initial(x, new double[] {1.0, 0.5, -0.5});
        b.initial(W, new double[] {0.2, -0.1, 0.3, -0.4, 0.5, 0.1});
        b.initial(vA, new double[] {2.0, -1.0});            // top-down input at t = 0, decaying
        return b.build();
    }

    /**
     * @param solver a registered solver name
     * @param options its step or tolerances
     * @return u, vA and the weights recorded every ms for 20 ms
     */
    public static Trajectory run(String solver, SolveOptions options) {
        Problem problem = Problem.of(model(), 20.0);        // ms
        return Solvers.get(solver).solve(problem,
                options.withRecorder(Recorder.every(1.0).of("u", "vA", "W")));
    }

    /** Prints the somatic potentials and one weight. */
    public static void main(String[] args) {
        Trajectory tr = run("exponential-euler", SolveOptions.fixedStep(0.1));
        double[] t = tr.times();
        double[] u0 = tr.column("u[0]");
        double[] w00 = tr.column("W[0,0]");
        for (int k = 0; k < t.length; k += 5) {
            System.out.printf("t = %4.1f ms  u[0] = %8.5f mV  W[0,0] = %.6f%n", t[k], u0[k], w00[k]);
        }
    }
}
