package org.neurode.examples.ctnn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

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
final class XorRun {

    /** Curve columns. */
    static final List<String> COLUMNS = List.of("step", "samples", "epoch", "trainLoss", "trainAccuracy",
            "testAccuracy", "testLoss", "learningRate", "seconds");

    /**
     * Settings of a run.
     *
     * @param model             cfc, cfc-nogate, cfc-pure or ltc
     * @param eventBased        event-based sequences
     * @param padSize           pad size
     * @param trainSize         training sequences
     * @param testSize          test sequences
     * @param epochs            epochs
     * @param batch             batch size
     * @param learningRate      Adam learning rate
     * @param learningRateDecay factor per epoch
     * @param clipNorm          gradient-norm clip (0: none)
     * @param hidden            hidden units
     * @param backboneUnits     CfC backbone units
     * @param backboneLayers    CfC backbone layers
     * @param seed              seed of the weights and batch order
     * @param evaluations       test evaluations during training (besides the final one)
     * @param optimizerName     {@code adam} or {@code rmsprop}
     * @param activation        CfC backbone activation
     */
    record Settings(String model, boolean eventBased, int padSize, int trainSize, int testSize, int epochs, int batch,
                    double learningRate, double learningRateDecay, double clipNorm, int hidden, int backboneUnits,
                    int backboneLayers, long seed, int evaluations, String optimizerName,
                    CfcCell.Activation activation) {
    }

    /** Receives progress. */
    interface Listener {
        /**
         * @param samples       training sequences done
         * @param loss          mean training loss of the last interval
         * @param accuracy      training accuracy of the last interval
         * @param testAccuracy  latest test accuracy (NaN before the first evaluation)
         */
        void update(long samples, double loss, double accuracy, double testAccuracy);
    }

    private final Settings settings;
    private final SequenceModel model;
    private final XorTask train;
    private final XorTask test;
    private final Optimizer optimizer;
    private final List<double[]> curves = new ArrayList<>();
    private final double[][][] outputs;
    private final double[][][] gradients;
    private final double[] logits = new double[2];
    private final double[] dLogits = new double[2];
    private final double[] before;

    private long steps;
    private long samples;
    private double forwardNanos;
    private double backwardNanos;
    private double evaluationNanos;
    private double trainNanos;
    private double lastLoss = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private double testAccuracy = Double.NaN;
    private double testLoss = Double.NaN;
    private double bestTestAccuracy = Double.NaN;
    private String failure;

    XorRun(final Settings settings) {
        this.settings = settings;
        this.model = createModel(settings);
        this.train = XorTask.generate(settings.trainSize(), XorTask.TRAIN_SEED, settings.eventBased(),
                settings.padSize());
        this.test = XorTask.generate(settings.testSize(), XorTask.TEST_SEED, settings.eventBased(),
                settings.padSize());
        this.optimizer = switch (settings.optimizerName()) {
            case "adam" -> Optimizer.adam(settings.learningRate());
            case "rmsprop" -> Optimizer.rmsProp(settings.learningRate());
            default -> throw new IllegalArgumentException("--optimizer " + settings.optimizerName()
                    + ": expected adam or rmsprop");
        };
        final int longest = Math.max(train.maxSteps(), test.maxSteps());
        this.outputs = new double[longest + 1][][];
        this.gradients = new double[longest + 1][][];
        for (int n = 1; n <= longest; n++) {
            outputs[n] = new double[n][2];
            gradients[n] = new double[n][2];
        }
        this.before = new double[model.parameters().size()];
    }

    /**
     * @param s settings
     * @return a fresh network for them
     */
    static SequenceModel createModel(final Settings s) {
        return switch (s.model()) {
            case "cfc" -> cfc(s, CfcCell.Mode.DEFAULT);
            case "cfc-nogate" -> cfc(s, CfcCell.Mode.NO_GATE);
            case "cfc-pure" -> cfc(s, CfcCell.Mode.PURE);
            // ncps-style LTC: all neurons connected, the first two are the motor neurons giving the logits
            case "ltc" -> LtcCell.of(FullyConnected.of(s.hidden(), 2, 1), s.seed());
            default -> throw new IllegalArgumentException("--model " + s.model()
                    + ": expected cfc, cfc-nogate, cfc-pure or ltc");
        };
    }

    private static CfcCell cfc(final Settings s, final CfcCell.Mode mode) {
        return new CfcCell(new CfcCell.Config(1, s.hidden(), 2, mode, s.backboneUnits(), s.backboneLayers(),
                s.activation()), s.seed());
    }

    SequenceModel model() {
        return model;
    }

    XorTask test() {
        return test;
    }

    /** @return steps per epoch (the last batch of an epoch may be smaller) */
    long stepsPerEpoch() {
        return (train.size() + settings.batch() - 1) / settings.batch();
    }

    /** @return the planned number of optimizer steps */
    long totalSteps() {
        return stepsPerEpoch() * settings.epochs();
    }

    /**
     * Trains for the configured epochs, or until {@code stop} answers true or the loss is not finite.
     *
     * @param listener progress receiver (may be null)
     * @param stop     polled after every step
     */
    void run(final Listener listener, final BooleanSupplier stop) {
        run(listener, stop, () -> { });
    }

    /**
     * Trains as {@link #run(Listener, BooleanSupplier)} and calls {@code afterEvaluation} after every test
     * evaluation during training (the command rewrites its curves, figure and model there, so a long run that
     * dies loses at most one evaluation interval).
     *
     * @param listener        progress receiver (may be null)
     * @param stop            polled after every step
     * @param afterEvaluation called after each intermediate test evaluation
     */
    void run(final Listener listener, final BooleanSupplier stop, final Runnable afterEvaluation) {
        final long total = totalSteps();
        final long logEvery = Math.max(1, total / 200);
        final long evalEvery = Math.max(1, total / Math.max(1, settings.evaluations()));
        final ParameterVector p = model.parameters();
        final int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        final SplittableRandom shuffle = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        evaluate();
        curves.add(row(0, testAccuracy, testLoss, settings.learningRate()));
        double intervalLoss = 0.0;
        long intervalCorrect = 0;
        long intervalCount = 0;
        double rateFactor = 1.0;
        final long trainStart = System.nanoTime();
        double pausedNanos = 0.0;
        outer:
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                final int j = shuffle.nextInt(i + 1);
                final int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int start = 0; start < order.length; start += settings.batch()) {
                final int end = Math.min(order.length, start + settings.batch());
                final double scale = 1.0 / (end - start);
                p.zeroGradient();
                for (int b = start; b < end; b++) {
                    final XorTask.Sample s = train.sample(order[b]);
                    final int n = s.steps();
                    final double[][] y = outputs[n];
                    final double[][] dy = gradients[n];
                    final long t0 = System.nanoTime();
                    model.forward(s.inputs(), s.elapsed(), y);
                    final long t1 = System.nanoTime();
                    logits[0] = y[n - 1][0];
                    logits[1] = y[n - 1][1];
                    final double loss = Losses.softmaxCrossEntropy(logits, s.label(), dLogits);
                    dy[n - 1][0] = dLogits[0] * scale;
                    dy[n - 1][1] = dLogits[1] * scale;
                    final long t2 = System.nanoTime();
                    model.backward(dy);
                    final long t3 = System.nanoTime();
                    dy[n - 1][0] = 0.0;
                    dy[n - 1][1] = 0.0;
                    forwardNanos += t1 - t0;
                    backwardNanos += t3 - t2;
                    intervalLoss += loss;
                    intervalCorrect += predicted(logits) == s.label() ? 1 : 0;
                    intervalCount++;
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

    List<double[]> curves() {
        return curves;
    }

    long steps() {
        return steps;
    }

    long samples() {
        return samples;
    }

    double forwardSeconds() {
        return forwardNanos * 1e-9;
    }

    double backwardSeconds() {
        return backwardNanos * 1e-9;
    }

    double trainSeconds() {
        return trainNanos * 1e-9;
    }

    double evaluationSeconds() {
        return evaluationNanos * 1e-9;
    }

    double lastLoss() {
        return lastLoss;
    }

    double lastAccuracy() {
        return lastAccuracy;
    }

    double testAccuracy() {
        return testAccuracy;
    }

    double testLoss() {
        return testLoss;
    }

    double bestTestAccuracy() {
        return bestTestAccuracy;
    }

    String failure() {
        return failure;
    }

    String optimizerDescription() {
        return optimizer.describe() + (settings.learningRateDecay() != 1.0
                ? ", x" + settings.learningRateDecay() + " per epoch" : "")
                + (settings.clipNorm() > 0 ? ", clip norm " + settings.clipNorm() : "");
    }
}
