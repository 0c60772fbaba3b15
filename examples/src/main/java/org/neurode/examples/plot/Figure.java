package org.neurode.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.neurode.examples.io.AtomicFiles;

/**
 * Chart panels stacked top to bottom in one PNG image. Rendering needs no display: run the JVM with
 * {@code -Djava.awt.headless=true} (the {@code neurode} launcher and {@code Main} set it). Panels may
 * differ in size; narrower ones are left-aligned on a white background.
 *
 * @since 0.1
 */
public final class Figure {

    private final List<Chart<?, ?>> panels;

    private Figure(final List<Chart<?, ?>> panels) {
        this.panels = List.copyOf(panels);
    }

    /**
     * @param panels the panels, top first (reference kept; at least one)
     * @return the figure
     */
    public static Figure of(final List<? extends Chart<?, ?>> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one panel");
        }
        return new Figure(new ArrayList<>(panels));
    }

    /** @return the panels, top first (unmodifiable) */
    public List<Chart<?, ?>> panels() {
        return panels;
    }

    /**
     * Renders the panels into one image.
     *
     * @return a new image
     */
    public BufferedImage render() {
        final List<BufferedImage> images = new ArrayList<>(panels.size());
        int width = 0;
        int height = 0;
        for (final Chart<?, ?> panel : panels) {
            final BufferedImage image = BitmapEncoder.getBufferedImage(panel);
            images.add(image);
            width = Math.max(width, image.getWidth());
            height += image.getHeight();
        }
        final BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = figure.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (final BufferedImage image : images) {
                g.drawImage(image, 0, y, null);
                y += image.getHeight();
            }
        } finally {
            g.dispose();
        }
        return figure;
    }

    /**
     * Starts Java2D, the fonts and the PNG writer now by drawing and encoding a small chart in memory.
     * Commands that may have to write a figure while the JVM shuts down (after Ctrl-C) call this first:
     * once shutdown has begun, the graphics system can no longer start.
     */
    public static void warmUp() {
        final BufferedImage image = of(List.of(Charts.lines("warm-up", "x", "y",
                List.of(new Series("s", new double[] {0, 1}, new double[] {0, 1}))))).render();
        try {
            ImageIO.write(image, "png", new java.io.ByteArrayOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the figure as a PNG file, atomically.
     *
     * @param target the file; its folder must exist
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public Path writePng(final Path target) {
        final BufferedImage image = render();
        return AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("this Java runtime has no PNG image writer");
            }
        });
    }
}
