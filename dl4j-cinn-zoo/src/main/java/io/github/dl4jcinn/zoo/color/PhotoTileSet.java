package io.github.dl4jcinn.zoo.color;

/**
 * The tiles of one photo: {@code count} squares of {@code tileSize x tileSize} 8-bit RGB pixels, interleaved
 * ({@code rgb[((t * tileSize + y) * tileSize + x) * 3 + channel]}).
 */
public record PhotoTileSet(String photoId, int tileSize, int count, byte[] rgb) {

    public PhotoTileSet {
        if (rgb.length != count * tileSize * tileSize * 3) {
            throw new IllegalArgumentException("expected " + count * tileSize * tileSize * 3 + " bytes, got "
                    + rgb.length);
        }
    }

    /** Red, green or blue (0..255) of pixel (x, y) of tile {@code t}. */
    public int sample(int t, int x, int y, int channel) {
        return rgb[((t * tileSize + y) * tileSize + x) * 3 + channel] & 0xFF;
    }
}
