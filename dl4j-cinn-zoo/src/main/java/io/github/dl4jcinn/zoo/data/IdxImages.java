package io.github.dl4jcinn.zoo.data;

/**
 * The content of an IDX image file without labels: {@code count} images of {@code rows x cols} unsigned bytes,
 * row-major, image after image. Kept as raw bytes (1 byte per pixel) so a whole MNIST split is 47 MB, not 188.
 *
 * @param count  number of images
 * @param rows   image height
 * @param cols   image width
 * @param pixels {@code count * rows * cols} bytes, read as unsigned ({@code b & 0xFF}); not copied
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("bad image dimensions " + count + "x" + rows + "x" + cols);
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected "
                    + count + "x" + rows + "x" + cols + " = " + (long) count * rows * cols);
        }
    }
}
