package org.neurode.core.expr;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a unit error belongs in a document. Units are checked once all declarations are read (a model is
 * checked only if every declaration has a unit); the error's message names the declaration at fault (see
 * {@link org.neurode.core.units.UnitCheck}), which a reader maps back to the line where it was written.
 */
final class UnitErrors {

    private static final String NAME = "([A-Za-z_][A-Za-z0-9_.\\-]*)";
    /** Message patterns and the kind of declaration they name. */
    private static final Object[][] PLACES = {
        {Pattern.compile("^in d" + NAME + "/dt"), "equation:"},
        {Pattern.compile("^in parameter " + NAME), "parameter:"},
        {Pattern.compile("^in the initial value of " + NAME), "state:"},
        {Pattern.compile("^in let " + NAME), "let:"},
        {Pattern.compile("^in event " + NAME), "event:"},
        {Pattern.compile("^in projection " + NAME), "projection:"},
        {Pattern.compile("unit of parameter '([^']+)'"), "parameter:"},
        {Pattern.compile("unit of variable '([^']+)'"), "state:"},
        {Pattern.compile("time unit()"), "time-unit:"},
    };

    private UnitErrors() {
    }

    /**
     * @param message the message of a unit error
     * @return the declaration it names, as "kind:name" (kinds: equation, parameter, state, let, event, time-unit with an
     *         empty name), or null if it names none
     */
    static String declaration(final String message) {
        for (final Object[] place : PLACES) {
            final Matcher m = ((Pattern) place[0]).matcher(message);
            if (m.find()) {
                return place[1] + m.group(1);
            }
        }
        return null;
    }
}
