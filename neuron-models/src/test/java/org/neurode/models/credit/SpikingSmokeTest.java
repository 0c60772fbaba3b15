package org.neurode.models.credit;

import org.junit.jupiter.api.Test;

class SpikingSmokeTest {
    static int err(Task task, java.util.function.BiConsumer<Integer, double[][]> p, int nTest) {
        final double[] x = new double[784];
        final double[] t = new double[10];
        final double[] o = new double[10];
        int wrong = 0;
        for (int i = 0; i < nTest; i++) {
            task.testPattern(i, x, t);
            p.accept(i, new double[][] {x, o});
            int a = 0;
            for (int k = 1; k < 10; k++) if (o[k] > o[a]) a = k;
            if (t[a] != 1.0) wrong++;
        }
        return wrong;
    }

    @Test
    void smoke() {
        final ImageTask task = ImageTask.fashionMnistSubset(1, new int[] {500});
        final double scale = 1.0;
        final SpikingSegregatedDendrites l = SpikingSegregatedDendrites.forTask(task,
                SegregatedDendrites.FeedbackMode.RANDOM, 1, scale,
                SpikingSegregatedDendrites.Options.paper(1).withTestPhase(100, 70));
        final SegregatedDendrites s = (SegregatedDendrites) Rules.segregatedDendrites(SegregatedDendrites.FeedbackMode.RANDOM, SegregatedDendrites.Form.STEADY_STATE).learner(task, 1, scale);
        final double[] x = new double[784];
        final double[] t = new double[10];
        final int nTrain = 900;
        final int nTest = 200;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            int wrong = err(task, (i, a) -> l.predict(i, a[0], a[1]), nTest);
            int wrongS = err(task, (i, a) -> s.predict(a[0], a[1]), nTest);
            long t1 = System.nanoTime();
            System.out.printf("test error %.3f (steady %.3f), %.2f ms/image%n", wrong / (double) nTest, wrongS / (double) nTest, (t1 - t0) / 1e6 / nTest);
            t0 = System.nanoTime();
            double ang = 0, angS = 0;
            for (int i = 0; i < nTrain; i++) {
                task.trainingPattern(rep * nTrain + i, x, t);
                l.train(x, t);
                s.train(x, t);
                ang += l.hiddenUpdateAngle();
                angS += s.hiddenUpdateAngle();
            }
            t1 = System.nanoTime();
            System.out.printf("train %.2f ms/image angle %.1f (steady %.1f)%n", (t1 - t0) / 1e6 / nTrain, ang / nTrain, angS / nTrain);
        }
    }
}
