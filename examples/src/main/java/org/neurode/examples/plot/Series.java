package org.neurode.examples.plot;

/**
 * One named curve or point set of a chart.
 *
 * @param name legend entry (unique within a chart)
 * @param x    abscissae (reference kept; not modified)
 * @param y    ordinates, as many as {@code x} (reference kept; not modified)
 * @since 0.1
 */
public record Series(String name, double[] x, double[] y) {

    /**
     * Validates the series.
     *
     * @param name legend entry
     * @param x    abscissae
     * @param y    ordinates
     */
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but "
                    + y.length + " y values");
        }
    }
}
