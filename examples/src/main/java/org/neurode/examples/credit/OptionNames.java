package org.neurode.examples.credit;

import java.util.Map;

/**
 * The command line's names for the settings' fields in error messages: the library's messages start with the
 * field ({@code trainSize 901: at most 900}); a command given options says the option instead
 * ({@code --train-size 901: at most 900}).
 */
final class OptionNames {

    private OptionNames() {
    }

    /**
     * @param e       an error of the settings
     * @param options option by field
     * @return the error with its leading field named by its option, or {@code e} if it names none
     */
    static IllegalArgumentException rename(final IllegalArgumentException e, final Map<String, String> options) {
        final String m = e.getMessage();
        if (m == null) {
            return e;
        }
        for (final Map.Entry<String, String> o : options.entrySet()) {
            final String f = o.getKey();
            if (m.startsWith(f) && m.length() > f.length()
                    && (m.charAt(f.length()) == ' ' || m.charAt(f.length()) == ':')) {
                return new IllegalArgumentException(o.getValue() + m.substring(f.length()), e);
            }
        }
        return e;
    }
}
