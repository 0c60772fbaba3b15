package org.neurode.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.io.SolverInfoJson;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Solvers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode solvers}: lists every registered solver as a table, or as JSON with {@code --json}.
 *
 * @since 0.1
 */
@Command(name = "solvers",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         description = {"List the registered solvers: name, order, step control (adaptive or fixed), stiffness "
                        + "suitability, whether it integrates white noise, and a description.",
                        "Fixed-step solvers need --dt in 'neurode simulate'; adaptive ones use --rtol/--atol."})
public final class SolversCommand implements Callable<Integer> {

    private static final String[] HEADER = {"NAME", "ORDER", "STEP", "STIFFNESS", "STOCHASTIC", "DESCRIPTION"};

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;

    /**
     * Prints the listing on the command's output stream.
     *
     * @return {@value Main#EXIT_OK}
     */
    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final List<Solver> solvers = Solvers.all();
        if (json) {
            final List<SolverInfoJson> entries = new ArrayList<>(solvers.size());
            for (final Solver s : solvers) {
                entries.add(SolverInfoJson.from(s.info()));
            }
            out.print(JsonFiles.toJson(entries));
        } else {
            out.print(table(solvers));
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /**
     * Formats solvers as an aligned text table with a header line.
     *
     * @param solvers the solvers (not modified)
     * @return the table, one line per solver
     */
    static String table(final List<Solver> solvers) {
        final List<String[]> rows = new ArrayList<>(solvers.size() + 1);
        rows.add(HEADER);
        for (final Solver s : solvers) {
            final SolverInfo info = s.info();
            rows.add(new String[] {info.name(), Integer.toString(info.order()), info.adaptive() ? "adaptive" : "fixed",
                                   info.stiffness().label(), info.stochastic() ? "yes" : "no", info.description()});
        }
        final int[] width = new int[HEADER.length];
        for (final String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (final String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (c == row.length - 1) {
                    sb.append(row[c]);
                } else {
                    sb.append(row[c]).append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
