package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;

/** Compiled Jacobians (issue 18): symbolic derivatives and structural patterns. */
class JacobianCompilerTest {

    @Test
    void issue18_exampleModelFilesMatchCentralDifferences() throws Exception {
        final List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "examples", "models"))) {
            files = s.filter(f -> f.toString().endsWith(".ode")).sorted().toList();
        }
        for (final Path f : files) {
            final Model m = ModelFile.read(f).model();
            if (m.dimension() > 600) {
                continue;
            }
            final SplittableRandom rnd = new SplittableRandom(f.toString().hashCode());
            for (int k = 0; k < 3; k++) {
                JacobianChecks.check(m.equation(), 1.5, JacobianChecks.randomState(m, rnd), f.getFileName() + "#" + k);
            }
        }
    }
}
