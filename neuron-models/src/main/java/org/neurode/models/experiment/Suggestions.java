package org.neurode.models.experiment;

import java.util.Collection;

/**
 * "Did you mean" for misspelled names: the known name at the smallest edit distance, if it is close.
 *
 * @since 0.7 (public, for the sweep files)
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * @param word  a misspelled name
     * @param known the known names
     * @return the known name closest to {@code word} if at most about a third of its letters differ, else null
     */
    public static String closest(final String word, final Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String k : known) {
            final int d = distance(word.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    /** Levenshtein distance (insertions, deletions, substitutions, and transpositions of neighbours). */
    static int distance(final String a, final String b) {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
