package org.neurode.models.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/** {@link ImageSet}: subsets, copies and bounds, on four 1 x 2 images small enough to check by hand. */
class ImageSetTest {

    /** Images 0 to 3 of 1 x 2 pixels: (0, 255), (1, 2), (3, 4), (5, 6). */
    private static final byte[] PIXELS = {0, (byte) 255, 1, 2, 3, 4, 5, 6};

    /** Their labels, with 3 classes: counts 2, 1, 1. */
    private static final int[] LABELS = {2, 0, 1, 0};

    @Test
    void subsetsShareTheImagesWithShiftedIndices() {
        // GIVEN four images
        final ImageSet set = ImageSet.of(1, 2, 3, PIXELS, LABELS);
        assertArrayEquals(new int[] {2, 1, 1}, set.classCounts());
        // WHEN images 1 to 3 (exclusive) are taken, and of them the first one
        final ImageSet middle = set.subset(1, 3);
        final ImageSet first = middle.first(1);
        // THEN image 0 of the subset is image 1 of the set, and the class counts are the subset's
        assertEquals(2, middle.size());
        assertEquals(0, middle.label(0));
        assertEquals(1, middle.label(1));
        assertEquals(3, middle.pixel(1, 0));
        assertArrayEquals(new int[] {1, 1, 0}, middle.classCounts());
        assertEquals(1, first.size());
        assertEquals(2, first.pixel(0, 1));
        final double[] x = new double[2];
        middle.image(1, x);
        assertArrayEquals(new double[] {3 / 255.0, 4 / 255.0}, x, 0.0);
        // AND an empty subset at the end is allowed
        assertEquals(0, set.subset(4, 4).size());
    }

    @Test
    void ofCopiesItsArrays() {
        // GIVEN arrays that are changed after the set is made
        final byte[] pixels = PIXELS.clone();
        final int[] labels = LABELS.clone();
        final ImageSet set = ImageSet.of(1, 2, 3, pixels, labels);
        pixels[1] = 9;
        labels[0] = 1;
        // THEN the set keeps the values it was given (255 and 2)
        assertEquals(255, set.pixel(0, 1));
        assertEquals(2, set.label(0));
    }

    @Test
    void boundsAreChecked() {
        final ImageSet set = ImageSet.of(1, 2, 3, PIXELS, LABELS);
        // an image past the end, a pixel past the image, a subset past the end or reversed, an array too short
        assertEquals(ErrorCode.INDEX_OUT_OF_RANGE, assertThrows(OdeException.class, () -> set.label(4)).code());
        assertEquals(ErrorCode.INDEX_OUT_OF_RANGE, assertThrows(OdeException.class, () -> set.pixel(0, 2)).code());
        assertThrows(OdeException.class, () -> set.subset(1, 5));
        assertThrows(OdeException.class, () -> set.subset(3, 2));
        assertThrows(OdeException.class, () -> set.subset(1, 3).label(2));
        final OdeException shortArray = assertThrows(OdeException.class, () -> set.image(0, new double[1]));
        assertEquals(ErrorCode.DIMENSION_MISMATCH, shortArray.code());
        // a label outside the classes, and pixels that do not fit the labels (8 = 4 images x 2, not 3 x 2)
        final String m = assertThrows(OdeException.class,
                () -> ImageSet.of(1, 2, 3, PIXELS, new int[] {0, 3, 0, 0})).getMessage();
        assertTrue(m.contains("3"), m);
        assertThrows(OdeException.class, () -> ImageSet.of(1, 2, 3, PIXELS, new int[] {0, 1, 2}));
    }
}
