package org.neurode.models.cfc;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.learn.ModelJson;
import org.neurode.models.learn.ParameterVector;
import org.neurode.models.learn.SequenceModel;

/**
 * A closed-form continuous-time (CfC) recurrent network: one CfC cell with a dense output layer, as
 * {@code ncps.torch.CfC(input_size, units, proj_size=outputs, mode=...)} (Hasani, Lechner, Amini, Liebenwein,
 * Ray, Tschaikowski, Teschl and Rus 2022, "Closed-form continuous-time neural networks", Nature Machine
 * Intelligence 4, 992-1003, Eq. 3 and 4).
 *
 * <p>Per step \(k\) with input \(u_k\), elapsed time \(t_k\) (the model's time unit, the same unit in which
 * the learned time constants are expressed; 1 when not given) and previous hidden state \(h_{k-1}\)
 * (\(h_0 = 0\)):
 * <ul>
 * <li>backbone: \( z = \lambda(W_L \cdots \lambda(W_1 [u_k; h_{k-1}] + b_1) \cdots + b_L) \) with the LeCun
 * tanh \( \lambda(x) = 1.7159 \tanh(0.666 x) \) and {@code backboneLayers} = L layers of
 * {@code backboneUnits} (L = 0: \( z = [u_k; h_{k-1}] \));</li>
 * <li>{@link Mode#DEFAULT} (Eq. 4): \( f_1 = \tanh(W_{ff1} z + b) \), \( f_2 = \tanh(W_{ff2} z + b) \),
 * \( \sigma = \mathrm{sigmoid}((W_a z + b_a)\, t_k + W_b z + b_b) \),
 * \( h_k = f_1 (1 - \sigma) + \sigma f_2 \);</li>
 * <li>{@link Mode#NO_GATE}: \( h_k = f_1 + \sigma f_2 \);</li>
 * <li>{@link Mode#PURE} (Cf-S, Eq. 3): \( p = W_{ff1} z + b \),
 * \( h_k = -A\, e^{-t_k (|w_\tau| + |p|)}\, p + A \);</li>
 * <li>output: \( y_k = W_{fc} h_k + b_{fc} \).</li>
 * </ul>
 * With {@link Config#withMixedMemory mixed memory} (the paper's CfC "mmRNN", raminmh/CfC {@code MixedCfcCell},
 * whose event-based XOR result is 99.72 %), an LSTM runs first and the cell reads its output instead of the
 * input: \( z = W_{in} u_k + W_{rec} h_{k-1} + b \) split into \( z_i, z_{ig}, z_{fg}, z_{og} \),
 * \( c_k = c_{k-1}\, \sigma(z_{fg} + b_f) + \tanh(z_i)\, \sigma(z_{ig}) \) (\(c_0 = 0\)), and
 * \( x_k = \tanh(c_k)\, \sigma(z_{og}) \) replaces \(u_k\) above. The TensorFlow cell feeds the LSTM with
 * the CfC state, as here; ncps' PyTorch {@code CfC(mixed_memory=True)} instead overwrites the hidden state with
 * the LSTM output and feeds the raw input to the cell. Initialisation as ncps' {@code LSTMCell}: Xavier input
 * map, bias \( U(\pm 0.1) \), orthogonal recurrent map (orthonormal columns).
 * The gate uses {@code +t} as ncps' PyTorch cell does; the TensorFlow cell of raminmh/CfC (used for the
 * paper's tables) writes \( \sigma(-t_a t + t_b) \), which is the same family with \(W_a\) negated, and uses
 * the LeCun tanh instead of tanh on the two heads.
 *
 * <p>Initialisation as ncps (seeded {@link SplittableRandom}): every 2-D weight of the cell, including the
 * \(1 \times H\) vectors {@code w_tau} and {@code A} of the pure mode, Xavier-uniform
 * \( U(\pm\sqrt{6/(\mathrm{fan_{in}} + \mathrm{fan_{out}})}) \) (ncps declares {@code w_tau} = 0 and
 * {@code A} = 1 but its {@code init_weights} overwrites them; the TensorFlow cell keeps 0 and 1); biases and
 * the output layer as {@code torch.nn.Linear}: \( U(\pm 1/\sqrt{\mathrm{fan_{in}}}) \). Parameter block
 * names follow the PyTorch state dict ({@code backbone.0.weight}, {@code ff1.weight}, {@code fc.bias}, ...).
 *
 * <p>Reverse mode is hand-written backpropagation through time; {@link #forward} keeps the activations of
 * every step in buffers that grow to the longest sequence seen, so forward and backward allocate nothing
 * once a sequence of that length has been run. Not thread-safe: one instance per thread.
 *
 * @since 0.2
 */
public final class CfcCell implements SequenceModel {

    /** The {@code kind} written to model files. */
    public static final String KIND = "cfc";
    /** Backbone units of ncps. */
    public static final int DEFAULT_BACKBONE_UNITS = 128;
    /** Backbone layers of ncps. */
    public static final int DEFAULT_BACKBONE_LAYERS = 1;

    private static final double LECUN_SCALE = 1.7159;
    private static final double LECUN_SLOPE = 0.666;

    /**
     * The three cell variants of ncps.
     *
     * @since 0.2
     */
    /**
     * The backbone activation: ncps' PyTorch default, the LeCun tanh \( 1.7159 \tanh(0.666 x) \), or the ReLU
     * of the paper's XOR configurations (raminmh/CfC {@code train_xor.py}, {@code backbone_activation="relu"}).
     */
    public enum Activation {
        /** \( 1.7159 \tanh(0.666 x) \). */
        LECUN_TANH("lecun_tanh"),
        /** \( \max(0, x) \). */
        RELU("relu"),
        /** \( x\, \mathrm{sigmoid}(x) \) (the paper's no-gate and Cf-S XOR configurations). */
        SILU("silu");

        private final String ncpsName;

        Activation(final String ncpsName) {
            this.ncpsName = ncpsName;
        }

        /** @return the name used by ncps and in saved files */
        public String ncpsName() {
            return ncpsName;
        }

        /**
         * @param name {@code lecun_tanh} (also {@code lecun-tanh}), {@code relu} or {@code silu}
         * @return the activation
         * @throws OdeException listing the names for another one
         */
        public static Activation of(final String name) {
            for (final Activation a : values()) {
                if (a.ncpsName.equals(name.replace('-', '_'))) {
                    return a;
                }
            }
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unknown CfC backbone activation '" + name
                    + "'; expected lecun_tanh, relu or silu");
        }
    }

    public enum Mode {
        /** Gated interpolation between two heads (CfC, Eq. 4; ncps {@code "default"}). */
        DEFAULT("default"),
        /** \( f_1 + \sigma f_2 \) (ncps {@code "no_gate"}). */
        NO_GATE("no_gate"),
        /** The direct closed-form solution (Cf-S, Eq. 3; ncps {@code "pure"}). */
        PURE("pure");

        private final String ncpsName;

        Mode(final String ncpsName) {
            this.ncpsName = ncpsName;
        }

        /** @return the name ncps uses ({@code default}, {@code no_gate}, {@code pure}) */
        public String ncpsName() {
            return ncpsName;
        }

        /**
         * @param name an ncps name or an enum constant name (case-insensitive, {@code -} or {@code _})
         * @return the mode
         * @throws OdeException naming the valid modes if unknown
         */
        public static Mode of(final String name) {
            final String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (final Mode m : values()) {
                if (m.ncpsName.equals(n) || m.name().toLowerCase(Locale.ROOT).equals(n)) {
                    return m;
                }
            }
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unknown CfC mode '" + name
                    + "'; valid: default, no_gate, pure");
        }
    }

    /**
     * Sizes and variant of a CfC network.
     *
     * @param inputSize      input features per step (positive)
     * @param hiddenSize     hidden units H (positive)
     * @param outputSize     outputs of the dense layer on the hidden state (positive)
     * @param mode           the cell variant
     * @param backboneUnits  units per backbone layer (positive)
     * @param backboneLayers backbone layers (0 feeds \([u; h]\) straight to the heads)
     * @since 0.2
     */
    public record Config(int inputSize, int hiddenSize, int outputSize, Mode mode, int backboneUnits,
                         int backboneLayers, Activation activation, boolean mixedMemory, double forgetBias) {

        /** Forget-gate bias of the mixed-memory LSTM in ncps (the CfC paper's best XOR model uses 0.6). */
        public static final double DEFAULT_FORGET_BIAS = 1.0;

        /**
         * A configuration without mixed memory.
         *
         * @param inputSize      input features
         * @param hiddenSize     hidden units
         * @param outputSize     outputs
         * @param mode           variant
         * @param backboneUnits  backbone units
         * @param backboneLayers backbone layers
         * @param activation     backbone activation
         */
        public Config(final int inputSize, final int hiddenSize, final int outputSize, final Mode mode,
                      final int backboneUnits, final int backboneLayers, final Activation activation) {
            this(inputSize, hiddenSize, outputSize, mode, backboneUnits, backboneLayers, activation, false,
                    DEFAULT_FORGET_BIAS);
        }

        /**
         * A configuration with ncps' LeCun-tanh backbone.
         *
         * @param inputSize      input features
         * @param hiddenSize     hidden units
         * @param outputSize     outputs
         * @param mode           variant
         * @param backboneUnits  backbone units
         * @param backboneLayers backbone layers
         */
        public Config(final int inputSize, final int hiddenSize, final int outputSize, final Mode mode,
                      final int backboneUnits, final int backboneLayers) {
            this(inputSize, hiddenSize, outputSize, mode, backboneUnits, backboneLayers, Activation.LECUN_TANH);
        }

        /**
         * @param newActivation the backbone activation
         * @return a copy with it
         */
        public Config withActivation(final Activation newActivation) {
            return new Config(inputSize, hiddenSize, outputSize, mode, backboneUnits, backboneLayers, newActivation,
                    mixedMemory, forgetBias);
        }

        /**
         * @param bias forget-gate bias added before the sigmoid (finite)
         * @return a copy with a mixed-memory LSTM in front of the cell (see the class comment)
         */
        public Config withMixedMemory(final double bias) {
            return new Config(inputSize, hiddenSize, outputSize, mode, backboneUnits, backboneLayers, activation,
                    true, bias);
        }

        /**
         * Validates the sizes.
         *
         * @param inputSize      input features
         * @param hiddenSize     hidden units
         * @param outputSize     outputs
         * @param mode           variant
         * @param backboneUnits  backbone units
         * @param backboneLayers backbone layers
         */
        public Config {
            if (inputSize <= 0 || hiddenSize <= 0 || outputSize <= 0 || backboneUnits <= 0 || backboneLayers < 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "CfC sizes must be positive (backbone layers "
                        + "non-negative): inputs " + inputSize + ", hidden " + hiddenSize + ", outputs " + outputSize
                        + ", backbone " + backboneLayers + " x " + backboneUnits);
            }
            if (mode == null || activation == null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "CfC mode and activation must not be null");
            }
            if (!Double.isFinite(forgetBias)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "CfC forget bias must be finite: " + forgetBias);
            }
        }

        /**
         * The ncps defaults: {@link Mode#DEFAULT}, one backbone layer of 128 units.
         *
         * @param inputSize  input features
         * @param hiddenSize hidden units
         * @param outputSize outputs
         * @return the configuration
         */
        public static Config of(final int inputSize, final int hiddenSize, final int outputSize) {
            return new Config(inputSize, hiddenSize, outputSize, Mode.DEFAULT, DEFAULT_BACKBONE_UNITS,
                    DEFAULT_BACKBONE_LAYERS);
        }

        /**
         * @param newMode the variant
         * @return a copy with that mode
         */
        public Config withMode(final Mode newMode) {
            return new Config(inputSize, hiddenSize, outputSize, newMode, backboneUnits, backboneLayers, activation,
                    mixedMemory, forgetBias);
        }

        /**
         * @param units  units per layer
         * @param layers layers
         * @return a copy with that backbone
         */
        public Config withBackbone(final int units, final int layers) {
            return new Config(inputSize, hiddenSize, outputSize, mode, units, layers, activation, mixedMemory,
                    forgetBias);
        }

        /** @return width of the cell's input: inputs, or hidden units with mixed memory (the LSTM output) */
        public int cellInputSize() {
            return mixedMemory ? hiddenSize : inputSize;
        }

        /** @return width of the vector the heads read: backbone units, or cell input + hidden without backbone */
        public int featureSize() {
            return backboneLayers == 0 ? cellInputSize() + hiddenSize : backboneUnits;
        }
    }

    private final Config config;
    private final ParameterVector parameters;
    private final int nIn;
    private final int nH;
    private final int nOut;
    private final int nCat;
    private final int nB;
    private final int nLayers;
    private final Activation activation;
    private final int nFeat;
    private final boolean pure;
    private final boolean noGate;
    /** Mixed memory: an LSTM in front of the cell; nX = width of the cell input (H then, else nIn). */
    private final boolean mixed;
    private final int nX;
    private final double forgetBias;
    private final int lstmInW;
    private final int lstmB;
    private final int lstmRecW;

    // parameter offsets
    private final int[] bbW;
    private final int[] bbB;
    private final int ff1W;
    private final int ff1B;
    private final int ff2W;
    private final int ff2B;
    private final int taW;
    private final int taB;
    private final int tbW;
    private final int tbB;
    private final int wTau;
    private final int aOff;
    private final int fcW;
    private final int fcB;
    /** Offsets of the four head weight matrices ff1, ff2, time_a, time_b (gated modes). */
    private final int[] headWeights;

    // activations of the last forward pass, grown to the longest sequence
    private int capacity;
    private int steps;
    private double[] cat;       // [steps][nCat]: [u_k; h_{k-1}]
    private double[][] layer;   // [layer][steps][nB]: backbone outputs
    private double[] head1;     // [steps][nH]: f1 = tanh(.), or p (pure)
    private double[] head2;     // [steps][nH]: f2 (gated modes), or exp(...) (pure)
    private double[] gate;      // [steps][nH]: sigma (gated modes)
    private double[] hidden;    // [steps][nH]: h_k
    private double[] times;     // [steps]
    // mixed memory only
    private double[] inputsSeen; // [steps][nIn]
    private double[] lstmGates;  // [steps][4][nH]: tanh(z_i), sigma(z_ig), sigma(z_fg + bias), sigma(z_og)
    private double[] cellState;  // [steps][nH]: c_k
    private double[] cellTanh;   // [steps][nH]: tanh(c_k)
    private double[] dLstm;      // [steps][4][nH]: gradients of the LSTM pre-activations
    private final double[] dCell;
    private final double[] dOut;
    // output gradients of the heads and backbone layers of every step, for the weight gradients that
    // backward adds row by row after the time loop (one pass over the gradient array per sequence instead
    // of one per step)
    private double[] dHeads;    // [steps][4][nH] (gated modes)
    private final double[][] dLayers; // [layer][steps][nB]
    private final double[][] derivs;  // [layer][steps][nB]: activation derivative at each backbone unit

    // backward work arrays
    private final double[] dh;
    private final double[] dFeat;
    private final double[] dCat;
    private final double[] dBack;
    private final double[] d1;

    /**
     * A network with seeded initial weights (see the class comment).
     *
     * @param config sizes and variant
     * @param seed   seed of the initial weights
     */
    public CfcCell(final Config config, final long seed) {
        this.config = config;
        this.activation = config.activation();
        this.nIn = config.inputSize();
        this.nH = config.hiddenSize();
        this.nOut = config.outputSize();
        this.mixed = config.mixedMemory();
        this.forgetBias = config.forgetBias();
        this.nX = config.cellInputSize();
        this.nCat = nX + nH;
        this.nB = config.backboneUnits();
        this.nLayers = config.backboneLayers();
        this.nFeat = config.featureSize();
        this.pure = config.mode() == Mode.PURE;
        this.noGate = config.mode() == Mode.NO_GATE;
        final ParameterVector.Builder b = ParameterVector.builder();
        if (mixed) {
            // ncps' LSTMCell: input_map with bias, recurrent_map without; gate order i, ig, fg, og
            b.matrix("lstm.input_map.weight", 4 * nH, nIn).vector("lstm.input_map.bias", 4 * nH)
                    .matrix("lstm.recurrent_map.weight", 4 * nH, nH);
        }
        for (int l = 0; l < nLayers; l++) {
            // ncps' nn.Sequential puts the activations at odd indices: Linear layers are 0, 2, 4, ...
            b.matrix(backboneName(l, "weight"), nB, l == 0 ? nCat : nB).vector(backboneName(l, "bias"), nB);
        }
        b.matrix("ff1.weight", nH, nFeat).vector("ff1.bias", nH);
        if (pure) {
            b.matrix("w_tau", 1, nH).matrix("A", 1, nH);
        } else {
            b.matrix("ff2.weight", nH, nFeat).vector("ff2.bias", nH);
            b.matrix("time_a.weight", nH, nFeat).vector("time_a.bias", nH);
            b.matrix("time_b.weight", nH, nFeat).vector("time_b.bias", nH);
        }
        b.matrix("fc.weight", nOut, nH).vector("fc.bias", nOut);
        this.parameters = b.build();
        this.bbW = new int[nLayers];
        this.bbB = new int[nLayers];
        for (int l = 0; l < nLayers; l++) {
            bbW[l] = parameters.offset(backboneName(l, "weight"));
            bbB[l] = parameters.offset(backboneName(l, "bias"));
        }
        this.ff1W = parameters.offset("ff1.weight");
        this.ff1B = parameters.offset("ff1.bias");
        this.ff2W = pure ? -1 : parameters.offset("ff2.weight");
        this.ff2B = pure ? -1 : parameters.offset("ff2.bias");
        this.taW = pure ? -1 : parameters.offset("time_a.weight");
        this.taB = pure ? -1 : parameters.offset("time_a.bias");
        this.tbW = pure ? -1 : parameters.offset("time_b.weight");
        this.tbB = pure ? -1 : parameters.offset("time_b.bias");
        this.wTau = pure ? parameters.offset("w_tau") : -1;
        this.aOff = pure ? parameters.offset("A") : -1;
        this.fcW = parameters.offset("fc.weight");
        this.fcB = parameters.offset("fc.bias");
        this.headWeights = new int[] {ff1W, ff2W, taW, tbW};
        this.lstmInW = mixed ? parameters.offset("lstm.input_map.weight") : -1;
        this.lstmB = mixed ? parameters.offset("lstm.input_map.bias") : -1;
        this.lstmRecW = mixed ? parameters.offset("lstm.recurrent_map.weight") : -1;
        this.dCell = new double[nH];
        this.dOut = new double[nH];
        initialise(seed);
        this.dh = new double[nH];
        this.dFeat = new double[nFeat];
        this.dCat = new double[nCat];
        this.dBack = new double[nB];
        this.d1 = new double[nH];
        this.layer = new double[nLayers][];
        this.dLayers = new double[nLayers][];
        this.derivs = new double[nLayers][];
    }

    /**
     * ncps' {@code orthogonal_} on the recurrent map, a {@code [4H x H]} matrix: Gaussian entries orthonormalised
     * column by column (modified Gram-Schmidt), so its H columns are orthonormal. Package-private for the test
     * against Householder QR.
     */
    static void orthogonalRows(final SplittableRandom rng, final double[] v, final int off, final int rows,
                               final int cols) {
        for (int i = 0; i < rows * cols; i++) {
            v[off + i] = gaussian(rng);
        }
        for (int c = 0; c < cols; c++) {
            for (int q = 0; q < c; q++) {
                double dot = 0.0;
                for (int r = 0; r < rows; r++) {
                    dot += v[off + r * cols + c] * v[off + r * cols + q];
                }
                for (int r = 0; r < rows; r++) {
                    v[off + r * cols + c] -= dot * v[off + r * cols + q];
                }
            }
            double norm = 0.0;
            for (int r = 0; r < rows; r++) {
                norm += v[off + r * cols + c] * v[off + r * cols + c];
            }
            final double inv = 1.0 / Math.sqrt(norm);
            for (int r = 0; r < rows; r++) {
                v[off + r * cols + c] *= inv;
            }
        }
    }

    /**
     * A standard normal number by Box-Muller. {@code SplittableRandom.nextGaussian} (seeded as well) would do;
     * this stays because the published XOR result (README, seed 1) was trained from these initial weights.
     */
    static double gaussian(final SplittableRandom rng) {
        final double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
    }

    private static String backboneName(final int layerIndex, final String what) {
        return "backbone." + (2 * layerIndex) + "." + what;
    }

    private void initialise(final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final double[] v = parameters.values();
        for (final ParameterVector.Block blk : parameters.blocks()) {
            final String name = blk.name();
            final double bound;
            if (name.equals("lstm.recurrent_map.weight")) {
                orthogonalRows(rng, v, blk.offset(), blk.rows(), blk.cols());
                continue;
            } else if (name.equals("lstm.input_map.bias")) {
                bound = 0.1; // ncps' LSTMCell.init_weights: uniform(-0.1, 0.1)
            } else if (name.startsWith("fc.")) {
                // torch.nn.Linear default (kaiming_uniform with a = sqrt(5)): U(+-1/sqrt(fan_in)), bias alike
                bound = 1.0 / Math.sqrt(nH);
            } else if (name.endsWith(".bias")) {
                final int fanIn = name.startsWith("backbone.0.") ? nCat : name.startsWith("backbone.") ? nB : nFeat;
                bound = 1.0 / Math.sqrt(fanIn);
            } else {
                // xavier_uniform_ on a [fan_out x fan_in] tensor
                bound = Math.sqrt(6.0 / (blk.rows() + blk.cols()));
            }
            for (int i = 0; i < blk.size(); i++) {
                v[blk.offset() + i] = bound * (2.0 * rng.nextDouble() - 1.0);
            }
        }
    }

    /**
     * Loads a network saved with {@link #save}.
     *
     * @param file a model file of kind {@value #KIND}
     * @return the network, computing bit-identical outputs
     * @throws OdeException naming the file and field if it is not a CfC model file
     */
    public static CfcCell load(final Path file) {
        final ModelJson.Document doc = ModelJson.read(file);
        if (!KIND.equals(doc.kind())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": kind is '" + doc.kind() + "', expected '"
                    + KIND + "'");
        }
        final JsonNode c = doc.config();
        final Config cfg = new Config(required(c, "inputSize", file), required(c, "hiddenSize", file),
                required(c, "outputSize", file), Mode.of(c.path("mode").asText("default")),
                required(c, "backboneUnits", file), c.path("backboneLayers").asInt(DEFAULT_BACKBONE_LAYERS),
                Activation.of(c.path("backboneActivation").asText("lecun_tanh")),
                c.path("mixedMemory").asBoolean(false),
                c.path("forgetBias").asDouble(Config.DEFAULT_FORGET_BIAS));
        final CfcCell cell = new CfcCell(cfg, 0L);
        ModelJson.readParameters(doc, cell.parameters, file.toString());
        return cell;
    }

    private static int required(final JsonNode config, final String field, final Path file) {
        final JsonNode n = config.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": config." + field + " must be a whole number");
        }
        return n.asInt();
    }

    /**
     * Saves the configuration and parameters (see {@link ModelJson}), atomically.
     *
     * @param file destination (parent folders created)
     */
    public void save(final Path file) {
        final Map<String, Object> cfg = ModelJson.config("inputSize", nIn, "hiddenSize", nH, "outputSize", nOut,
                "mode", config.mode().ncpsName(), "backboneUnits", nB, "backboneLayers", nLayers,
                "backboneActivation", config.activation().ncpsName(), "mixedMemory", mixed,
                "forgetBias", forgetBias);
        ModelJson.write(file, KIND, cfg, parameters);
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    @Override
    public String name() {
        final String base = switch (config.mode()) {
            case DEFAULT -> "cfc";
            case NO_GATE -> "cfc-nogate";
            case PURE -> "cfc-pure";
        };
        return mixed ? base + "-mixed" : base;
    }

    @Override
    public ParameterVector parameters() {
        return parameters;
    }

    @Override
    public int inputSize() {
        return nIn;
    }

    @Override
    public int outputSize() {
        return nOut;
    }

    /**
     * Copies the hidden state after a step of the last {@link #forward}.
     *
     * @param step the step (0-based)
     * @param dst  destination of length H (written)
     */
    public void hiddenState(final int step, final double[] dst) {
        if (step < 0 || step >= steps) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "step " + step + " outside the last forward pass of "
                    + steps + " steps");
        }
        System.arraycopy(hidden, step * nH, dst, 0, nH);
    }

    private void ensureCapacity(final int n) {
        if (n <= capacity) {
            return;
        }
        final int c = Math.max(n, 2 * capacity);
        cat = new double[c * nCat];
        for (int l = 0; l < nLayers; l++) {
            layer[l] = new double[c * nB];
        }
        head1 = new double[c * nH];
        head2 = new double[c * nH];
        gate = pure ? null : new double[c * nH];
        hidden = new double[c * nH];
        times = new double[c];
        dHeads = pure ? null : new double[c * 4 * nH];
        if (mixed) {
            inputsSeen = new double[c * nIn];
            lstmGates = new double[c * 4 * nH];
            cellState = new double[c * nH];
            cellTanh = new double[c * nH];
            dLstm = new double[c * 4 * nH];
        }
        for (int l = 0; l < nLayers; l++) {
            dLayers[l] = new double[c * nB];
            derivs[l] = new double[c * nB];
        }
        capacity = c;
    }

    /**
     * Runs one sequence from \( h_0 = 0 \).
     *
     * @param inputs  inputs {@code [steps][inputSize]} (not modified)
     * @param elapsed elapsed time of each step (model time unit; finite, may be irregular), or {@code null}
     *                for 1 (not modified)
     * @param outputs outputs {@code [steps][outputSize]} (written)
     */
    @Override
    public void forward(final double[][] inputs, final double[] elapsed, final double[][] outputs) {
        final int n = inputs.length;
        if (elapsed != null && elapsed.length < n) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "elapsed times", n, elapsed.length);
        }
        if (outputs.length < n) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "outputs", n, outputs.length);
        }
        ensureCapacity(n);
        steps = n;
        final double[] p = parameters.values();
        for (int k = 0; k < n; k++) {
            final double[] u = inputs[k];
            if (u.length != nIn) {
                throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "inputs[" + k + "]", nIn, u.length);
            }
            final int c0 = k * nCat;
            if (mixed) {
                lstmForward(p, k, u);
            } else {
                System.arraycopy(u, 0, cat, c0, nIn);
            }
            if (k == 0) {
                Arrays.fill(cat, c0 + nX, c0 + nCat, 0.0);
            } else {
                System.arraycopy(hidden, (k - 1) * nH, cat, c0 + nX, nH);
            }
            final double t = elapsed == null ? 1.0 : elapsed[k];
            times[k] = t;
            // backbone
            double[] src = cat;
            int srcOff = c0;
            int srcLen = nCat;
            for (int l = 0; l < nLayers; l++) {
                final double[] dst = layer[l];
                final int d0 = k * nB;
                final int w = bbW[l];
                final int bo = bbB[l];
                int i = 0;
                // four rows at a time: four independent sums per pass over the input (the JIT does not
                // vectorize floating-point reductions; independent chains hide the add latency)
                for (; i + 3 < nB; i += 4) {
                    final int r0 = w + i * srcLen;
                    final int r1 = r0 + srcLen;
                    final int r2 = r1 + srcLen;
                    final int r3 = r2 + srcLen;
                    double s0 = p[bo + i];
                    double s1 = p[bo + i + 1];
                    double s2 = p[bo + i + 2];
                    double s3 = p[bo + i + 3];
                    for (int j = 0; j < srcLen; j++) {
                        final double x = src[srcOff + j];
                        s0 += p[r0 + j] * x;
                        s1 += p[r1 + j] * x;
                        s2 += p[r2 + j] * x;
                        s3 += p[r3 + j] * x;
                    }
                    final double[] der = derivs[l];
                    dst[d0 + i] = backbone(s0, der, d0 + i);
                    dst[d0 + i + 1] = backbone(s1, der, d0 + i + 1);
                    dst[d0 + i + 2] = backbone(s2, der, d0 + i + 2);
                    dst[d0 + i + 3] = backbone(s3, der, d0 + i + 3);
                }
                for (; i < nB; i++) {
                    double s = p[bo + i];
                    final int row = w + i * srcLen;
                    for (int j = 0; j < srcLen; j++) {
                        s += p[row + j] * src[srcOff + j];
                    }
                    dst[d0 + i] = backbone(s, derivs[l], d0 + i);
                }
                src = dst;
                srcOff = d0;
                srcLen = nB;
            }
            final int h0 = k * nH;
            if (pure) {
                for (int i = 0; i < nH; i++) {
                    final double pi = affine(p, ff1W, ff1B, i, src, srcOff);
                    final double e = Math.exp(-t * (Math.abs(p[wTau + i]) + Math.abs(pi)));
                    head1[h0 + i] = pi;
                    head2[h0 + i] = e;
                    final double a = p[aOff + i];
                    hidden[h0 + i] = -a * e * pi + a;
                }
            } else {
                for (int i = 0; i < nH; i++) {
                    // the four heads of unit i in one pass over the features (four independent sums)
                    final int r1 = ff1W + i * nFeat;
                    final int r2 = ff2W + i * nFeat;
                    final int ra = taW + i * nFeat;
                    final int rb = tbW + i * nFeat;
                    double s1 = p[ff1B + i];
                    double s2 = p[ff2B + i];
                    double sa = p[taB + i];
                    double sb = p[tbB + i];
                    for (int j = 0; j < nFeat; j++) {
                        final double x = src[srcOff + j];
                        s1 += p[r1 + j] * x;
                        s2 += p[r2 + j] * x;
                        sa += p[ra + j] * x;
                        sb += p[rb + j] * x;
                    }
                    final double f1 = Math.tanh(s1);
                    final double f2 = Math.tanh(s2);
                    final double g = sigmoid(sa * t + sb);
                    head1[h0 + i] = f1;
                    head2[h0 + i] = f2;
                    gate[h0 + i] = g;
                    hidden[h0 + i] = noGate ? f1 + g * f2 : f1 * (1.0 - g) + g * f2;
                }
            }
            final double[] y = outputs[k];
            for (int o = 0; o < nOut; o++) {
                double s = p[fcB + o];
                final int row = fcW + o * nH;
                for (int i = 0; i < nH; i++) {
                    s += p[row + i] * hidden[h0 + i];
                }
                y[o] = s;
            }
        }
    }

    /**
     * The mixed-memory LSTM of step k (raminmh/CfC {@code MixedCfcCell}): \( z = W_{in} u_k + W_{rec} h_{k-1} + b
     * \), \( c_k = c_{k-1} \sigma(z_{fg} + b_f) + \tanh(z_i) \sigma(z_{ig}) \), and the cell input
     * \( \tanh(c_k) \sigma(z_{og}) \) written to the first H entries of {@code cat}.
     */
    private void lstmForward(final double[] p, final int k, final double[] u) {
        System.arraycopy(u, 0, inputsSeen, k * nIn, nIn);
        final int g0 = k * 4 * nH;
        final int h0 = k * nH;
        final int prev = (k - 1) * nH;
        for (int r = 0; r < 4 * nH; r++) {
            double z = p[lstmB + r];
            final int wi = lstmInW + r * nIn;
            for (int j = 0; j < nIn; j++) {
                z += p[wi + j] * u[j];
            }
            if (k > 0) {
                final int wr = lstmRecW + r * nH;
                for (int j = 0; j < nH; j++) {
                    z += p[wr + j] * hidden[prev + j];
                }
            }
            final int gate = r / nH;
            lstmGates[g0 + r] = gate == 0 ? Math.tanh(z) : sigmoid(gate == 2 ? z + forgetBias : z);
        }
        final int c0 = k * nCat;
        for (int i = 0; i < nH; i++) {
            final double cPrev = k > 0 ? cellState[prev + i] : 0.0;
            final double c = cPrev * lstmGates[g0 + 2 * nH + i] + lstmGates[g0 + i] * lstmGates[g0 + nH + i];
            final double tc = Math.tanh(c);
            cellState[h0 + i] = c;
            cellTanh[h0 + i] = tc;
            cat[c0 + i] = tc * lstmGates[g0 + 3 * nH + i];
        }
    }

    private static double sigmoid(final double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * Backward through the LSTM of step k: {@code dOut} is dL/d(cell input), {@code dCell} carries dL/dc_k from
     * the later steps (updated to dL/dc_{k-1}); stores the pre-activation gradients and adds
     * \( W_{rec}^T dz \) to {@code dh} (dL/dh_{k-1}) and the bias gradient.
     */
    private void lstmBackward(final double[] p, final double[] g, final int k) {
        final int g0 = k * 4 * nH;
        final int h0 = k * nH;
        final int prev = (k - 1) * nH;
        for (int i = 0; i < nH; i++) {
            final double a = lstmGates[g0 + i];
            final double ig = lstmGates[g0 + nH + i];
            final double fg = lstmGates[g0 + 2 * nH + i];
            final double og = lstmGates[g0 + 3 * nH + i];
            final double tc = cellTanh[h0 + i];
            final double dc = dCell[i] + dOut[i] * og * (1.0 - tc * tc);
            final double cPrev = k > 0 ? cellState[prev + i] : 0.0;
            dLstm[g0 + i] = dc * ig * (1.0 - a * a);
            dLstm[g0 + nH + i] = dc * a * ig * (1.0 - ig);
            dLstm[g0 + 2 * nH + i] = dc * cPrev * fg * (1.0 - fg);
            dLstm[g0 + 3 * nH + i] = dOut[i] * tc * og * (1.0 - og);
            dCell[i] = dc * fg;
        }
        for (int r = 0; r < 4 * nH; r++) {
            final double d = dLstm[g0 + r];
            g[lstmB + r] += d;
            if (k > 0 && d != 0.0) {
                axpy(d, p, lstmRecW + r * nH, dh, 0, nH);
            }
        }
    }

    /** {@code y[y0 + j] += a * x[x0 + j]} for {@code j < n}. */
    private static void axpy(final double a, final double[] x, final int x0, final double[] y, final int y0,
                             final int n) {
        for (int j = 0; j < n; j++) {
            y[y0 + j] += a * x[x0 + j];
        }
    }

    /** The backbone activation of pre-activation s; its derivative goes to {@code der[at]} for backward. */
    private double backbone(final double s, final double[] der, final int at) {
        switch (activation) {
            case RELU:
                der[at] = s > 0.0 ? 1.0 : 0.0;
                return Math.max(0.0, s);
            case SILU: {
                final double sig = sigmoid(s);
                der[at] = sig * (1.0 + s * (1.0 - sig));
                return s * sig;
            }
            default: {
                final double th = Math.tanh(LECUN_SLOPE * s);
                der[at] = LECUN_SCALE * LECUN_SLOPE * (1.0 - th * th);
                return LECUN_SCALE * th;
            }
        }
    }

    private double affine(final double[] p, final int w, final int b, final int i, final double[] x, final int x0) {
        double s = p[b + i];
        final int row = w + i * nFeat;
        for (int j = 0; j < nFeat; j++) {
            s += p[row + j] * x[x0 + j];
        }
        return s;
    }

    /**
     * Backpropagation through time over the last {@link #forward}; adds to the parameter gradient.
     *
     * @param outputGradient \( \partial L / \partial y_k \), {@code [steps][outputSize]} (not modified)
     */
    @Override
    public void backward(final double[][] outputGradient) {
        if (outputGradient.length < steps) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "output gradient", steps, outputGradient.length);
        }
        final double[] p = parameters.values();
        final double[] g = parameters.gradient();
        Arrays.fill(dh, 0.0);
        if (mixed) {
            Arrays.fill(dCell, 0.0);
        }
        for (int k = steps - 1; k >= 0; k--) {
            final int h0 = k * nH;
            // output layer
            final double[] dy = outputGradient[k];
            for (int o = 0; o < nOut; o++) {
                final double d = dy[o];
                if (d == 0.0) {
                    continue;
                }
                g[fcB + o] += d;
                final int row = fcW + o * nH;
                for (int i = 0; i < nH; i++) {
                    g[row + i] += d * hidden[h0 + i];
                    dh[i] += d * p[row + i];
                }
            }
            final double t = times[k];
            // feature vector the heads read
            final double[] feat = nLayers == 0 ? cat : layer[nLayers - 1];
            final int f0 = nLayers == 0 ? k * nCat : k * nB;
            Arrays.fill(dFeat, 0.0);
            if (pure) {
                for (int i = 0; i < nH; i++) {
                    final double pi = head1[h0 + i];
                    final double e = head2[h0 + i];
                    final double a = p[aOff + i];
                    final double d = dh[i];
                    g[aOff + i] += d * (1.0 - e * pi);
                    // h = A - A e p;  e = exp(-t (|w_tau| + |p|))
                    final double dE = -d * a * pi;
                    final double dEdArg = dE * e * (-t);
                    g[wTau + i] += dEdArg * Math.signum(p[wTau + i]);
                    d1[i] = -d * a * e + dEdArg * Math.signum(pi);
                }
                headBackward(p, g, ff1W, ff1B, d1, feat, f0);
            } else {
                final int e0 = k * 4 * nH;
                for (int i = 0; i < nH; i++) {
                    final double f1 = head1[h0 + i];
                    final double f2 = head2[h0 + i];
                    final double s = gate[h0 + i];
                    final double d = dh[i];
                    final double df1 = noGate ? d : d * (1.0 - s);
                    final double df2 = d * s;
                    final double ds = noGate ? d * f2 : d * (f2 - f1);
                    final double dArg = ds * s * (1.0 - s);
                    // the pre-activation gradients of the four heads, kept for weightGradients
                    dHeads[e0 + i] = df1 * (1.0 - f1 * f1);
                    dHeads[e0 + nH + i] = df2 * (1.0 - f2 * f2);
                    dHeads[e0 + 2 * nH + i] = dArg * t;
                    dHeads[e0 + 3 * nH + i] = dArg;
                }
                // W^T d of the four heads in one pass over the features (weight gradients after the loop)
                for (int i = 0; i < nH; i++) {
                    final double e1 = dHeads[e0 + i];
                    final double e2 = dHeads[e0 + nH + i];
                    final double e3 = dHeads[e0 + 2 * nH + i];
                    final double e4 = dHeads[e0 + 3 * nH + i];
                    g[ff1B + i] += e1;
                    g[ff2B + i] += e2;
                    g[taB + i] += e3;
                    g[tbB + i] += e4;
                    final int r1 = ff1W + i * nFeat;
                    final int r2 = ff2W + i * nFeat;
                    final int r3 = taW + i * nFeat;
                    final int r4 = tbW + i * nFeat;
                    for (int j = 0; j < nFeat; j++) {
                        dFeat[j] += e1 * p[r1 + j] + e2 * p[r2 + j] + e3 * p[r3 + j] + e4 * p[r4 + j];
                    }
                }
            }
            // backbone, last layer first; dFeat holds dL/d(output of the current layer)
            final int c0 = k * nCat;
            if (nLayers == 0) {
                System.arraycopy(dFeat, 0, dCat, 0, nCat);
            } else {
                System.arraycopy(dFeat, 0, dBack, 0, nB);
                for (int l = nLayers - 1; l >= 0; l--) {
                    // the pre-activation gradient, kept for weightGradients
                    final double[] der = derivs[l];
                    final double[] dA = dLayers[l];
                    final int o0 = k * nB;
                    for (int i = 0; i < nB; i++) {
                        dA[o0 + i] = dBack[i] * der[o0 + i];
                    }
                    final int inLen = l == 0 ? nCat : nB;
                    final double[] dIn = l == 0 ? dCat : dBack;
                    Arrays.fill(dIn, 0, inLen, 0.0);
                    final int w = bbW[l];
                    final int bo = bbB[l];
                    for (int i = 0; i < nB; i++) {
                        final double d = dA[o0 + i];
                        if (d != 0.0) {
                            g[bo + i] += d;
                            axpy(d, p, w + i * inLen, dIn, 0, inLen);
                        }
                    }
                }
            }
            // dL/dh_{k-1}: the hidden part of [x; h], plus the LSTM's recurrent path with mixed memory
            System.arraycopy(dCat, nX, dh, 0, nH);
            if (mixed) {
                System.arraycopy(dCat, 0, dOut, 0, nH);
                lstmBackward(p, g, k);
            }
        }
        weightGradients(g);
    }

    /**
     * Adds the weight gradients \( \sum_k d_k z_k^T \) of the heads (gated modes) and the backbone layers, a
     * row at a time over all steps, so each gradient row is loaded once per sequence; plain axpy loops, the
     * form the JIT vectorizes.
     */
    private void weightGradients(final double[] g) {
        if (!pure) {
            final double[] feat = nLayers == 0 ? cat : layer[nLayers - 1];
            final int fStride = nLayers == 0 ? nCat : nB;
            for (int h = 0; h < 4; h++) {
                for (int i = 0; i < nH; i++) {
                    final int row = headWeights[h] + i * nFeat;
                    for (int k = 0; k < steps; k++) {
                        final double e = dHeads[(4 * k + h) * nH + i];
                        if (e != 0.0) {
                            axpy(e, feat, k * fStride, g, row, nFeat);
                        }
                    }
                }
            }
        }
        if (mixed) {
            for (int r = 0; r < 4 * nH; r++) {
                final int wi = lstmInW + r * nIn;
                final int wr = lstmRecW + r * nH;
                for (int k = 0; k < steps; k++) {
                    final double d = dLstm[k * 4 * nH + r];
                    if (d != 0.0) {
                        axpy(d, inputsSeen, k * nIn, g, wi, nIn);
                        if (k > 0) {
                            axpy(d, hidden, (k - 1) * nH, g, wr, nH);
                        }
                    }
                }
            }
        }
        for (int l = 0; l < nLayers; l++) {
            final double[] in = l == 0 ? cat : layer[l - 1];
            final int inLen = l == 0 ? nCat : nB;
            final double[] dl = dLayers[l];
            for (int i = 0; i < nB; i++) {
                final int row = bbW[l] + i * inLen;
                for (int k = 0; k < steps; k++) {
                    final double d = dl[k * nB + i];
                    if (d != 0.0) {
                        axpy(d, in, k * inLen, g, row, inLen);
                    }
                }
            }
        }
    }

    /** Adds the gradient of one head \( W z + b \) with output gradient {@code d}, and adds \( W^T d \) to dFeat. */
    private void headBackward(final double[] p, final double[] g, final int w, final int b, final double[] d,
                              final double[] feat, final int f0) {
        for (int i = 0; i < nH; i++) {
            final double di = d[i];
            g[b + i] += di;
            final int row = w + i * nFeat;
            for (int j = 0; j < nFeat; j++) {
                g[row + j] += di * feat[f0 + j];
                dFeat[j] += di * p[row + j];
            }
        }
    }

    @Override
    public String toString() {
        return "CfcCell[" + name() + ", " + nIn + " -> " + nH + " -> " + nOut + ", backbone " + nLayers + " x " + nB
                + ", " + parameters.size() + " parameters]";
    }
}
