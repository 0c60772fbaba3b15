package org.neurode.examples.regression;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.knowm.xchart.XYChart;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.io.RegressionConfigJson;
import org.neurode.examples.io.RegressionResultsJson;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.Microcircuit;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.regression.Regression;
import org.neurode.models.experiment.regression.RegressionResult;
import org.neurode.models.experiment.regression.RegressionRun;
import org.neurode.models.experiment.regression.RegressionSettings;
import org.neurode.models.tasks.Teacher;

/**
 * Runs the regression experiment ({@link RegressionRun}) into an output folder: {@code config.json} first,
 * {@code checkpoint.bin}, {@code curves.csv} and {@code regression.png} (the paper's Fig. 2C: test errors, and
 * the apical and interneuron mismatch, against patterns) every few minutes and at the end, and
 * {@code results.json} last. Every file is written atomically. If the integration blows up (a non-finite
 * state), the curves, the figure and {@code results.json} are still written, with status {@code FAILED}
 * and the message; the last periodic checkpoint is kept.
 *
 * @since 0.1
 */
public final class RegressionExperiment {

    /** Results file. */
    public static final String RESULTS_FILE = "results.json";
    /** Configuration file. */
    public static final String CONFIG_FILE = "config.json";
    /** Curves file. */
    public static final String CURVES_FILE = "curves.csv";
    /** Figure file. */
    public static final String PLOT_FILE = "regression.png";
    /** Held-out curve file: the fixed held-out set measured every {@code heldOutEvery} patterns. */
    public static final String HELD_OUT_FILE = "heldout.csv";
    /**
     * Criterion of a run long enough to show learning: patterns times the learning-rate factor at least this
     * product. See {@link #learningNote}.
     */
    public static final double MIN_LEARNING_PRODUCT = 1_000_000.0;
    /** The microcircuit's held-out error must end at most this share of its start to count as learning. */
    public static final double MAX_LEARNED_RATIO = 0.9;
    /** Checkpoint file. */
    public static final String CHECKPOINT_FILE = RegressionCheckpoint.FILE;

    private RegressionExperiment() {
    }

    /**
     * How a session runs (not part of the results).
     *
     * @param checkpointMinutes minutes between checkpoints (positive)
     * @param parallel          train the shallow learner on a second thread
     * @param listener          receives (patterns done, current test error) after every pattern; may be null
     * @param stop              polled after every pattern: true stops the run early (a signal); it then saves
     *                          its checkpoint, curves and figure and reports status INTERRUPTED
     * @since 0.1
     */
    public record Session(double checkpointMinutes, boolean parallel, ProgressListener listener,
                          java.util.function.BooleanSupplier stop) {

        /**
         * A session that runs to the end.
         *
         * @param checkpointMinutes minutes between checkpoints
         * @param parallel          run the shallow learner on a second thread
         * @param listener          progress receiver (may be null)
         */
        public Session(final double checkpointMinutes, final boolean parallel, final ProgressListener listener) {
            this(checkpointMinutes, parallel, listener, () -> false);
        }
    }

    /**
     * Receives progress.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * @param done      patterns done
         * @param testError current moving-average test error of the microcircuit
         */
        void update(long done, double testError);
    }

    /**
     * A fresh run.
     *
     * @param settings the settings
     * @param folder   output folder (must exist)
     * @param session  how to run
     * @return the results (also written to the folder)
     */
    public static RegressionResultsJson run(final RegressionSettings settings, final Path folder,
                                            final Session session) {
        final long wallStart = System.nanoTime();
        final RegressionRun run = RegressionRun.start(settings);
        JsonFiles.write(folder.resolve(CONFIG_FILE), config(settings, session.checkpointMinutes()));
        return continueRun(run, folder, session, wallStart);
    }

    /**
     * Continues a run from the checkpoint in its folder.
     *
     * @param folder   output folder of the earlier run
     * @param patterns new total number of patterns, or negative to keep the saved total
     * @param session  how to run
     * @return the results (also written to the folder)
     */
    public static RegressionResultsJson resume(final Path folder, final long patterns, final Session session) {
        final long wallStart = System.nanoTime();
        final RegressionRun run = RegressionCheckpoint.read(folder.resolve(CHECKPOINT_FILE), patterns);
        // files that a killed session was writing (hidden temporaries, see AtomicFiles)
        AtomicFiles.removeStaleTemporaries(folder);
        JsonFiles.write(folder.resolve(CONFIG_FILE), config(run.settings(), session.checkpointMinutes()));
        return continueRun(run, folder, session, wallStart);
    }

    /**
     * @param folder a folder
     * @return true if it holds a checkpoint (anything of that name: resuming names the file if it is not a
     *         valid one)
     */
    public static boolean hasCheckpoint(final Path folder) {
        return Files.exists(folder.resolve(CHECKPOINT_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * @param folder a folder with a checkpoint
     * @return {total patterns saved, patterns done} of its run
     */
    public static long[] savedProgress(final Path folder) {
        return RegressionCheckpoint.progress(folder.resolve(CHECKPOINT_FILE));
    }

    private static RegressionResultsJson continueRun(final RegressionRun run, final Path folder, final Session session,
                                                     final long wallStart) {
        final double earlier = run.previousWallSeconds();
        final Path checkpoint = folder.resolve(CHECKPOINT_FILE);
        final ExecutorService helper = session.parallel() ? Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "regression-shallow");
            t.setDaemon(true);
            return t;
        }) : null;
        final Progress progress = Progress.stoppable((done, total, metrics) -> {
            if (session.listener() != null) {
                session.listener().update(done, metrics.get("testError"));
            }
        }, session.stop());
        final Checkpoints checkpoints = Checkpoints.every(session.checkpointMinutes() * 60.0, state -> {
            final RegressionRun r = (RegressionRun) state;
            RegressionCheckpoint.write(checkpoint, r, earlier + (System.nanoTime() - wallStart) * 1e-9);
            // long runs can be inspected while they go: curves and figure as of this checkpoint
            writeCurvesAndFigure(r, folder);
        });
        final RegressionResult result;
        try {
            result = Regression.INSTANCE.continueRun(run, progress, checkpoints, helper);
        } finally {
            if (helper != null) {
                helper.shutdownNow();
                awaitQuietly(helper);
            }
        }
        final String message = result.status() == RunStatus.INTERRUPTED
                ? result.message() + "; continue with --resume " + folder : result.message();
        final RegressionResult.Errors e = result.finalHeldOut();
        final double[] heldOut = {e.microcircuit(), e.shallow(), e.backprop()};
        writeCurvesAndFigure(run, folder);
        final double wall = earlier + (System.nanoTime() - wallStart) * 1e-9;
        final RegressionResultsJson results = results(run, heldOut, result.startedAt(), result.trainSeconds(), wall,
                result.status().name(), message);
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);
        return results;
    }

    private static void writeCurvesAndFigure(final RegressionRun run, final Path folder) {
        CsvFiles.writeColumns(folder.resolve(CURVES_FILE), RegressionRun.COLUMNS, columns(run.curves()));
        CsvFiles.writeColumns(folder.resolve(HELD_OUT_FILE), RegressionRun.HELD_OUT_COLUMNS,
                columns(run.heldOutCurve(), RegressionRun.HELD_OUT_COLUMNS.size()));
        figure(run).writePng(folder.resolve(PLOT_FILE));
    }

    private static void awaitQuietly(final ExecutorService helper) {
        try {
            helper.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<double[]> columns(final List<double[]> rows) {
        return columns(rows, RegressionRun.COLUMNS.size());
    }

    private static List<double[]> columns(final List<double[]> rows, final int width) {
        final List<double[]> cols = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            final double[] c = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                c[i] = rows.get(i)[j];
            }
            cols.add(c);
        }
        return cols;
    }

    /**
     * The figure: on top and largest the held-out error of the three learners (the same fixed patterns every
     * time, so the curve moves only when the learners do); below, smaller and lighter, the moving average of
     * single fresh test patterns (noisy: single errors are heavy-tailed); then the microcircuit's mismatches
     * and alignment angle. A run too short to show learning says so in the top panel.
     */
    private static Figure figure(final RegressionRun run) {
        final RegressionSettings s = run.settings();
        final List<double[]> h = columns(run.heldOutCurve(), RegressionRun.HELD_OUT_COLUMNS.size());
        final XYChart heldOut = Charts.lines("regression " + label(s) + ": held-out error", "training pattern "
                + "(the same " + s.heldOut() + " held-out patterns, tested at 0, every " + s.heldOutEvery()
                + " and at the end)",
                "mean squared error", List.of(new Series("microcircuit", h.get(0), h.get(1)),
                        new Series("shallow", h.get(0), h.get(2)), new Series("backprop", h.get(0), h.get(3))),
                MAIN_HEIGHT);
        style(heldOut, 1.0f, 2.2f, true);
        // from zero: the height of a change shows its size relative to the error (an automatic range would blow a
        // 0.1 % change up to the full panel)
        heldOut.getStyler().setYAxisMin(0.0);
        final String note = learningNote(s, run.done(), run.heldOutCurve());
        if (note != null) {
            final org.knowm.xchart.AnnotationTextPanel panel = new org.knowm.xchart.AnnotationTextPanel(
                    wrap(note, NOTE_WIDTH), 90, 150, true);
            heldOut.addAnnotation(panel);
            heldOut.getStyler().setAnnotationTextPanelFontColor(new Color(160, 30, 30));
            heldOut.getStyler().setAnnotationTextPanelBorderColor(new Color(160, 30, 30));
            heldOut.getStyler().setAnnotationTextPanelBackgroundColor(new Color(255, 245, 245));
            heldOut.getStyler().setAnnotationTextPanelFont(new java.awt.Font(java.awt.Font.SANS_SERIF,
                    java.awt.Font.BOLD, 13));
        }
        final List<double[]> c = columns(run.curves());
        final double[] x = c.get(0);
        final XYChart errors = Charts.lines("single fresh test patterns, moving average (weight " + s.emaAlpha()
                + " per test point, every " + s.testEvery() + " patterns): noisy", "training pattern",
                "squared error", List.of(new Series("microcircuit", x, c.get(1)), new Series("shallow", x, c.get(2)),
                                         new Series("backprop", x, c.get(3))), SMALL_HEIGHT);
        style(errors, 0.45f, 1.2f, false);
        final XYChart mismatch = Charts.lines("self-prediction: apical and interneuron mismatch", "training pattern",
                "squared norm", List.of(new Series("|vA1|^2", x, c.get(7)), new Series("|u2 - uI1|^2", x, c.get(8))),
                SMALL_HEIGHT);
        final XYChart angle = Charts.lines("alignment of forward and feedback weights", "training pattern",
                "angle (deg)", List.of(new Series("angle(W2^T, B1)", x, c.get(9))), SMALL_HEIGHT);
        return Figure.of(List.of(heldOut, errors, mismatch, angle));
    }

    /** Height of the held-out panel (pixels). */
    private static final int MAIN_HEIGHT = 420;
    /** Height of the secondary panels (pixels). */
    private static final int SMALL_HEIGHT = 240;
    /** Characters per line of the note in the figure. */
    private static final int NOTE_WIDTH = 110;
    /** Colours of microcircuit, shallow learner and backprop in both error panels. */
    private static final Color[] LEARNER_COLORS = {new Color(31, 119, 180), new Color(230, 120, 20),
                                                   new Color(44, 160, 44)};

    /** Markers of microcircuit, shallow learner and backprop on the held-out curve. */
    private static final org.knowm.xchart.style.markers.Marker[] LEARNER_MARKERS = {
        org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE, org.knowm.xchart.style.markers.SeriesMarkers.SQUARE,
        org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND};

    /** The learners' colours (translucent for a secondary panel), line width and markers on measured points. */
    private static void style(final XYChart chart, final float opacity, final float width, final boolean markers) {
        int k = 0;
        for (final org.knowm.xchart.XYSeries series : chart.getSeriesMap().values()) {
            if (!series.isShowInLegend() || k >= LEARNER_COLORS.length) {
                continue;
            }
            final Color c = LEARNER_COLORS[k++];
            final Color shown = new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.round(255 * opacity));
            series.setLineColor(shown);
            series.setLineWidth(width);
            if (markers) {
                // different shapes, so that learners with equal errors (at the start) stay distinguishable
                series.setMarker(LEARNER_MARKERS[k - 1]);
                series.setMarkerColor(shown);
            }
        }
        chart.getStyler().setMarkerSize(8);
    }

    private static String wrap(final String text, final int width) {
        final StringBuilder out = new StringBuilder();
        int line = 0;
        for (final String word : text.split(" ")) {
            if (line > 0 && line + 1 + word.length() > width) {
                out.append('\n');
                line = 0;
            } else if (line > 0) {
                out.append(' ');
                line++;
            }
            out.append(word);
            line += word.length();
        }
        return out.toString();
    }

    /**
     * Whether a run shows learning, and if not, why. The weights move in proportion to the number of patterns
     * times the learning-rate factor. A run is too short to show learning if that product is below
     * {@value #MIN_LEARNING_PRODUCT} (10,000 patterns at the default x100, 1,000 at x1000): measured on seeds 1,
     * 2 and 3 at x100 (exponential Euler, dt 0.5 ms), the microcircuit's held-out error falls steadily but by only
     * 1.5 %, 1.2 % and 0.7 % after 2,000 patterns and 8.5 %, 8.7 % and 2.7 % after 6,000, and it stays within
     * 1.4 % of the shallow learner's; at x1000 (product 3,000,000) seed 1 falls from 0.113 to 0.047 in 3,000
     * patterns. A longer run shows learning if the microcircuit's held-out error ends at most
     * {@value #MAX_LEARNED_RATIO} of its start.
     *
     * @param s       the settings
     * @param done    patterns trained
     * @param heldOut held-out rows (pattern, circuit, shallow, backprop), the first before training
     * @return null if the run shows learning, else one sentence saying why not
     */
    static String learningNote(final RegressionSettings s, final long done, final List<double[]> heldOut) {
        final double[] first = heldOut.get(0);
        final double[] last = heldOut.get(heldOut.size() - 1);
        if (done * s.learningRateScale() < MIN_LEARNING_PRODUCT) {
            return String.format(java.util.Locale.ROOT, "Too short to show learning: %,d patterns at learning "
                    + "rates x%s (the microcircuit's held-out error %.4f -> %.4f); learning shows after about %,.0f "
                    + "patterns at this rate (--patterns).", done, format(s.learningRateScale()), first[1], last[1],
                    Math.ceil(MIN_LEARNING_PRODUCT / s.learningRateScale()));
        }
        if (!(last[1] <= MAX_LEARNED_RATIO * first[1])) {
            return String.format(java.util.Locale.ROOT, "No learning visible: the microcircuit's held-out error "
                    + "went from %.4f to %.4f, not below %.0f %% of its start.", first[1], last[1],
                    100 * MAX_LEARNED_RATIO);
        }
        return null;
    }

    private static String label(final RegressionSettings s) {
        return "seed " + s.seed() + ", " + s.solver() + " dt " + s.dt() + " ms, learning rates x"
               + format(s.learningRateScale());
    }

    private static String format(final double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * @param s settings
     * @return the remark on the learning rates that the output repeats
     */
    public static String learningRateNote(final RegressionSettings s) {
        return s.paper() ? "published learning rates (--paper)"
                         : "learning rates scaled x" + format(s.learningRateScale())
                           + " from the published values so that learning is visible in minutes; --paper uses them unscaled";
    }

    private static RegressionResultsJson results(final RegressionRun run, final double[] heldOut, final long startedAt,
                                                 final double trainSeconds, final double wall, final String status,
                                                 final String message) {
        final RegressionSettings s = run.settings();
        final List<double[]> curves = run.curves();
        final double[] first = curves.get(0);
        final double[] last = curves.get(curves.size() - 1);
        final long trained = run.done() - startedAt;
        final String note = learningNote(s, run.done(), run.heldOutCurve());
        final Map<String, String> files = new LinkedHashMap<>();
        files.put("config", CONFIG_FILE);
        files.put("curves", CURVES_FILE);
        files.put("heldOut", HELD_OUT_FILE);
        files.put("plot", PLOT_FILE);
        files.put("checkpoint", CHECKPOINT_FILE);
        return new RegressionResultsJson(VersionProvider.version(), s.seed(), s.solver(), s.dt(), run.done(),
                s.learningRateScale(), s.paper(), learningRateNote(s), first[1], run.ema()[RegressionRun.CIRCUIT],
                first[2], run.ema()[RegressionRun.SHALLOW], first[3], run.ema()[RegressionRun.BACKPROP],
                byLearner(run.initialHeldOut()), byLearner(heldOut), s.heldOut(), s.heldOutEvery(),
                "SUCCESS".equals(status) ? note == null : null, "SUCCESS".equals(status) ? note : null,
                last[7], last[8], last[9],
                trainSeconds > 0 ? trained / trainSeconds : 0.0, wall, startedAt, status, message, files,
                SettingsFiles.document(Regression.KIND, s));
    }

    private static Map<String, Double> byLearner(final double[] e) {
        final Map<String, Double> m = new LinkedHashMap<>();
        m.put("microcircuit", e[RegressionRun.CIRCUIT]);
        m.put("shallow", e[RegressionRun.SHALLOW]);
        m.put("backprop", e[RegressionRun.BACKPROP]);
        return m;
    }

    private static RegressionConfigJson config(final RegressionSettings s, final double checkpointMinutes) {
        final Microcircuit.Config c = RegressionRun.config(s);
        final Map<String, Double> rates = new LinkedHashMap<>();
        for (int k = 0; k < c.etaForward().length; k++) {
            rates.put("W" + (k + 1), c.etaForward()[k]);
        }
        rates.put("P (interneuron from pyramidal)", c.etaIP());
        rates.put("Q (apical from interneuron)", c.etaPI());
        rates.put("B (top-down, fixed)", c.etaTopDown());
        final List<Integer> student = new ArrayList<>();
        for (final int n : c.sizes()) {
            student.add(n);
        }
        final List<Integer> teacher = List.of(c.sizes()[0], s.teacherHidden(), c.sizes()[c.layers()]);
        final List<String> notes = List.of(learningRateNote(s),
                "inputs U(-1,1) used directly as rates, low-pass filtered with tau0 = " + c.tau0() + " ms",
                "noise: per-step convention (std sigma*dt per 0.1-ms step), white noise of amplitude "
                + "sigma*sqrt(0.1 ms) for any --dt; tests are noise-free",
                "test error: one fresh pattern every testEvery patterns, state copied, no nudging, no plasticity, "
                + "output read after patternMs; moving average with weight emaAlpha, started at the held-out mean",
                "held-out error (heldout.csv, the figure's main curve): mean over the same heldOutPatterns patterns, "
                + "tested like the test points, at pattern 0, every heldOutEvery patterns and at the end",
                "shallow learner: same initial state and noise, forward learning rate of layer 1 = 0",
                "backprop: rate network phi(W2 phi(W1 x)), same initial forward weights, SGD on |r2 - rTarget|^2, "
                + "one step per pattern");
        return new RegressionConfigJson(VersionProvider.version(), s.seed(), s.solver(), s.dt(), s.patterns(),
                s.patternMs(), s.testEvery(), s.emaAlpha(), s.heldOut(), s.heldOutEvery(), s.learningRateScale(),
                s.paper(), rates,
                s.backpropRate(), student, teacher, List.of(Teacher.PAPER_GAIN_HIDDEN, Teacher.PAPER_GAIN_OUTPUT),
                c.sigma(), c.whiteSigma(), checkpointMinutes, notes);
    }
}
