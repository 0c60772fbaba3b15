package org.neurode.spark;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import org.neurode.models.experiment.sweep.LocalRunner;
import org.neurode.models.experiment.sweep.ResultFolder;
import org.neurode.models.experiment.sweep.Sweep;
import org.neurode.models.experiment.sweep.SweepFiles;
import org.neurode.models.experiment.sweep.SweepTable;

/**
 * {@code spark-submit --class org.neurode.spark.SparkSweep neurode-spark-<version>.jar sweep.yaml --out <folder>
 * [--partitions n] [--batch n]}: runs a sweep file's points on the cluster and writes, in the folder on the
 * driver, what {@code neurode sweep} writes ({@code points/}, {@code results.csv}, {@code results.jsonl},
 * {@code summary.csv}; not the figure: {@code neurode sweep} on the finished folder runs nothing and draws it). The
 * same folder resumes. Without a master ({@code --master} or {@code spark.master}) it runs in {@code local[*]}.
 */
public final class SparkSweep {

    private SparkSweep() {
    }

    /**
     * @param args the sweep file, {@code --out <folder>}, optionally {@code --partitions <n>} and
     *             {@code --batch <n>}
     */
    public static void main(final String[] args) {
        Path file = null;
        Path out = null;
        int partitions = 0;
        int batch = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i));
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    if (file != null || args[i].startsWith("--")) {
                        usage();
                        System.exit(2);
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null || out == null) {
            usage();
            System.exit(2);
        }
        final SparkConf conf = new SparkConf().setAppName("neurode sweep " + file.getFileName())
                .setIfMissing("spark.master", "local[*]");
        final int failed;
        try (JavaSparkContext context = new JavaSparkContext(conf)) {
            failed = run(file, out, context, new SparkRunner(partitions, batch), System.out);
        }
        if (failed > 0) {
            System.exit(1);
        }
    }

    /**
     * Runs a sweep file on a context and writes the folder.
     *
     * @param file    the sweep file
     * @param out     the output folder
     * @param context the Spark context
     * @param runner  the runner
     * @param console where the one-line report goes
     * @return the number of failed points
     */
    public static int run(final Path file, final Path out, final JavaSparkContext context, final SparkRunner runner,
                          final java.io.PrintStream console) {
        final Sweep sweep = SweepFiles.read(file);
        try {
            Files.createDirectories(out);
            final String name = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? "sweep.json" : "sweep.yaml";
            write(out.resolve(name), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final long start = System.nanoTime();
        final LocalRunner.Outcome outcome = runner.run(sweep, ResultFolder.open(out), context,
                org.neurode.models.experiment.sweep.SweepListener.NONE);
        final double seconds = (System.nanoTime() - start) * 1e-9;
        final SweepTable table = SweepTable.of(sweep, outcome.results());
        try {
            final StringWriter csv = new StringWriter();
            table.writeCsv(csv);
            write(out.resolve("results.csv"), csv.toString());
            final StringWriter jsonl = new StringWriter();
            table.writeJsonLines(jsonl);
            write(out.resolve("results.jsonl"), jsonl.toString());
            final StringWriter summary = new StringWriter();
            table.writeSummaryCsv(sweep.metric(), summary);
            write(out.resolve("summary.csv"), summary.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        console.printf(Locale.ROOT, "sweep of %s on Spark (%s): %d points (%d done before, %d run now, %d failed) "
                + "in %.1f s; files in %s%n", sweep.kind(), context.master(), outcome.total(), outcome.skipped(),
                outcome.ran(), outcome.failed(), seconds, out);
        return (int) outcome.failed();
    }

    /** Writes a text file atomically (a temporary file in the same folder, then renamed). */
    private static void write(final Path target, final String text) throws IOException {
        final Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(),
                "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String value(final String[] args, final int i) {
        if (i >= args.length) {
            usage();
            System.exit(2);
        }
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: spark-submit --class org.neurode.spark.SparkSweep [--master <url>] "
                + "neurode-spark-<version>.jar <sweep.yaml> --out <folder> [--partitions <n>] [--batch <n>]");
    }
}
