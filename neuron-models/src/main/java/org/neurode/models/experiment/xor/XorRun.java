package org.neurode.models.experiment.xor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.neurode.models.experiment.BinaryArrays;
import org.neurode.models.experiment.Checkpointable;
import org.neurode.models.experiment.Futures;
import org.neurode.models.cfc.CfcCell;
import org.neurode.models.cfc.XorTask;
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.Optimizer;
import org.neurode.models.learn.ParameterVector;
import org.neurode.models.learn.SequenceModel;
import org.neurode.models.ltc.FullyConnected;
import org.neurode.models.ltc.LtcCell;

/**
 * Trains a sequence classifier on the bit-stream XOR task ({@link XorTask}): the network reads the whole
 * sequence and its two outputs after the last step are the logits of parity 0 and 1 (softmax cross-entropy;
 * raminmh/CfC uses one logit with a binary cross-entropy, the same model family). Minibatches of shuffled
 * training sequences, gradients averaged over the batch, optional gradient-norm clipping, Adam, and a
 * learning rate multiplied by {@code learningRateDecay} after every epoch (as the paper's
 * {@code ExponentialDecay(base_lr, steps_per_epoch, decay)}, applied per epoch). Deterministic for given
 * settings. Not thread-safe.
 *
 * @since 0.2
 */
public final class XorRun implements Checkpointable, AutoCloseable {

    /** Curve columns. */
    public static final List<String> COLUMNS = List.of("step", "samples", "epoch", "trainLoss", "trainAccuracy",
            "testAccuracy", "testLoss", "learningRate", "seconds");


    /** Receives progress. */
    public interface Listener {
        /**
         * @param samples       training sequences done
         * @param loss          mean training loss of the last interval
         * @param accuracy      training accuracy of the last interval
         * @param testAccuracy  latest test accuracy (NaN before the first evaluation)
         */
        void update(long samples, double loss, double accuracy, double testAccuracy);
    }

    private final XorSettings settings;
    private final SequenceModel model;
    private final XorTask train;
    private final XorTask test;
    private final Optimizer optimizer;
    private final List<double[]> curves = new ArrayList<>();
    private final Worker[] workers;
    private final ExecutorService pool;
    private final double[] before;
    /** Offsets and lengths of the weight blocks that weight decay applies to. */
    private final int[][] decayed;

    private int epochsDone;
    private long steps;
    private long samples;
    private double rateFactor = 1.0;
    private double intervalLoss;
    private long intervalCorrect;
    private long intervalCount;
    private double evaluationNanos;
    private double trainNanos;
    private double lastLoss = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private double testAccuracy = Double.NaN;
    private double testLoss = Double.NaN;
    private double bestTestAccuracy = Double.NaN;
    private String failure;

    public XorRun(final XorSettings settings) {
        this.settings = settings;
        this.model = createModel(settings);
        this.train = XorTask.generate(settings.trainSize(), XorTask.TRAIN_SEED, settings.eventBased(),
                settings.padSize());
        this.test = XorTask.generate(settings.testSize(), XorTask.TEST_SEED, settings.eventBased(),
                settings.padSize());
        this.optimizer = switch (settings.optimizerName()) {
            case "adam" -> Optimizer.adam(settings.learningRate());
            case "rmsprop" -> Optimizer.rmsProp(settings.learningRate());
            case "rmsprop-keras" -> Optimizer.rmsProp(settings.learningRate(), 0.9, 1e-7);
            default -> throw new IllegalArgumentException("--optimizer " + settings.optimizerName()
                    + ": expected adam, rmsprop or rmsprop-keras");
        };
        if (settings.threads() < 1) {
            throw new IllegalArgumentException("--threads must be at least 1: " + settings.threads());
        }
        if (!(settings.weightDecay() >= 0) || Double.isInfinite(settings.weightDecay())) {
            throw new IllegalArgumentException("--weight-decay must be a finite number, 0 or more: "
                    + settings.weightDecay());
        }
        final int longest = Math.max(train.maxSteps(), test.maxSteps());
        this.workers = new Worker[settings.threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w == 0 ? model : createModel(settings), longest);
        }
        this.pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length - 1, r -> {
            final Thread t = new Thread(r, "xor-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        this.before = new double[model.parameters().size()];
        final List<int[]> blocks = new ArrayList<>();
        for (final ParameterVector.Block b : model.parameters().blocks()) {
            if (b.rows() > 1 && b.cols() > 1 && !b.name().startsWith("fc.")) {
                blocks.add(new int[] {b.offset(), b.size()});
            }
        }
        this.decayed = blocks.toArray(new int[0][]);
    }

    /** One thread's network copy, buffers and tallies (worker 0 is the run's own network). */
    private final class Worker {
        final SequenceModel net;
        final double[][][] outputs;
        final double[][][] gradients;
        final double[] logits = new double[2];
        final double[] dLogits = new double[2];
        double loss;
        long correct;
        double forwardNanos;
        double backwardNanos;

        Worker(final SequenceModel net, final int longest) {
            this.net = net;
            this.outputs = new double[longest + 1][][];
            this.gradients = new double[longest + 1][][];
            for (int n = 1; n <= longest; n++) {
                outputs[n] = new double[n][2];
                gradients[n] = new double[n][2];
            }
        }

        /** Forward and backward over training sequences {@code order[from..to)}, gradient scaled by scale. */
        void train(final int[] order, final int from, final int to, final double scale) {
            if (net != model) {
                net.parameters().copyFrom(model.parameters());
            }
            net.parameters().zeroGradient();
            loss = 0.0;
            correct = 0;
            for (int b = from; b < to; b++) {
                final XorTask.Sample s = train.sample(order[b]);
                final int n = s.steps();
                final double[][] y = outputs[n];
                final double[][] dy = gradients[n];
                final long t0 = System.nanoTime();
                net.forward(s.inputs(), s.elapsed(), y);
                final long t1 = System.nanoTime();
                logits[0] = y[n - 1][0];
                logits[1] = y[n - 1][1];
                loss += Losses.softmaxCrossEntropy(logits, s.label(), dLogits);
                dy[n - 1][0] = dLogits[0] * scale;
                dy[n - 1][1] = dLogits[1] * scale;
                final long t2 = System.nanoTime();
                net.backward(dy);
                final long t3 = System.nanoTime();
                dy[n - 1][0] = 0.0;
                dy[n - 1][1] = 0.0;
                forwardNanos += t1 - t0;
                backwardNanos += t3 - t2;
                correct += predicted(logits) == s.label() ? 1 : 0;
            }
        }
    }

    /**
     * @param s settings
     * @return a fresh network for them
     */
    public static SequenceModel createModel(final XorSettings s) {
        return switch (s.model()) {
            case "cfc" -> cfc(s, CfcCell.Mode.DEFAULT);
            case "cfc-nogate" -> cfc(s, CfcCell.Mode.NO_GATE);
            case "cfc-pure" -> cfc(s, CfcCell.Mode.PURE);
            case "cfc-mixed" -> new CfcCell(config(s, CfcCell.Mode.DEFAULT).withMixedMemory(s.forgetBias()), s.seed());
            // ncps-style LTC: all neurons connected, the first two are the motor neurons giving the logits
            case "ltc" -> LtcCell.of(FullyConnected.of(s.hidden(), 2, 1), s.seed());
            default -> throw new IllegalArgumentException("--model " + s.model()
                    + ": expected cfc, cfc-nogate, cfc-pure, cfc-mixed or ltc");
        };
    }

    private static CfcCell cfc(final XorSettings s, final CfcCell.Mode mode) {
        return new CfcCell(config(s, mode), s.seed());
    }

    private static CfcCell.Config config(final XorSettings s, final CfcCell.Mode mode) {
        return new CfcCell.Config(1, s.hidden(), 2, mode, s.backboneUnits(), s.backboneLayers(), s.activation());
    }

    public XorSettings settings() {
        return settings;
    }

    public SequenceModel model() {
        return model;
    }

    public XorTask test() {
        return test;
    }

    /** @return steps per epoch (the last batch of an epoch may be smaller) */
    public long stepsPerEpoch() {
        return (train.size() + settings.batch() - 1) / settings.batch();
    }

    /** @return the planned number of optimizer steps */
    public long totalSteps() {
        return stepsPerEpoch() * settings.epochs();
    }

    /**
     * Trains for the configured epochs, or until {@code stop} answers true or the loss is not finite.
     *
     * @param listener progress receiver (may be null)
     * @param stop     polled after every step
     */
    public void run(final Listener listener, final BooleanSupplier stop) {
        run(listener, stop, () -> { }, () -> { });
    }

    /**
     * Trains as {@link #run(Listener, BooleanSupplier)}, from the first epoch or, after {@link #readState}, from
     * the epoch after the saved one. Calls {@code afterEvaluation} after every test evaluation during training
     * (the command rewrites its curves, figure and model there) and {@code afterEpoch} after every completed
     * epoch (the command writes its checkpoint there, so a long run that dies loses at most one epoch, and a
     * finished run can be extended).
     *
     * @param listener        progress receiver (may be null)
     * @param stop            polled after every step
     * @param afterEvaluation called after each intermediate test evaluation
     * @param afterEpoch      called after each completed epoch
     */
    public void run(final Listener listener, final BooleanSupplier stop, final Runnable afterEvaluation,
             final Runnable afterEpoch) {
        final long total = totalSteps();
        // logging every 1/50 epoch: a function of the epoch, not of the planned total, so that a run extended by
        // --resume logs (and averages its training loss) exactly as one planned that long from the start
        final long logEvery = Math.max(1, stepsPerEpoch() / 50);
        final long evalEvery = Math.max(1, total / Math.max(1, settings.evaluations()));
        final ParameterVector p = model.parameters();
        final int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        final SplittableRandom shuffle = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        // a resumed run replays the shuffles of the epochs done, so its batches are those of an uninterrupted run
        for (int epoch = 0; epoch < epochsDone; epoch++) {
            shuffle(order, shuffle);
        }
        if (epochsDone == 0) {
            evaluate();
            curves.add(row(0, testAccuracy, testLoss, settings.learningRate()));
        }
        final long trainStart = System.nanoTime() - (long) trainNanos;
        double pausedNanos = 0.0;
        outer:
        for (int epoch = epochsDone; epoch < settings.epochs(); epoch++) {
            shuffle(order, shuffle);
            for (int start = 0; start < order.length; start += settings.batch()) {
                final int end = Math.min(order.length, start + settings.batch());
                trainBatch(order, start, end);
                for (final Worker w : workers) {
                    intervalLoss += w.loss;
                    intervalCorrect += w.correct;
                }
                intervalCount += end - start;
                if (settings.weightDecay() > 0) {
                    final double[] v = p.values();
                    final double[] g = p.gradient();
                    final double f = 2.0 * settings.weightDecay();
                    for (final int[] blk : decayed) {
                        for (int i = blk[0]; i < blk[0] + blk[1]; i++) {
                            g[i] += f * v[i];
                        }
                    }
                }
                if (settings.clipNorm() > 0) {
                    Optimizer.clipGradientNorm(p, settings.clipNorm());
                }
                step(p, rateFactor);
                steps++;
                samples += end - start;
                if (!Double.isFinite(intervalLoss)) {
                    failure = "the training loss is not finite at step " + steps + " (learning rate too large?)";
                    lastLoss = Double.NaN;
                    break outer;
                }
                final boolean last = epoch == settings.epochs() - 1 && end == order.length;
                final boolean evaluation = steps % evalEvery == 0 && !last;
                if (steps % logEvery == 0 || last || evaluation) {
                    lastLoss = intervalLoss / intervalCount;
                    lastAccuracy = (double) intervalCorrect / intervalCount;
                    intervalLoss = 0.0;
                    intervalCorrect = 0;
                    intervalCount = 0;
                    double tAcc = Double.NaN;
                    double tLoss = Double.NaN;
                    if (evaluation) {
                        final long e0 = System.nanoTime();
                        evaluate();
                        pausedNanos += System.nanoTime() - e0;
                        tAcc = testAccuracy;
                        tLoss = testLoss;
                    }
                    trainNanos = System.nanoTime() - trainStart - pausedNanos;
                    curves.add(row(epoch + (double) end / order.length, tAcc, tLoss,
                            settings.learningRate() * rateFactor));
                    if (listener != null) {
                        listener.update(samples, lastLoss, lastAccuracy, testAccuracy);
                    }
                    if (evaluation) {
                        afterEvaluation.run();
                    }
                }
                if (stop.getAsBoolean()) {
                    break outer;
                }
            }
            rateFactor *= settings.learningRateDecay();
            epochsDone = epoch + 1;
            final long c0 = System.nanoTime();
            trainNanos = c0 - trainStart - pausedNanos;
            afterEpoch.run();
            pausedNanos += System.nanoTime() - c0;
        }
        trainNanos = System.nanoTime() - trainStart - pausedNanos;
        if (failure == null) {
            evaluate();
            final double[] lastRow = curves.get(curves.size() - 1);
            if (lastRow[0] == steps) {
                lastRow[5] = testAccuracy;
                lastRow[6] = testLoss;
            } else {
                curves.add(row(lastRow[2], testAccuracy, testLoss, settings.learningRate() * rateFactor));
            }
        }
    }

    private static void shuffle(final int[] order, final SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** @return epochs completed */
    public int epochsDone() {
        return epochsDone;
    }

    /**
     * Writes everything a resumed run needs after a completed epoch: counters, the logging interval's
     * tallies, the latest test results, times, parameters, optimizer state and curves (doubles as exact bits).
     *
     * @param out destination
     * @throws IOException if writing fails
     */
    public void writeState(final DataOutputStream out) throws IOException {
        out.writeInt(epochsDone);
        out.writeLong(steps);
        out.writeLong(samples);
        out.writeDouble(rateFactor);
        out.writeDouble(intervalLoss);
        out.writeLong(intervalCorrect);
        out.writeLong(intervalCount);
        for (final double x : new double[] {lastLoss, lastAccuracy, testAccuracy, testLoss, bestTestAccuracy,
            trainNanos, evaluationNanos, forwardSeconds() * 1e9, backwardSeconds() * 1e9}) {
            out.writeDouble(x);
        }
        BinaryArrays.write(out, model.parameters().values());
        final double[][] opt = optimizer.state();
        out.writeInt(opt.length);
        for (final double[] a : opt) {
            BinaryArrays.write(out, a);
        }
        out.writeInt(curves.size());
        for (final double[] row : curves) {
            BinaryArrays.write(out, row);
        }
    }

    /**
     * Restores {@link #writeState} output into this freshly constructed run (same settings, except possibly more
     * epochs), checking every field against the settings: counters that follow from the epochs done, the
     * learning-rate factor, array lengths, curve rows.
     *
     * @param in source
     * @throws IOException if reading fails or the data do not fit (the message says which field)
     */
    public void readState(final DataInputStream in) throws IOException {
        epochsDone = in.readInt();
        steps = in.readLong();
        samples = in.readLong();
        rateFactor = in.readDouble();
        intervalLoss = in.readDouble();
        intervalCorrect = in.readLong();
        intervalCount = in.readLong();
        lastLoss = in.readDouble();
        lastAccuracy = in.readDouble();
        testAccuracy = in.readDouble();
        testLoss = in.readDouble();
        bestTestAccuracy = in.readDouble();
        trainNanos = in.readDouble();
        evaluationNanos = in.readDouble();
        workers[0].forwardNanos = in.readDouble();
        workers[0].backwardNanos = in.readDouble();
        // checkpoints are written after whole epochs: the counters follow from the epochs done
        check(epochsDone >= 0, "epochs done", epochsDone);
        check(steps == epochsDone * stepsPerEpoch(), "step count", steps + " after " + epochsDone + " epochs");
        check(samples == (long) epochsDone * train.size(), "sample count", samples + " after " + epochsDone
                + " epochs");
        double factor = 1.0;
        for (int e = 0; e < epochsDone; e++) {
            factor *= settings.learningRateDecay();
        }
        check(Double.doubleToLongBits(rateFactor) == Double.doubleToLongBits(factor), "learning-rate factor",
                rateFactor);
        check(intervalCount >= 0 && intervalCorrect >= 0 && intervalCorrect <= intervalCount, "interval counts",
                intervalCorrect + " of " + intervalCount);
        for (final double t : new double[] {trainNanos, evaluationNanos, workers[0].forwardNanos,
            workers[0].backwardNanos}) {
            check(t >= 0 && Double.isFinite(t), "time", t);
        }
        final int size = model.parameters().size();
        final double[] values = BinaryArrays.read(in, size, "the parameter vector");
        System.arraycopy(values, 0, model.parameters().values(), 0, values.length);
        final double[][] opt = new double[BinaryArrays.readCount(in, 8, "the number of optimizer arrays")][];
        for (int i = 0; i < opt.length; i++) {
            opt[i] = BinaryArrays.read(in);
            // per-parameter moments, or a step counter
            check(opt[i].length == size || opt[i].length == 1, "optimizer array length", opt[i].length);
            if (opt[i].length == 1 && size != 1) {
                check(opt[i][0] >= 0 && opt[i][0] == Math.rint(opt[i][0]), "optimizer step count", opt[i][0]);
            }
        }
        try {
            optimizer.restore(opt);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt: " + e.getMessage(), e);
        }
        final int rows = BinaryArrays.readCount(in, Integer.MAX_VALUE, "the number of curve rows");
        curves.clear();
        double lastStep = 0.0;
        for (int i = 0; i < rows; i++) {
            final double[] row = BinaryArrays.read(in, COLUMNS.size(), "curve row " + i);
            check(row[0] >= lastStep && row[0] <= steps, "step of curve row " + i, row[0]);
            lastStep = row[0];
            curves.add(row);
        }
    }

    private static void check(final boolean valid, final String field, final Object value) throws IOException {
        if (!valid) {
            throw new IOException("corrupt: impossible " + field + " " + value);
        }
    }

    /**
     * Gradient of the mean loss over {@code order[start..end)} into the run's network: worker k takes the k-th
     * contiguous slice (worker 0 on this thread), the others' gradients are added in worker order.
     */
    private void trainBatch(final int[] order, final int start, final int end) {
        final double scale = 1.0 / (end - start);
        final int n = workers.length;
        if (n == 1) {
            workers[0].train(order, start, end, scale);
            return;
        }
        final List<Future<?>> pending = new ArrayList<>(n - 1);
        for (int w = 1; w < n; w++) {
            final Worker worker = workers[w];
            final int from = start + (int) ((long) (end - start) * w / n);
            final int to = start + (int) ((long) (end - start) * (w + 1) / n);
            pending.add(pool.submit(() -> worker.train(order, from, to, scale)));
        }
        workers[0].train(order, start, start + (end - start) / n, scale);
        final double[] g = model.parameters().gradient();
        for (int w = 1; w < n; w++) {
            Futures.join(pending.get(w - 1));
            final double[] gw = workers[w].net.parameters().gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] += gw[i];
            }
        }
    }

    /** Stops the worker threads (idempotent). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** An optimizer step scaled by {@code factor}: Adam's and RMSprop's updates are proportional to their rate. */
    private void step(final ParameterVector p, final double factor) {
        final double[] v = p.values();
        if (factor == 1.0) {
            optimizer.step(p);
            return;
        }
        System.arraycopy(v, 0, before, 0, v.length);
        optimizer.step(p);
        for (int i = 0; i < v.length; i++) {
            v[i] = before[i] + factor * (v[i] - before[i]);
        }
    }

    private double[] row(final double epoch, final double tAcc, final double tLoss, final double rate) {
        return new double[] {steps, samples, epoch, lastLoss, lastAccuracy, tAcc, tLoss, rate, trainNanos * 1e-9};
    }

    private static int predicted(final double[] z) {
        return z[1] > z[0] ? 1 : 0;
    }

    /** Accuracy and mean loss on the whole test set. */
    private void evaluate() {
        final long t0 = System.nanoTime();
        long correct = 0;
        double loss = 0.0;
        final double[][][] outputs = workers[0].outputs;
        final double[] logits = workers[0].logits;
        for (int i = 0; i < test.size(); i++) {
            final XorTask.Sample s = test.sample(i);
            final int n = s.steps();
            final double[][] y = outputs[n];
            model.forward(s.inputs(), s.elapsed(), y);
            logits[0] = y[n - 1][0];
            logits[1] = y[n - 1][1];
            loss += Losses.softmaxCrossEntropy(logits, s.label(), null);
            correct += predicted(logits) == s.label() ? 1 : 0;
        }
        testAccuracy = (double) correct / test.size();
        testLoss = loss / test.size();
        bestTestAccuracy = Double.isNaN(bestTestAccuracy) ? testAccuracy : Math.max(bestTestAccuracy, testAccuracy);
        evaluationNanos += System.nanoTime() - t0;
    }

    public List<double[]> curves() {
        return curves;
    }

    public long steps() {
        return steps;
    }

    @Override
    public long done() {
        return samples;
    }

    /** @return training sequences done */
    public long samples() {
        return samples;
    }

    /** @return forward time summed over the worker threads */
    public double forwardSeconds() {
        double sum = 0.0;
        for (final Worker w : workers) {
            sum += w.forwardNanos;
        }
        return sum * 1e-9;
    }

    /** @return backward time summed over the worker threads */
    public double backwardSeconds() {
        double sum = 0.0;
        for (final Worker w : workers) {
            sum += w.backwardNanos;
        }
        return sum * 1e-9;
    }

    public double trainSeconds() {
        return trainNanos * 1e-9;
    }

    public double evaluationSeconds() {
        return evaluationNanos * 1e-9;
    }

    public double lastLoss() {
        return lastLoss;
    }

    public double lastAccuracy() {
        return lastAccuracy;
    }

    public double testAccuracy() {
        return testAccuracy;
    }

    public double testLoss() {
        return testLoss;
    }

    public double bestTestAccuracy() {
        return bestTestAccuracy;
    }

    public String failure() {
        return failure;
    }

    public String optimizerDescription() {
        return optimizer.describe() + (settings.learningRateDecay() != 1.0
                ? ", x" + settings.learningRateDecay() + " per epoch" : "")
                + (settings.clipNorm() > 0 ? ", clip norm " + settings.clipNorm() : "");
    }
}
