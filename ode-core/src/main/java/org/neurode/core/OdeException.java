package org.neurode.core;

/**
 * The single unchecked exception neurode throws; {@link #code()} tells which failure it is and the
 * message names the offending values (variable, time, parameter, line/column).
 *
 * @since 0.1
 */
public class OdeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates an exception.
     *
     * @param code   the failure kind
     * @param values the values named in the message template
     */
    public OdeException(final ErrorCode code, final Object... values) {
        super(code.format(values));
        this.code = code;
    }

    /**
     * Creates an exception with a cause.
     *
     * @param cause  the underlying failure
     * @param code   the failure kind
     * @param values the values named in the message template
     */
    public OdeException(final Throwable cause, final ErrorCode code, final Object... values) {
        super(code.format(values), cause);
        this.code = code;
    }

    /**
     * @return the failure kind
     */
    public ErrorCode code() {
        return code;
    }
}
