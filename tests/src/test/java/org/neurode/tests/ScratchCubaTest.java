package org.neurode.tests;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.spec.ModelSpec;

class ScratchCubaTest {
    @Test
    void scratch() throws Exception {
        final StringBuilder out = new StringBuilder();
        final ModelSpec spec = ModelFile.document(Files.readString(CubaGoldenTest.CUBA), "cuba.ode", "cuba").model();
        long total = 0;
        for (int seed = 1; seed <= 72; seed++) {
            final long t0 = System.nanoTime();
            final Model own = ModelBuilder.from(spec).seed(seed).build();
            final long t1 = System.nanoTime();
            final int n = CubaGoldenTest.run(own).size();
            final long t2 = System.nanoTime();
            total += n;
            out.append(seed).append(' ').append(n).append(" build ").append((t1 - t0) / 1e6).append(" ms run ")
               .append((t2 - t1) / 1e6).append(" ms\n");
        }
        out.append("mean ").append(total / 72.0).append('\n');
        Files.writeString(Path.of("/tmp/syn/scratch24.txt"), out.toString());
    }
}
