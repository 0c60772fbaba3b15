package org.neurode.models.credit;

import org.junit.jupiter.api.Test;

class SpikingSmokeTest {
    @Test
    void smoke() {
        final ImageTask task = ImageTask.fashionMnistSubset(1, new int[] {500});
        final SpikingSegregatedDendrites l = SpikingSegregatedDendrites.forTask(task,
                SegregatedDendrites.FeedbackMode.RANDOM, 1, 1.0,
                SpikingSegregatedDendrites.Options.paper(1).withTestPhase(Double.parseDouble(System.getProperty("tp", "100")), Double.parseDouble(System.getProperty("tw", "70"))));
        final double[] x = new double[784];
        final double[] t = new double[10];
        final double[] o = new double[10];
        final int nTrain = Integer.getInteger("ntrain", 300);
        final int nTest = Integer.getInteger("ntest", 200);
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            int wrong = 0;
            for (int i = 0; i < nTest; i++) {
                task.testPattern(i, x, t);
                l.predict(i, x, o);
                int a = 0;
                for (int k = 1; k < 10; k++) if (o[k] > o[a]) a = k;
                if (t[a] != 1.0) wrong++;
            }
            long t1 = System.nanoTime();
            System.out.printf("test error %.3f, %.2f ms/image%n", wrong / (double) nTest, (t1 - t0) / 1e6 / nTest);
            t0 = System.nanoTime();
            double ang = 0;
            for (int i = 0; i < nTrain; i++) {
                task.trainingPattern(rep * nTrain + i, x, t);
                l.train(x, t);
                ang += l.hiddenUpdateAngle();
            }
            t1 = System.nanoTime();
            System.out.printf("train %.2f ms/image angle %.1f%n", (t1 - t0) / 1e6 / nTrain, ang / nTrain);
        }
    }
}
