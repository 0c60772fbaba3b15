package org.neurode.examples.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.neurode.core.OdeException;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.io.JsonFiles;
import org.neurode.models.credit.ImageTask;
import org.neurode.models.tasks.FashionMnist;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code neurode bench}: measured performance, printed as JSON, with ratios against baselines run in the
 * same process (Hipparchus called directly) or measured on this machine class (Brian2).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
         description = {"Runs benchmarks and prints JSON.",
             "  lif       Brian2's 1000-neuron LIF network, 1 s at dt = 0.1 ms, against Brian2 2.5.1's "
                 + "measured 0.021 s (C++ standalone) and 0.77 s (numpy).",
             "  overhead  neurode's solver layer against Hipparchus called directly on the same "
                 + "equation, method and tolerances.",
             "  rate      Brian2's rate network (100 neurons, all-to-all), 1 s at dt = 0.1 ms with rk4, against "
                 + "hipparchus-rk4 in the same process and Brian2 2.5.1's measured 0.089 s (C++ standalone).",
             "  dend      Brian2's dendritic-plasticity network (100 inputs, 100 three-compartment neurons, 10,000 "
                 + "plastic synapses), 1 s at dt = 0.1 ms with euler, against hipparchus-euler in the same "
                 + "process and Brian2 2.5.1's measured 1.14 s (C++ standalone).",
             "  network   Brian2's CUBA network (4,000 LIF neurons, 320,000 current synapses), 1 s at dt = 0.1 ms "
                 + "with euler, against Brian2 2.5.1's measured 0.115 s (C++ standalone), and its time with 10x "
                 + "the neurons, with 10x the synapses and with 320,000 gap junctions (a summed variable) besides.",
             "  microcircuit  patterns per second of the 30-50-10 dendritic microcircuit (plasticity and "
                 + "noise on, one thread) per solver and step.",
             "  seeds     seed-patterns per second of the same circuit with several seeds batched in one "
                 + "interleaved state (one seed per vector lane) against one seed per simulation, on 1 and 2 threads.",
             "  ltc       training steps per second on the ncps sine task (LTC, AutoNCP 8/16/32) and the cost of "
                 + "the backward pass relative to the forward pass.",
             "  credit    online training patterns per second on one thread of backprop and the steady-state "
                 + "microcircuit on Fashion-MNIST 784-500-10 (--data), against a NumPy implementation of the same rules "
                 + "measured on this machine class (examples/scripts/credit_numpy.py); skipped when run as part of "
                 + "all and the data set is not installed.",
             "  burst     the multiplexing circuit of Payeur et al. 2021 (Fig. 3: 10,000 neurons, 4 million synapses "
                 + "with short-term plasticity), simulated seconds per wall second on one thread and two seeds on "
                 + "two, against Brian2 2.5.1's C++ standalone on this machine class (--neurons for smaller "
                 + "circuits).",
             "  jacobian  per model (the 30-50-10 microcircuit, a 10,000-variable diffusion chain, CUBA, "
                 + "Hodgkin-Huxley) the compiled Jacobian's first call (generation included), third call and warm "
                 + "time, and grouped finite differences, as ratios to one evaluation of the derivatives."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "BENCHMARK",
                description = "lif, rate, dend, network, overhead, microcircuit, seeds, ltc, credit, burst, jacobian (default: all)")
    private List<String> which = new ArrayList<>();

    @Option(names = "--repeats", defaultValue = "20", converter = OptionConverters.PositiveInt.class,
            description = "Timed runs per case (default ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--seconds", defaultValue = "3", converter = OptionConverters.PositiveDouble.class,
            description = "Measuring time per microcircuit and seeds configuration, warm-up time per jacobian model (default ${DEFAULT-VALUE} s).")
    private double seconds;

    @Option(names = "--patterns", defaultValue = "4000", converter = OptionConverters.PositiveInt.class,
            description = "credit: training patterns per round and rule (one warm-up and " + CreditBench.ROUNDS
                    + " timed rounds; default ${DEFAULT-VALUE}).")
    private int patterns;

    @Option(names = "--data", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "credit: folder of the Fashion-MNIST IDX files (default: the Debian package "
                    + "dataset-fashion-mnist's, /usr/share/datasets/fashion-mnist).")
    private Path data;

    @Option(names = "--neurons", defaultValue = "4000", converter = OptionConverters.PositiveInt.class,
            description = "burst: pyramidal neurons per population (default ${DEFAULT-VALUE}, the paper's; the ratio "
                    + "to Brian2 is given at that size only).")
    private int neurons;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class,
            description = "Also write the JSON to this file.")
    private Path out;

    private static final List<String> BENCHMARKS = List.of("lif", "rate", "dend", "network", "overhead", "microcircuit",
            "seeds", "ltc", "credit", "burst", "jacobian");

    @Override
    public Integer call() {
        final List<String> names = which.isEmpty() ? BENCHMARKS : which;
        // everything is checked before the first benchmark runs (they take minutes)
        for (final String name : names) {
            if (!BENCHMARKS.contains(name)) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "'; available benchmarks: "
                        + String.join(", ", BENCHMARKS));
            }
        }
        if (names.contains("seeds") && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalArgumentException("bench seeds needs the Vector API: start Java with --add-modules "
                    + "jdk.incubator.vector (the neurode launcher does)");
        }
        if (out != null) {
            OutputFolders.checkFile("--out", out);
        }
        // the data set is read before the first benchmark too: named, it must be there; as part of all, its absence
        // skips the benchmark
        ImageTask fashion = null;
        String creditSkipped = null;
        if (names.contains("credit")) {
            final Path folder = data != null ? data : FashionMnist.DEFAULT_FOLDER;
            try {
                fashion = CreditBench.fashionMnist(folder);
            } catch (OdeException e) {
                if (!which.isEmpty()) {
                    throw e;
                }
                creditSkipped = e.getMessage();
                spec.commandLine().getErr().println("neurode bench: credit skipped: " + e.getMessage());
            }
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("java", System.getProperty("java.version"));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("repeats", repeats);
        for (final String name : names) {
            switch (name) {
                case "lif" -> result.put("lif", Benchmarks.lif(repeats));
                case "rate" -> result.put("rate", Benchmarks.rate(repeats));
                case "dend" -> result.put("dend", Benchmarks.dend(repeats));
                case "network" -> result.put("network", Benchmarks.network(repeats));
                case "overhead" -> result.put("overhead", Benchmarks.overhead(repeats));
                case "microcircuit" -> result.put("microcircuit", Benchmarks.microcircuit(seconds));
                case "seeds" -> result.put("seeds", SeedBatching.run(seconds));
                case "ltc" -> result.put("ltc", Benchmarks.ltc(repeats));
                case "credit" -> result.put("credit", fashion == null ? Map.of("skipped", creditSkipped)
                        : CreditBench.run(fashion, patterns, CreditBench.ROUNDS));
                case "burst" -> result.put("burst", BurstBench.run(neurons));
                case "jacobian" -> result.put("jacobian", JacobianBench.run(true, repeats, seconds));
                default -> throw new IllegalArgumentException("unknown benchmark '" + name
                        + "'; available benchmarks: " + String.join(", ", BENCHMARKS));
            }
        }
        final PrintWriter w = spec.commandLine().getOut();
        w.print(JsonFiles.toJson(result));
        w.flush();
        if (out != null) {
            JsonFiles.write(out, result);
        }
        return 0;
    }
}
