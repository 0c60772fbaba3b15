package org.neurode.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.neurode.core.StateLayout;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.expr.ModelDocuments.Format;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelDocument;
import org.neurode.examples.io.AtomicFiles;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code neurode model show FILE} and {@code neurode model convert IN OUT}: model documents (model files, JSON,
 * YAML; the format follows the file name) printed with their state layout, or converted between the formats.
 *
 * @since 0.3
 */
@Command(name = "model",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         description = "Show or convert model documents: model files (.ode), JSON (.json) and YAML (.yaml, .yml).",
         subcommands = {ModelCommand.Show.class, ModelCommand.Convert.class, CommandLine.HelpCommand.class})
public final class ModelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /**
     * Without a subcommand: a one-line error naming them.
     *
     * @return {@value Main#EXIT_USAGE}
     */
    @Override
    public Integer call() {
        Main.printError(spec.commandLine(), "missing subcommand of 'model': show or convert; see 'neurode model "
                + "--help'");
        return Main.EXIT_USAGE;
    }

    /** {@code neurode model show FILE}. */
    @Command(name = "show",
             mixinStandardHelpOptions = true,
             versionProvider = VersionProvider.class,
             description = {"Print a model document, checked, in canonical form, and its state layout: each "
                            + "block's kind, offset, size, shape, unit and tolerance scale."})
    static final class Show implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<file>", converter = OptionConverters.InputFile.class,
                    description = "The model document (.ode, .json, .yaml or .yml).")
        private Path file;

        @Option(names = "--format", paramLabel = "<format>",
                description = "How to print the model: ode (default), json or yaml.")
        private String format = "ode";

        @Override
        public Integer call() {
            final Format f = format(format);
            final ModelDocument doc = ModelDocuments.read(file);
            final String text = ModelDocuments.write(doc, f);
            final ModelBuilder builder = ModelBuilder.from(doc.model());
            final PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.println();
            out.print(layoutTable(builder.layout(), builder.inputLayout(), doc.model().parameters()));
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code neurode model convert IN OUT}. */
    @Command(name = "convert",
             mixinStandardHelpOptions = true,
             versionProvider = VersionProvider.class,
             description = {"Convert a model document between the formats, by the files' extensions (.ode, .json, "
                            + ".yaml, .yml); the output is written atomically, in canonical form.",
                            "The input is checked first, as a model is when it is built."})
    static final class Convert implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<in>", converter = OptionConverters.InputFile.class,
                    description = "The model document to read.")
        private Path in;

        @Parameters(index = "1", paramLabel = "<out>", converter = OptionConverters.OutputPath.class,
                    description = "The file to write; its extension names the format.")
        private Path out;

        @Override
        public Integer call() {
            final Format target;
            try {
                target = Format.of(out);
            } catch (org.neurode.core.OdeException e) {
                throw new IllegalArgumentException("<out>: " + e.getMessage(), e);
            }
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException("<out>: " + out + " is a folder, not a file");
            }
            final ModelDocument doc = ModelDocuments.read(in);
            final String text = ModelDocuments.write(doc, target);
            final Path absolute = out.toAbsolutePath().normalize();
            AtomicFiles.prepareFolder(absolute.getParent());
            AtomicFiles.writeString(absolute, text);
            final PrintWriter o = spec.commandLine().getOut();
            o.println("wrote " + out + " (" + target.name().toLowerCase(Locale.ROOT) + ")");
            o.flush();
            return Main.EXIT_OK;
        }
    }

    private static Format format(final String name) {
        return switch (name) {
            case "ode" -> Format.ODE;
            case "json" -> Format.JSON;
            case "yaml" -> Format.YAML;
            default -> throw new IllegalArgumentException("--format must be ode, json or yaml, not '" + name + "'");
        };
    }

    /**
     * The state layout, the inputs and the parameter arrays as an aligned table: the state's blocks (offsets in
     * the integrated state), the inputs (offsets in the input buffer) and the parameter arrays, which are not
     * integrated.
     *
     * @param layout     the state layout
     * @param inputs     the input layout
     * @param parameters the parameters (the arrays are listed)
     * @return the table with a title line
     */
    static String layoutTable(final StateLayout layout, final StateLayout inputs,
                              final List<org.neurode.core.spec.ParameterSpec> parameters) {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BLOCK", "KIND", "OFFSET", "SIZE", "SHAPE", "UNIT", "SCALE"});
        for (final StateLayout.Block b : layout.blocks()) {
            rows.add(new String[] {b.name(), b.kind().name().toLowerCase(Locale.ROOT), Integer.toString(b.offset()),
                    Integer.toString(b.size()), b.rows() + "x" + b.cols(), b.unit().isEmpty() ? "-" : b.unit(),
                    ExprText.number(b.scale())});
        }
        for (final StateLayout.Block b : inputs.blocks()) {
            rows.add(new String[] {b.name(), "input", Integer.toString(b.offset()), Integer.toString(b.size()),
                    b.rows() + "x" + b.cols(), b.unit().isEmpty() ? "-" : b.unit(), "-"});
        }
        long arrays = 0;
        for (final org.neurode.core.spec.ParameterSpec p : parameters) {
            if (p.rows() != 1 || p.cols() != 1) {
                rows.add(new String[] {p.name(), "parameter", "-", Long.toString((long) p.rows() * p.cols()), p.rows() + "x" + p.cols(),
                        p.unit().isEmpty() ? "-" : p.unit(), "-"});
                arrays += (long) p.rows() * p.cols();
            }
        }
        final int[] width = new int[rows.get(0).length];
        for (final String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        sb.append("state layout: ").append(layout.dimension()).append(" integrated elements (blocks of 8 or more "
                + "elements start at multiples of 8); not integrated: ").append(inputs.dimension())
          .append(" input elements, ").append(arrays).append(" parameter-array elements\n");
        for (final String[] r : rows) {
            final StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                line.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[c] + "s", r[c]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
