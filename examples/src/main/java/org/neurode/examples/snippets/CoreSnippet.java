package org.neurode.examples.snippets;

import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/** The example of ode-core/README.md: a scripted LIF population. */
public final class CoreSnippet {

    private CoreSnippet() {
    }

    /** @return the model of the README example */
    public static Model model() {
        ModelBuilder b = ModelBuilder.named("lif");
        Var v = b.vector("v", 100, "mV");                  // 100 membrane potentials
        b.param("tau", 10.0);                              // ms
        b.param("E_L", -65.0);                             // mV
        b.param("drive", 20.0);                            // mV
        b.ode(v, "(E_L - v + drive) / tau");
        b.threshold(v, -50.0, -65.0, 2.0);                 // spike above -50 mV, reset, 2 ms refractory
        b.initial(v, -65.0);
        return b.build();
    }
}
