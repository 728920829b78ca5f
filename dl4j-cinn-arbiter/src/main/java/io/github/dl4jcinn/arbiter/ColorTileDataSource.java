package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.color.LabData;
import io.github.dl4jcinn.zoo.color.PhotoTileSet;
import io.github.dl4jcinn.zoo.color.PhotoTiles;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arbiter {@link DataSource} of colorization tiles ({@link LabData}) cut from the photos in one directory with the
 * zoo's {@link PhotoTiles}, split <em>by photo</em> into training and validation tiles. {@link #trainData()} and
 * {@link #testData()} return {@link LabData}.
 *
 * <p>Properties: {@value #PHOTO_DIR} (default {@value #DEFAULT_PHOTOS}, the Debian wallpaper packages),
 * {@value #TILE_SIZE} (the model's L size: 16 for the {@code tiny} colorization model, 64 for {@code small}),
 * {@value #SHORT_SIDE} (photos are scaled to this short side before tiling, default 256), {@value #HELD_OUT}
 * (fraction of photos for validation, default 0.25), {@value #CACHE_DIR} (decoded-tile cache; none if empty).
 */
public class ColorTileDataSource implements DataSource {

    private static final long serialVersionUID = 1L;

    public static final String PHOTO_DIR = "photoDir";
    public static final String TILE_SIZE = "tileSize";
    public static final String SHORT_SIDE = "shortSide";
    public static final String HELD_OUT = "heldOutFraction";
    public static final String CACHE_DIR = "tileCache";
    public static final String DEFAULT_PHOTOS = "/usr/share/backgrounds";

    private static final Map<String, LabData[]> CACHE = new ConcurrentHashMap<>();

    private String photoDir = DEFAULT_PHOTOS;
    private int tileSize = 16;
    private int shortSide = 256;
    private double heldOut = 0.25;
    private String cacheDir = "";
    private transient LabData[] loaded;

    public ColorTileDataSource() {}

    @Override
    public void configure(Properties p) {
        if (p == null) return;
        photoDir = p.getProperty(PHOTO_DIR, photoDir);
        tileSize = Integer.parseInt(p.getProperty(TILE_SIZE, String.valueOf(tileSize)));
        shortSide = Integer.parseInt(p.getProperty(SHORT_SIDE, String.valueOf(shortSide)));
        heldOut = Double.parseDouble(p.getProperty(HELD_OUT, String.valueOf(heldOut)));
        cacheDir = p.getProperty(CACHE_DIR, cacheDir);
        loaded = null;
    }

    @Override
    public LabData trainData() {
        return sets()[0];
    }

    /** Validation tiles: from photos not used for training. */
    @Override
    public LabData testData() {
        return sets()[1];
    }

    @Override
    public Class<?> getDataType() {
        return LabData.class;
    }

    public String describe() {
        LabData[] s = sets();
        return String.format(Locale.ROOT, "colorization tiles %dx%d from %s: %d training tiles, %d validation tiles "
                + "(split by photo)", tileSize, tileSize, photoDir, s[0].size(), s[1].size());
    }

    private LabData[] sets() {
        if (loaded == null) {
            String key = photoDir + "|" + tileSize + "|" + shortSide + "|" + heldOut;
            loaded = CACHE.computeIfAbsent(key, k -> load());
        }
        return loaded;
    }

    private LabData[] load() {
        try {
            PhotoTiles tiler = new PhotoTiles(tileSize, shortSide, cacheDir.isEmpty() ? null : Path.of(cacheDir));
            List<PhotoTileSet> photos = tiler.load(PhotoTiles.listImages(Paths.get(photoDir)));
            List<List<PhotoTileSet>> split = PhotoTiles.splitByPhoto(photos, heldOut, 7);
            if (split.get(0).isEmpty() || split.get(1).isEmpty()) {
                throw new IllegalArgumentException("need photos for both training and validation in " + photoDir
                        + " (found " + photos.size() + " usable photos)");
            }
            return new LabData[]{LabData.of(split.get(0), tileSize, tileSize), LabData.of(split.get(1), tileSize,
                    tileSize)};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the photos in " + photoDir, e);
        }
    }
}
