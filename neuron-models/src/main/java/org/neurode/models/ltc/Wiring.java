package org.neurode.models.ltc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.learn.ModelJson;

/**
 * The synapse graph of a wired network (Lechner et al. 2020, Nature Machine Intelligence 2:642, "Neural circuit
 * policies"): an N x N adjacency matrix between the neurons, indexed [source][destination], with entries
 * -1 (inhibitory), 0 (no synapse) or +1 (excitatory); an M x N sensory adjacency matrix from the M input
 * features to the neurons; the number of motor neurons (the outputs, neurons {@code 0..motors-1}); and the type
 * of every neuron. Immutable.
 *
 * <p>Built by {@link FullyConnected}, {@link Ncp} and {@link AutoNcp}, or from explicit matrices with
 * {@link #of}. The polarity is the initial reversal potential of each synapse in an {@link LtcCell}.
 *
 * <p>JSON import and export ({@link #toJson()}, {@link #fromJson}, {@link #write}, {@link #read}) use the keys of
 * ncps' {@code Wiring.get_config()} ({@code units}, {@code adjacency_matrix}, {@code sensory_adjacency_matrix},
 * {@code input_dim}, {@code output_dim}), so that a graph exported here loads in Python with
 * {@code ncps.wirings.Wiring.from_config(json.load(f))} and a graph exported from ncps loads here: the random
 * generators differ (Java's {@link java.util.SplittableRandom} against numpy's), so the same seed gives different
 * graphs in the two, and exchanging the matrices is the way to compare them.
 *
 * @since 0.2
 */
public final class Wiring {

    /** The role of a neuron in a neural circuit policy. */
    public enum NeuronType {
        /** An output neuron (the first {@code motors} neurons). */
        MOTOR,
        /** A command neuron (NCP layer 3, with recurrent synapses). */
        COMMAND,
        /** An inter neuron (NCP layer 2, or any non-motor neuron of an unlayered wiring). */
        INTER;

        /** @return the lower-case name used in JSON and by ncps ({@code motor}, {@code command}, {@code inter}) */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String kind;
    private final int units;
    private final int inputs;
    private final int motors;
    private final int[] adjacency;
    private final int[] sensoryAdjacency;
    private final NeuronType[] types;

    private Wiring(final String kind, final int units, final int inputs, final int motors, final int[] adjacency,
                   final int[] sensoryAdjacency, final NeuronType[] types) {
        this.kind = kind;
        this.units = units;
        this.inputs = inputs;
        this.motors = motors;
        this.adjacency = adjacency;
        this.sensoryAdjacency = sensoryAdjacency;
        this.types = types;
    }

    /**
     * A wiring from explicit matrices.
     *
     * @param kind             a short name of how it was made, e.g. {@code auto-ncp} or {@code custom}
     * @param adjacency        N x N polarities in {-1, 0, 1}, [source][destination] (copied)
     * @param sensoryAdjacency M x N polarities from the inputs (copied)
     * @param motors           number of motor (output) neurons, 1..N
     * @param types            the type of each neuron (copied), or {@code null}: motor for the first
     *                         {@code motors}, inter for the others
     * @return the wiring
     * @throws OdeException naming the offending argument if shapes or entries are invalid
     */
    public static Wiring of(final String kind, final int[][] adjacency, final int[][] sensoryAdjacency,
                            final int motors, final NeuronType[] types) {
        if (adjacency == null || adjacency.length == 0) {
            throw invalid("adjacency must be a non-empty N x N matrix");
        }
        final int n = adjacency.length;
        if (sensoryAdjacency == null || sensoryAdjacency.length == 0) {
            throw invalid("sensoryAdjacency must be a non-empty M x " + n + " matrix (M inputs)");
        }
        final int m = sensoryAdjacency.length;
        final int[] adj = new int[n * n];
        for (int i = 0; i < n; i++) {
            copyRow("adjacency", adjacency[i], i, n, adj, i * n);
        }
        final int[] sens = new int[m * n];
        for (int s = 0; s < m; s++) {
            copyRow("sensoryAdjacency", sensoryAdjacency[s], s, n, sens, s * n);
        }
        return create(kind, n, m, motors, adj, sens, types);
    }

    /** Package-private: takes ownership of the flat arrays. */
    static Wiring create(final String kind, final int n, final int m, final int motors, final int[] adj,
                         final int[] sens, final NeuronType[] types) {
        if (motors < 1 || motors > n) {
            throw invalid("motors must be between 1 and the number of neurons " + n + ", not " + motors);
        }
        final NeuronType[] t = new NeuronType[n];
        if (types == null) {
            for (int i = 0; i < n; i++) {
                t[i] = i < motors ? NeuronType.MOTOR : NeuronType.INTER;
            }
        } else {
            if (types.length != n) {
                throw invalid("types has " + types.length + " entries but there are " + n + " neurons");
            }
            for (int i = 0; i < n; i++) {
                if (types[i] == null) {
                    throw invalid("types[" + i + "] is null");
                }
                if ((i < motors) != (types[i] == NeuronType.MOTOR)) {
                    throw invalid("types[" + i + "] is " + types[i].label() + " but the motor neurons must be "
                            + "exactly neurons 0.." + (motors - 1));
                }
                t[i] = types[i];
            }
        }
        return new Wiring(kind == null ? "custom" : kind, n, m, motors, adj, sens, t);
    }

    private static void copyRow(final String what, final int[] row, final int r, final int n, final int[] dst,
                                final int offset) {
        if (row == null || row.length != n) {
            throw invalid(what + "[" + r + "] must have " + n + " entries, not "
                    + (row == null ? "null" : String.valueOf(row.length)));
        }
        for (int j = 0; j < n; j++) {
            if (row[j] < -1 || row[j] > 1) {
                throw invalid(what + "[" + r + "][" + j + "] is " + row[j] + ": polarities are -1, 0 or +1");
            }
            dst[offset + j] = row[j];
        }
    }

    static OdeException invalid(final String message) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** @return how the wiring was made, e.g. {@code fully-connected}, {@code ncp}, {@code auto-ncp}, {@code custom} */
    public String kind() {
        return kind;
    }

    /** @return number of neurons N (the state size of a cell) */
    public int units() {
        return units;
    }

    /** @return number of input features M (sensory neurons) */
    public int inputs() {
        return inputs;
    }

    /** @return number of motor neurons (outputs); they are neurons {@code 0..motors-1} */
    public int motors() {
        return motors;
    }

    /**
     * @param source      presynaptic neuron
     * @param destination postsynaptic neuron
     * @return the polarity -1, 0 or +1
     */
    public int polarity(final int source, final int destination) {
        return adjacency[source * units + destination];
    }

    /**
     * @param input       input feature
     * @param destination postsynaptic neuron
     * @return the polarity -1, 0 or +1
     */
    public int sensoryPolarity(final int input, final int destination) {
        return sensoryAdjacency[input * units + destination];
    }

    /**
     * @param neuron neuron index
     * @return its type
     */
    public NeuronType type(final int neuron) {
        return types[neuron];
    }

    /**
     * @param type a type
     * @return how many neurons have it
     */
    public int count(final NeuronType type) {
        int c = 0;
        for (final NeuronType t : types) {
            if (t == type) {
                c++;
            }
        }
        return c;
    }

    /** @return number of synapses between neurons (non-zero adjacency entries) */
    public int synapseCount() {
        return nonZero(adjacency);
    }

    /** @return number of synapses from the inputs (non-zero sensory adjacency entries) */
    public int sensorySynapseCount() {
        return nonZero(sensoryAdjacency);
    }

    private static int nonZero(final int[] a) {
        int c = 0;
        for (final int x : a) {
            if (x != 0) {
                c++;
            }
        }
        return c;
    }

    /** @return a copy of the adjacency matrix, [source][destination] */
    public int[][] adjacency() {
        return rows(adjacency, units, units);
    }

    /** @return a copy of the sensory adjacency matrix, [input][destination] */
    public int[][] sensoryAdjacency() {
        return rows(sensoryAdjacency, inputs, units);
    }

    private static int[][] rows(final int[] flat, final int r, final int c) {
        final int[][] out = new int[r][];
        for (int i = 0; i < r; i++) {
            out[i] = Arrays.copyOfRange(flat, i * c, (i + 1) * c);
        }
        return out;
    }

    /**
     * The wiring as JSON with ncps' {@code get_config()} keys plus {@code kind} and {@code neuron_types}.
     *
     * @return a new tree
     */
    public ObjectNode toJson() {
        final ObjectNode root = ModelJson.mapper().createObjectNode();
        root.put("kind", kind);
        root.put("units", units);
        root.put("input_dim", inputs);
        root.put("output_dim", motors);
        final ArrayNode t = root.putArray("neuron_types");
        for (final NeuronType type : types) {
            t.add(type.label());
        }
        root.set("adjacency_matrix", matrixNode(adjacency, units, units));
        root.set("sensory_adjacency_matrix", matrixNode(sensoryAdjacency, inputs, units));
        return root;
    }

    private static ArrayNode matrixNode(final int[] flat, final int r, final int c) {
        final ArrayNode rowsNode = ModelJson.mapper().createArrayNode();
        for (int i = 0; i < r; i++) {
            final ArrayNode row = rowsNode.addArray();
            for (int j = 0; j < c; j++) {
                row.add(flat[i * c + j]);
            }
        }
        return rowsNode;
    }

    /**
     * Reads a wiring written by {@link #toJson()} or by ncps' {@code Wiring.get_config()} (built: with
     * {@code sensory_adjacency_matrix}); {@code kind} and {@code neuron_types} are optional.
     *
     * @param json   the tree
     * @param source where it came from, for messages
     * @return the wiring
     * @throws OdeException naming the field if it is missing or malformed
     */
    public static Wiring fromJson(final JsonNode json, final String source) {
        if (json == null || !json.isObject()) {
            throw invalid(source + ": a wiring must be a JSON object");
        }
        final int[][] adj = matrix(json, "adjacency_matrix", source);
        final int[][] sens = matrix(json, "sensory_adjacency_matrix", source);
        final JsonNode out = json.get("output_dim");
        if (out == null || !out.canConvertToInt()) {
            throw invalid(source + ": field 'output_dim' (number of motor neurons) is missing");
        }
        if (json.has("units") && json.get("units").asInt() != adj.length) {
            throw invalid(source + ": field 'units' is " + json.get("units").asInt() + " but adjacency_matrix has "
                    + adj.length + " rows");
        }
        if (json.has("input_dim") && json.get("input_dim").asInt() != sens.length) {
            throw invalid(source + ": field 'input_dim' is " + json.get("input_dim").asInt()
                    + " but sensory_adjacency_matrix has " + sens.length + " rows");
        }
        NeuronType[] types = null;
        final JsonNode t = json.get("neuron_types");
        if (t != null && t.isArray()) {
            types = new NeuronType[t.size()];
            for (int i = 0; i < types.length; i++) {
                try {
                    types[i] = NeuronType.valueOf(t.get(i).asText().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw invalid(source + ": neuron_types[" + i + "] is '" + t.get(i).asText()
                            + "', not motor, command or inter");
                }
            }
        }
        final String kind = json.path("kind").isTextual() ? json.get("kind").asText() : "custom";
        try {
            return of(kind, adj, sens, out.asInt(), types);
        } catch (OdeException e) {
            throw invalid(source + ": " + e.getMessage());
        }
    }

    private static int[][] matrix(final JsonNode json, final String field, final String source) {
        final JsonNode node = json.get(field);
        if (node == null || !node.isArray() || node.size() == 0) {
            throw invalid(source + ": field '" + field + "' must be a non-empty array of rows");
        }
        final int[][] out = new int[node.size()][];
        for (int i = 0; i < out.length; i++) {
            final JsonNode row = node.get(i);
            if (!row.isArray()) {
                throw invalid(source + ": " + field + "[" + i + "] is not an array");
            }
            out[i] = new int[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                final JsonNode x = row.get(j);
                if (!x.isNumber() || x.asDouble() != Math.rint(x.asDouble())) {
                    throw invalid(source + ": " + field + "[" + i + "][" + j + "] is not an integer");
                }
                out[i][j] = x.asInt();
            }
        }
        return out;
    }

    /**
     * Writes {@link #toJson()} to a file.
     *
     * @param file destination (overwritten)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public void write(final Path file) {
        try {
            ModelJson.mapper().writeValue(file.toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a wiring file (see {@link #fromJson}).
     *
     * @param file the file
     * @return the wiring
     */
    public static Wiring read(final Path file) {
        final JsonNode json;
        try {
            json = ModelJson.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw invalid(file + ": not readable JSON: " + e.getMessage());
        }
        return fromJson(json, file.toString());
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Wiring w && w.units == units && w.inputs == inputs && w.motors == motors
                && Arrays.equals(w.adjacency, adjacency) && Arrays.equals(w.sensoryAdjacency, sensoryAdjacency)
                && Arrays.equals(w.types, types);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(adjacency) + Arrays.hashCode(sensoryAdjacency)) + motors;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Wiring[%s, %d neurons (%d motor, %d command, %d inter), %d inputs, "
                + "%d synapses, %d sensory synapses]", kind, units, motors, count(NeuronType.COMMAND),
                count(NeuronType.INTER), inputs, synapseCount(), sensorySynapseCount());
    }
}
