package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurode.examples.Main;

import picocli.CommandLine;

/**
 * A campaign of bad invocations over every command and option of {@code neurode}: missing values, wrong types,
 * negative, zero, NaN, infinite and huge numbers, unknown options and names, missing, unreadable and misplaced
 * paths (a file where a folder is expected and the other way round), conflicting options and empty strings.
 * Every one must be refused before any work with exit code 2 and exactly one line on standard error,
 * {@code neurode: error: ...}, that names the option at fault (or the unknown word), without a stack trace or
 * a Java name, with nothing on standard output and no output folder created.
 */
class CommandLineCampaignTest {

    /** A Java exception or call in a message: "Exception", "Error:", "at org.", "Foo.bar()". */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "Exception|\\bat (org|java|picocli)\\.|\\w+Error\\b|\\b[A-Z]\\w*\\.\\w+\\(\\)|java\\.(lang|io|nio|util)");

    @TempDir
    static Path fixtures;

    private static int fresh;

    /** Placeholders in the cases, replaced by fixture paths. */
    @BeforeAll
    static void createFixtures() throws IOException {
        Files.writeString(fixtures.resolve("file.txt"), "not a model\n");
        Files.createDirectories(fixtures.resolve("dir"));
        Files.createDirectories(fixtures.resolve("emptydir"));
        Files.writeString(fixtures.resolve("good.ode"), String.join("\n", "model decay", "parameter k = 0.5",
                "state y = 1", "dy/dt = -k * y", "time 0 2", ""));
        Files.writeString(fixtures.resolve("noisy.ode"), String.join("\n", "model ou", "parameter tau = 10",
                "state x = 0", "dx/dt = -x / tau", "noise x = 0.5", "time 0 10", ""));
        Files.writeString(fixtures.resolve("broken.ode"), String.join("\n", "model broken", "state y = 1",
                "dy/dt = (1 - y", ""));
        Files.writeString(fixtures.resolve("empty.ode"), "");
        Files.writeString(fixtures.resolve("bad.json"), "{ this is not json");
        Files.writeString(fixtures.resolve("object.json"), "{\"problem\": \"HIRES\"}");
        Files.writeString(fixtures.resolve("wiring.json"), "{\"units\": \"many\"}");
        final Path badCheckpoint = Files.createDirectories(fixtures.resolve("badckpt"));
        Files.writeString(badCheckpoint.resolve("checkpoint.bin"), "garbage, not a checkpoint");
        final Path shortCheckpoint = Files.createDirectories(fixtures.resolve("shortckpt"));
        Files.write(shortCheckpoint.resolve("checkpoint.bin"), new byte[] {0x4E, 0x52, 0x44});
    }

    private static Arguments c(final String fragment, final String... args) {
        return Arguments.of(fragment, List.of(args));
    }

    /** The campaign: the fragment each error line must contain, then the arguments. */
    static Stream<Arguments> cases() {
        final List<Arguments> all = new ArrayList<>();
        // --- the program itself
        all.add(c("command"));
        all.add(c("frobnicate", "frobnicate"));
        all.add(c("--frob", "--frob"));
        all.add(c("-x", "-x"));
        all.add(c("frobnicate", "help", "frobnicate"));
        // --- solvers
        all.add(c("--json", "solvers", "--json=maybe"));
        all.add(c("extra", "solvers", "extra"));
        all.add(c("--frob", "solvers", "--frob"));
        // --- simulate: numbers
        for (final String opt : List.of("--dt", "--t-end", "--record-every", "--atol")) {
            all.add(c(opt, "simulate", opt));
            all.add(c(opt, "simulate", opt, "abc", "--out", "{new}"));
            all.add(c(opt, "simulate", opt, "-1", "--out", "{new}"));
            all.add(c(opt, "simulate", opt, "0", "--out", "{new}"));
            all.add(c(opt, "simulate", opt, "NaN", "--out", "{new}"));
            all.add(c(opt, "simulate", opt, "Infinity", "--out", "{new}"));
            all.add(c(opt, "simulate", opt, "1e400", "--out", "{new}"));
            all.add(c(opt, "simulate", opt, "", "--out", "{new}"));
        }
        all.add(c("--atol", "simulate", "--atol", "1e-9", "--out", "{new}"));
        all.add(c("--dt", "simulate", "--dt", "1,5", "--out", "{new}"));
        all.add(c("--dt", "simulate", "--dt", "0x10", "--out", "{new}"));
        all.add(c("--dt", "simulate", "--dt", "500", "--out", "{new}"));
        all.add(c("--dt", "simulate", "--dt", "1e-300", "--out", "{new}"));
        all.add(c("--dt", "simulate", "--dt", "1e-8", "--out", "{new}"));
        all.add(c("--dt", "simulate", "--solver", "dop853", "--dt", "0.1", "--out", "{new}"));
        all.add(c("--t-end", "simulate", "--t-end", "1e300", "--out", "{new}"));
        all.add(c("--t-end", "simulate", "--solver", "dop853", "--t-end", "1e300", "--out", "{new}"));
        all.add(c("--record-every", "simulate", "--record-every", "1e-300", "--solver", "dop853", "--out", "{new}"));
        all.add(c("--record-every", "simulate", "--record-every", "1e-300", "--out", "{new}"));
        all.add(c("--record-every", "simulate", "--record-every", "500", "--out", "{new}"));
        for (final String value : List.of("0", "-1", "2", "NaN", "abc", "1e-300", "")) {
            all.add(c("--rtol", "simulate", "--solver", "dop853", "--rtol", value, "--out", "{new}"));
        }
        all.add(c("--rtol", "simulate", "--rtol", "1e-3", "--out", "{new}"));
        for (final String value : List.of("0", "-3", "abc", "1.5", "1e9", "99999999999", "")) {
            all.add(c("--n", "simulate", "--n", value, "--out", "{new}"));
        }
        all.add(c("--n", "simulate", "--n", "2000000000", "--out", "{new}"));
        all.add(c("--n", "simulate", "--model", "three-compartment", "--n", "2000000000", "--out", "{new}"));
        all.add(c("--n", "simulate", "--solver", "rodas5p", "--n", "1000000", "--out", "{new}"));
        for (final String value : List.of("abc", "1.5", "99999999999999999999", "")) {
            all.add(c("--seed", "simulate", "--seed", value, "--out", "{new}"));
        }
        // --- simulate: names
        all.add(c("--model", "simulate", "--model", "hodgkin-huxley", "--out", "{new}"));
        all.add(c("--model", "simulate", "--model", "", "--out", "{new}"));
        all.add(c("--solver", "simulate", "--solver", "runge-kutta-99", "--out", "{new}"));
        all.add(c("--solver", "simulate", "--solver", "", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "w[0]", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "v[5..3]", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "v[0..99999999999]", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "v[0..2000000000]", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "v[100]", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "v[", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "W[0,0]", "--out", "{new}"));
        all.add(c("--record", "simulate", "--record", "x[0..3]", "--out", "{new}"));
        all.add(c("--progress", "simulate", "--progress=maybe", "--out", "{new}"));
        all.add(c("--no-noise", "simulate", "--no-noise=maybe", "--out", "{new}"));
        // --- simulate: parameters and noise
        all.add(c("--param", "simulate", "--param", "tau_m", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "nope=1", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "tau_m=abc", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "tau_m=NaN", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "tau_m=Infinity", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "tau_m=", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "=1", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "tau_m=1e400", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "tau_m=5", "--param", "tau_m=6", "--out", "{new}"));
        all.add(c("--param", "simulate", "--param", "", "--out", "{new}"));
        all.add(c("--param", "simulate", "--model-file", "{good.ode}", "--param", "tau=1", "--out", "{new}"));
        all.add(c("--param", "simulate", "--model", "three-compartment", "--param", "tau_m=1", "--out", "{new}"));
        all.add(c("--solver", "simulate", "--model-file", "{noisy.ode}", "--solver", "dop853", "--out", "{new}"));
        all.add(c("--no-noise", "simulate", "--model-file", "{noisy.ode}", "--solver", "tsit5", "--out", "{new}"));
        // --- simulate: files and folders
        all.add(c("--model-file", "simulate", "--model-file", "{missing}", "--out", "{new}"));
        all.add(c("--model-file", "simulate", "--model-file", "{dir}", "--out", "{new}"));
        all.add(c("--model-file", "simulate", "--model-file", "", "--out", "{new}"));
        all.add(c("--model-file", "simulate", "--model-file"));
        all.add(c("broken.ode", "simulate", "--model-file", "{broken.ode}", "--out", "{new}"));
        all.add(c("file.txt", "simulate", "--model-file", "{file.txt}", "--out", "{new}"));
        all.add(c("--model-file", "simulate", "--model-file", "{good.ode}", "--model", "lif", "--out", "{new}"));
        all.add(c("--model-file", "simulate", "--model-file", "{good.ode}", "--n", "3", "--out", "{new}"));
        all.add(c("--out", "simulate", "--out", ""));
        all.add(c("--out", "simulate", "--out", "  "));
        all.add(c("--out", "simulate", "--out"));
        all.add(c("--out", "simulate", "--t-end", "1", "--out", "{file.txt}"));
        all.add(c("--out", "simulate", "--t-end", "1", "--out", "{file.txt}/run"));
        all.add(c("--out", "simulate", "--t-end", "1", "--out", "/dev/null/run"));
        all.add(c("--frob", "simulate", "--frob", "--out", "{new}"));
        all.add(c("extra", "simulate", "extra", "--out", "{new}"));
        // --- regression
        for (final String value : List.of("-1", "abc", "1.5", "", "99999999999999999999")) {
            all.add(c("--patterns", "regression", "--patterns", value, "--out", "{new}"));
        }
        all.add(c("--patterns", "regression", "--patterns"));
        all.add(c("--patterns", "regression", "--patterns", "9000000000000000000", "--out", "{new}"));
        all.add(c("--seed", "regression", "--seed", "abc", "--out", "{new}"));
        all.add(c("--seed", "regression", "--seed", "9223372036854775807", "--seeds", "2", "--out", "{new}"));
        for (final String value : List.of("0", "-1", "abc", "")) {
            all.add(c("--seeds", "regression", "--seeds", value, "--out", "{new}"));
        }
        all.add(c("--seeds", "regression", "--seeds", "100000000", "--out", "{new}"));
        for (final String value : List.of("rk4", "dop853", "", "euler")) {
            all.add(c("--solver", "regression", "--solver", value, "--out", "{new}"));
        }
        for (final String value : List.of("200", "100.5", "1e-6", "0", "-0.1", "NaN", "Infinity", "abc")) {
            all.add(c("--dt", "regression", "--dt", value, "--out", "{new}"));
        }
        all.add(c("--learning-rate-scale", "regression", "--paper", "--learning-rate-scale", "10", "--out", "{new}"));
        for (final String value : List.of("0", "-1", "NaN", "abc")) {
            all.add(c("--learning-rate-scale", "regression", "--learning-rate-scale", value, "--out", "{new}"));
        }
        for (final String value : List.of("0", "-5", "abc")) {
            all.add(c("--test-every", "regression", "--test-every", value, "--out", "{new}"));
            all.add(c("--held-out", "regression", "--held-out", value, "--out", "{new}"));
            all.add(c("--held-out-every", "regression", "--held-out-every", value, "--out", "{new}"));
        }
        all.add(c("--test-every", "regression", "--patterns", "500", "--test-every", "1000", "--out", "{new}"));
        all.add(c("--held-out", "regression", "--held-out", "1000000000", "--out", "{new}"));
        for (final String value : List.of("0", "-1", "NaN", "abc", "0.00001")) {
            all.add(c("--checkpoint-minutes", "regression", "--checkpoint-minutes", value, "--out", "{new}"));
        }
        all.add(c("--out", "regression", "--out", ""));
        all.add(c("--out", "regression", "--patterns", "10", "--out", "{file.txt}"));
        all.add(c("--out", "regression", "--patterns", "10", "--out", "{file.txt}/x"));
        all.add(c("--resume", "regression", "--resume", "{missing}"));
        all.add(c("--resume", "regression", "--resume", "{file.txt}"));
        all.add(c("--resume", "regression", "--resume", ""));
        all.add(c("--resume", "regression", "--resume", "{emptydir}"));
        all.add(c("--resume", "regression", "--resume", "{badckpt}"));
        all.add(c("--resume", "regression", "--resume", "{shortckpt}"));
        all.add(c("--seed", "regression", "--resume", "{badckpt}", "--seed", "3"));
        all.add(c("--out", "regression", "--resume", "{badckpt}", "--out", "{new}"));
        all.add(c("--solver", "regression", "--resume", "{badckpt}", "--solver", "exponential-euler"));
        all.add(c("--dt", "regression", "--resume", "{badckpt}", "--dt", "0.5"));
        all.add(c("--paper", "regression", "--resume", "{badckpt}", "--paper"));
        all.add(c("--patterns", "regression", "--resume", "{badckpt}", "--patterns", "-1"));
        all.add(c("--paper", "regression", "--paper=maybe", "--out", "{new}"));
        all.add(c("--frob", "regression", "--frob"));
        // --- node-spiral
        for (final String opt : List.of("--iterations", "--batch-size", "--batch-time", "--test-every")) {
            all.add(c(opt, "node-spiral", opt, "0", "--out", "{new}"));
            all.add(c(opt, "node-spiral", opt, "abc", "--out", "{new}"));
        }
        all.add(c("--iterations", "node-spiral", "--iterations", "99999999999", "--out", "{new}"));
        all.add(c("--batch-time", "node-spiral", "--batch-time", "1", "--out", "{new}"));
        all.add(c("--batch-time", "node-spiral", "--batch-time", "1000", "--out", "{new}"));
        all.add(c("--batch-size", "node-spiral", "--batch-size", "995", "--out", "{new}"));
        all.add(c("--solver", "node-spiral", "--solver", "euler", "--out", "{new}"));
        all.add(c("--solver", "node-spiral", "--solver", "", "--out", "{new}"));
        all.add(c("--step", "node-spiral", "--solver", "rk4", "--out", "{new}"));
        all.add(c("--step", "node-spiral", "--step", "0.01", "--out", "{new}"));
        all.add(c("--step", "node-spiral", "--solver", "tsit5", "--step", "0.01", "--out", "{new}"));
        all.add(c("--rtol", "node-spiral", "--solver", "rk4", "--step", "0.01", "--rtol", "1e-3", "--out", "{new}"));
        all.add(c("--atol", "node-spiral", "--solver", "rk4", "--step", "0.01", "--atol", "1e-3", "--out", "{new}"));
        all.add(c("--step", "node-spiral", "--solver", "rk4", "--step", "1", "--out", "{new}"));
        all.add(c("--step", "node-spiral", "--solver", "rk4", "--step", "1e-9", "--out", "{new}"));
        for (final String value : List.of("0", "-1", "NaN", "abc")) {
            all.add(c("--step", "node-spiral", "--solver", "rk4", "--step", value, "--out", "{new}"));
            all.add(c("--learning-rate", "node-spiral", "--learning-rate", value, "--out", "{new}"));
            all.add(c("--atol", "node-spiral", "--atol", value, "--out", "{new}"));
        }
        for (final String value : List.of("0", "2", "1e-20")) {
            all.add(c("--rtol", "node-spiral", "--rtol", value, "--out", "{new}"));
        }
        all.add(c("--gradient", "node-spiral", "--gradient", "forward", "--out", "{new}"));
        all.add(c("--gradient", "node-spiral", "--gradient", "", "--out", "{new}"));
        all.add(c("--seed", "node-spiral", "--seed", "x", "--out", "{new}"));
        all.add(c("--out", "node-spiral", "--out", ""));
        all.add(c("--out", "node-spiral", "--iterations", "1", "--out", "{file.txt}"));
        // --- ltc-sine
        for (final String opt : List.of("--steps", "--units", "--unfolds")) {
            all.add(c(opt, "ltc-sine", opt, "0", "--out", "{new}"));
            all.add(c(opt, "ltc-sine", opt, "abc", "--out", "{new}"));
            all.add(c(opt, "ltc-sine", opt, "2000000000", "--out", "{new}"));
        }
        all.add(c("--units", "ltc-sine", "--units", "3", "--out", "{new}"));
        for (final String opt : List.of("--lr", "--clip")) {
            for (final String value : List.of("0", "-1", "NaN")) {
                all.add(c(opt, "ltc-sine", opt, value, "--out", "{new}"));
            }
        }
        all.add(c("--seed", "ltc-sine", "--seed", "abc", "--out", "{new}"));
        all.add(c("--wiring-seed", "ltc-sine", "--wiring-seed", "1.5", "--out", "{new}"));
        all.add(c("--wiring", "ltc-sine", "--wiring", "{missing}", "--out", "{new}"));
        all.add(c("--wiring", "ltc-sine", "--wiring", "{dir}", "--out", "{new}"));
        all.add(c("--wiring", "ltc-sine", "--wiring", "{bad.json}", "--out", "{new}"));
        all.add(c("--wiring", "ltc-sine", "--wiring", "{wiring.json}", "--out", "{new}"));
        all.add(c("--wiring", "ltc-sine", "--wiring", "", "--out", "{new}"));
        all.add(c("--units", "ltc-sine", "--wiring", "{wiring.json}", "--units", "8", "--out", "{new}"));
        all.add(c("--out", "ltc-sine", "--out", ""));
        all.add(c("--out", "ltc-sine", "--steps", "1", "--out", "{file.txt}"));
        // --- xor
        all.add(c("--model", "xor", "--model", "gru", "--out", "{new}"));
        all.add(c("--model", "xor", "--model", "", "--out", "{new}"));
        all.add(c("--model", "xor", "--paper", "--model", "gru", "--out", "{new}"));
        for (final String opt : List.of("--epochs", "--train-size", "--test-size", "--batch", "--hidden",
                "--backbone-units", "--evaluations", "--threads", "--pad")) {
            all.add(c(opt, "xor", opt, "0", "--out", "{new}"));
            all.add(c(opt, "xor", opt, "abc", "--out", "{new}"));
        }
        all.add(c("--train-size", "xor", "--train-size", "2000000000", "--out", "{new}"));
        all.add(c("--hidden", "xor", "--hidden", "2000000000", "--out", "{new}"));
        all.add(c("--pad", "xor", "--pad", "2", "--out", "{new}"));
        all.add(c("--pad", "xor", "--pad", "2000000000", "--out", "{new}"));
        all.add(c("--batch", "xor", "--train-size", "10", "--batch", "32", "--out", "{new}"));
        all.add(c("--threads", "xor", "--threads", "100000", "--out", "{new}"));
        all.add(c("--threads", "xor", "--batch", "4", "--threads", "8", "--out", "{new}"));
        for (final String value : List.of("0", "-1", "NaN", "2")) {
            all.add(c("--lr-decay", "xor", "--lr-decay", value, "--out", "{new}"));
        }
        for (final String opt : List.of("--clip", "--weight-decay")) {
            for (final String value : List.of("-1", "NaN", "Infinity", "abc")) {
                all.add(c(opt, "xor", opt, value, "--out", "{new}"));
            }
        }
        all.add(c("--lr", "xor", "--lr", "0", "--out", "{new}"));
        all.add(c("--backbone-layers", "xor", "--backbone-layers", "-1", "--out", "{new}"));
        all.add(c("--backbone-layers", "xor", "--backbone-layers", "abc", "--out", "{new}"));
        all.add(c("--backbone-activation", "xor", "--backbone-activation", "gelu", "--out", "{new}"));
        all.add(c("--backbone-activation", "xor", "--backbone-activation", "", "--out", "{new}"));
        all.add(c("--backbone-units", "xor", "--model", "ltc", "--backbone-units", "8", "--out", "{new}"));
        all.add(c("--optimizer", "xor", "--optimizer", "sgd", "--out", "{new}"));
        all.add(c("--forget-bias", "xor", "--model", "cfc-mixed", "--forget-bias", "NaN", "--out", "{new}"));
        all.add(c("--forget-bias", "xor", "--forget-bias", "0.5", "--out", "{new}"));
        all.add(c("--event", "xor", "--event=maybe", "--out", "{new}"));
        all.add(c("--seed", "xor", "--seed", "abc", "--out", "{new}"));
        all.add(c("--resume", "xor", "--resume", "{missing}"));
        all.add(c("--resume", "xor", "--resume", "{emptydir}"));
        all.add(c("--resume", "xor", "--resume", "{badckpt}"));
        all.add(c("--resume", "xor", "--resume", "{file.txt}"));
        all.add(c("--model", "xor", "--resume", "{badckpt}", "--model", "ltc"));
        all.add(c("--epochs", "xor", "--resume", "{badckpt}", "--epochs", "0"));
        all.add(c("--out", "xor", "--out", ""));
        all.add(c("--out", "xor", "--epochs", "1", "--out", "{file.txt}"));
        // --- compare-solvers
        all.add(c("--problems", "compare-solvers", "--problems", "NOPE", "--out", "{new}"));
        all.add(c("--problems", "compare-solvers", "--problems", "", "--out", "{new}"));
        all.add(c("--problems", "compare-solvers", "--problems", "all,HIRES", "--out", "{new}"));
        all.add(c("--solvers", "compare-solvers", "--solvers", "nope", "--out", "{new}"));
        all.add(c("--solvers", "compare-solvers", "--solvers", "", "--out", "{new}"));
        for (final String value : List.of("0", "-1e-6", "NaN", "abc", "2", "")) {
            all.add(c("--tolerances", "compare-solvers", "--tolerances", value, "--out", "{new}"));
        }
        for (final String value : List.of("0", "-5", "abc", "1e9")) {
            all.add(c("--fixed-steps", "compare-solvers", "--fixed-steps", value, "--out", "{new}"));
        }
        all.add(c("--repeats", "compare-solvers", "--repeats", "0", "--out", "{new}"));
        all.add(c("--repeats", "compare-solvers", "--repeats", "abc", "--out", "{new}"));
        all.add(c("--max-evaluations", "compare-solvers", "--max-evaluations", "0", "--out", "{new}"));
        all.add(c("--max-evaluations", "compare-solvers", "--max-evaluations", "abc", "--out", "{new}"));
        all.add(c("--baseline", "compare-solvers", "--baseline", "{missing}", "--out", "{new}"));
        all.add(c("--baseline", "compare-solvers", "--baseline", "{dir}", "--out", "{new}"));
        all.add(c("--baseline", "compare-solvers", "--baseline", "{bad.json}", "--out", "{new}"));
        all.add(c("--baseline", "compare-solvers", "--baseline", "{object.json}", "--out", "{new}"));
        all.add(c("--problem-file", "compare-solvers", "--problem-file", "{missing}", "--out", "{new}"));
        all.add(c("--problem-file", "compare-solvers", "--problem-file", "{dir}", "--out", "{new}"));
        all.add(c("--problem-file", "compare-solvers", "--problem-file", "{broken.ode}", "--out", "{new}"));
        all.add(c("--problem-file", "compare-solvers", "--problem-file", "{empty.ode}", "--out", "{new}"));
        all.add(c("--out", "compare-solvers", "--out", ""));
        all.add(c("--out", "compare-solvers", "--problems", "HIRES", "--out", "{file.txt}"));
        // --- model show, model convert
        all.add(c("<file>", "model", "show", "{missing}"));
        all.add(c("<file>", "model", "show", "{dir}"));
        all.add(c("<file>", "model", "show", ""));
        all.add(c("broken.ode", "model", "show", "{broken.ode}"));
        all.add(c("bad.json", "model", "show", "{bad.json}"));
        all.add(c("file.txt", "model", "show", "{file.txt}"));
        all.add(c("--format", "model", "show", "--format", "pdf", "{good.ode}"));
        all.add(c("shw", "model", "shw", "{good.ode}"));
        all.add(c("missing subcommand", "model"));
        all.add(c("<in>", "model", "convert", "{missing}", "{new}"));
        all.add(c("<out>", "model", "convert", "{good.ode}", "{new}"));
        all.add(c("<out>", "model", "convert", "{good.ode}", ""));
        all.add(c("<out>", "model", "convert", "{good.ode}"));
        all.add(c("broken.ode", "model", "convert", "{broken.ode}", "{missing}/m.yaml"));
        all.add(c("object.json", "model", "convert", "{object.json}", "{missing}/m.yaml"));
        all.add(c("output folder", "model", "convert", "{good.ode}", "{file.txt}/m.yaml"));
        // --- bench
        all.add(c("nope", "bench", "nope"));
        all.add(c("nope", "bench", "lif", "nope"));
        for (final String value : List.of("0", "-1", "abc")) {
            all.add(c("--repeats", "bench", "--repeats", value));
            all.add(c("--seconds", "bench", "--seconds", value));
            all.add(c("--patterns", "bench", "credit", "--patterns", value));
        }
        all.add(c("dataset-fashion-mnist", "bench", "credit", "--data", "{missing}"));
        all.add(c("--data", "bench", "credit", "--data", ""));
        all.add(c("--seconds", "bench", "--seconds", "NaN"));
        all.add(c("--out", "bench", "lif", "--out", ""));
        all.add(c("--out", "bench", "lif", "--out", "{dir}"));
        all.add(c("--out", "bench", "lif", "--out", "{missing}/x.json"));
        all.add(c("--out", "bench", "lif", "--out", "{file.txt}/x.json"));
        return all.stream();
    }

    @Test
    void theCampaignHasAtLeast150Invocations() {
        assertTrue(cases().count() >= 150, "cases: " + cases().count());
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("cases")
    void badInvocationIsRefusedWithOneLineNamingTheOption(final String fragment, final List<String> template)
            throws IOException {
        // GIVEN the arguments with fixture paths, and a fresh output path that must stay absent
        final Path created = fixtures.resolve("out-" + (++fresh));
        final List<String> args = new ArrayList<>();
        for (final String a : template) {
            args.add(a.equals("{new}") ? created.toString()
                    : a.equals("{missing}") ? fixtures.resolve("missing").toString()
                    : a.replace("{missing}", fixtures.resolve("missing").toString())
                       .replaceAll("\\{([a-z.]+)}", fixtures.toString().replace("\\", "\\\\") + "/$1"));
        }
        final Set<String> before = listing();
        // WHEN
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        final int code = cl.execute(args.toArray(new String[0]));
        // THEN exit code 2, one line naming the option, nothing else printed or created
        final String message = err.toString();
        assertEquals(2, code, args + " -> " + message);
        assertTrue(message.startsWith("neurode: error: "), args + " -> " + message);
        assertEquals(1, message.strip().lines().count(), args + " -> " + message);
        assertTrue(message.contains(fragment), "'" + fragment + "' not named: " + args + " -> " + message);
        assertFalse(JAVA_NAMES.matcher(message).find(), "a Java name in: " + message);
        assertEquals("", out.toString(), args + " printed to stdout");
        assertFalse(Files.exists(created), created + " was created for " + args);
        assertEquals(before, listing(), "the fixtures changed: " + args);
    }

    private static Set<String> listing() throws IOException {
        final Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.walk(fixtures)) {
            files.forEach(f -> names.add(fixtures.relativize(f).toString()));
        }
        return names;
    }
}
