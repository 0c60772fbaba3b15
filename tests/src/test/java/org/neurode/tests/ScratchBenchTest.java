package org.neurode.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.spec.ModelSpec;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

class ScratchBenchTest {
    @Test
    void bench() throws Exception {
        final StringBuilder out = new StringBuilder();
        final long c0 = System.nanoTime();
        final ModelSpec spec0 = ModelFile.document(Files.readString(CubaGoldenTest.CUBA), "cuba.ode", "cuba").model();
        final Model m0 = ModelBuilder.from(spec0).seed(1).build();
        final long c1 = System.nanoTime();
        final org.neurode.solvers.Simulation sim0 = Solvers.get("euler").start(Problem.of(m0, 1000.0),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(1000.0).of("v")));
        double t = 0;
        while (sim0.statistics().events() == 0) {
            t += 0.1;
            sim0.advanceTo(t);
        }
        final long c2 = System.nanoTime();
        out.append("cold: parse+build ").append((c1 - c0) / 1e6).append(" ms, to first spike ").append((c2 - c0) / 1e6)
           .append(" ms (t = ").append(t).append(")\n");
        final ModelSpec spec = ModelFile.document(Files.readString(CubaGoldenTest.CUBA), "cuba.ode", "cuba").model();
        final double[] build = new double[40];
        final double[] run = new double[40];
        for (int k = 0; k < 40; k++) {
            final long a = System.nanoTime();
            final Model m = ModelBuilder.from(spec).seed(1).build();
            final long b = System.nanoTime();
            final int n = CubaGoldenTest.run(m).size();
            final long c = System.nanoTime();
            build[k] = (b - a) / 1e6;
            run[k] = (c - b) / 1e6;
            out.append(k).append(" build ").append(build[k]).append(" run ").append(run[k]).append(" spikes ").append(n)
               .append('\n');
        }
        final double[] r = Arrays.copyOfRange(run, 30, 40);
        Arrays.sort(r);
        out.append("run after warm-up: min ").append(r[0]).append(" median ").append((r[4] + r[5]) / 2).append('\n');
        Files.writeString(Path.of("/tmp/syn/bench.txt"), out.toString());
    }
}
