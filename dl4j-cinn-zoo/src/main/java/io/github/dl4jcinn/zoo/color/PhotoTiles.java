package io.github.dl4jcinn.zoo.color;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Square RGB tiles cut from photos, grouped by photo, cached after the first decode.
 *
 * <p>Each photo is box-filtered down so its short side is at most {@link #shortSide} pixels (photos already smaller
 * are used as they are), then cut into a centred grid of non-overlapping {@code tileSize x tileSize} tiles; a photo
 * smaller than one tile yields none. The tiles of one photo are one {@link PhotoTileSet}, so a train/evaluation
 * split is always by photo, never by tile ({@link #splitByPhoto}). Large JPEGs take seconds to decode, so each
 * photo's tiles are written to {@code cacheDir} (gzip, 8-bit RGB) under a key made of the photo's absolute path, size,
 * modification time and the tiling settings; later runs read the cache instead of the photo.
 *
 * <pre>{@code PhotoTiles tiles = new PhotoTiles(64, 512, Path.of("/tmp/tile-cache"));
 * List<PhotoTileSet> train = tiles.load(PhotoTiles.listImages(Path.of("photos/train")));}</pre>
 */
public final class PhotoTiles {

    private static final Logger log = LoggerFactory.getLogger(PhotoTiles.class);
    private static final int CACHE_VERSION = 1;
    private static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private final int tileSize;
    private final int shortSide;
    private final Path cacheDir;

    /**
     * @param tileSize  side of the square tiles
     * @param shortSide photos are scaled down to at most this short side before tiling (0: never scaled)
     * @param cacheDir  where decoded tiles are cached; null disables the cache
     */
    public PhotoTiles(int tileSize, int shortSide, Path cacheDir) {
        if (tileSize <= 0 || shortSide < 0) {
            throw new IllegalArgumentException("tileSize must be > 0 and shortSide >= 0");
        }
        this.tileSize = tileSize;
        this.shortSide = shortSide;
        this.cacheDir = cacheDir;
    }

    public int tileSize() {
        return tileSize;
    }

    /** Image files (png, jpg, jpeg, bmp, gif; symbolic links followed) directly in {@code dir}, sorted by name. */
    public static List<Path> listImages(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && EXTENSIONS.contains(extension(p)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** Tiles of every photo that can be read (unreadable files are logged and skipped). */
    public List<PhotoTileSet> load(List<Path> photos) throws IOException {
        List<PhotoTileSet> out = new ArrayList<>();
        for (Path p : photos) {
            PhotoTileSet t = load(p);
            if (t != null && t.count() > 0) {
                out.add(t);
            }
        }
        return out;
    }

    /** Tiles of one photo, from the cache when present; null if the file is not a readable image. */
    public PhotoTileSet load(Path photo) throws IOException {
        Path cached = cacheDir == null ? null : cacheDir.resolve(cacheKey(photo) + ".tiles.gz");
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return read(cached, photo);
            } catch (IOException e) {
                log.warn("ignoring unreadable tile cache {}: {}", cached, e.toString());
            }
        }
        BufferedImage img;
        try {
            img = ImageIO.read(photo.toFile());
        } catch (IOException | RuntimeException e) {
            log.warn("skipping {}: {}", photo, e.toString());
            return null;
        }
        if (img == null) {
            log.warn("skipping {}: no image reader for it", photo);
            return null;
        }
        PhotoTileSet tiles = cut(photo.getFileName().toString(), img);
        if (cached != null) {
            write(cached, tiles);
        }
        return tiles;
    }

    /** Tiles of an image already in memory (same scaling and grid as for files). */
    public PhotoTileSet cut(String photoId, BufferedImage img) {
        int[][] rgb = Resampling.toRgb(img);
        int w = img.getWidth();
        int h = img.getHeight();
        int shortest = Math.min(w, h);
        if (shortSide > 0 && shortest > shortSide) {
            int nw = (int) Math.round((double) w * shortSide / shortest);
            int nh = (int) Math.round((double) h * shortSide / shortest);
            rgb = Resampling.boxResize(rgb, w, h, nw, nh);
            w = nw;
            h = nh;
        }
        int cols = w / tileSize;
        int rows = h / tileSize;
        int x0 = (w - cols * tileSize) / 2;
        int y0 = (h - rows * tileSize) / 2;
        byte[] data = new byte[rows * cols * tileSize * tileSize * 3];
        int o = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int y = 0; y < tileSize; y++) {
                    for (int x = 0; x < tileSize; x++) {
                        int i = (y0 + r * tileSize + y) * w + x0 + c * tileSize + x;
                        data[o++] = (byte) rgb[0][i];
                        data[o++] = (byte) rgb[1][i];
                        data[o++] = (byte) rgb[2][i];
                    }
                }
            }
        }
        return new PhotoTileSet(photoId, tileSize, rows * cols, data);
    }

    /**
     * Deterministic split by photo: a photo goes to the held-out part when a hash of its id falls below
     * {@code heldOutFraction}. All tiles of a photo stay together.
     */
    public static List<List<PhotoTileSet>> splitByPhoto(List<PhotoTileSet> photos, double heldOutFraction, long seed) {
        List<PhotoTileSet> train = new ArrayList<>();
        List<PhotoTileSet> heldOut = new ArrayList<>();
        for (PhotoTileSet p : photos) {
            double u = new java.util.SplittableRandom(p.photoId().hashCode() * 0x9E3779B97F4A7C15L ^ seed)
                    .nextDouble();
            (u < heldOutFraction ? heldOut : train).add(p);
        }
        return List.of(train, heldOut);
    }

    /** Total number of tiles. */
    public static int count(List<PhotoTileSet> photos) {
        return photos.stream().mapToInt(PhotoTileSet::count).sum();
    }

    // ---- cache ----

    private String cacheKey(Path photo) throws IOException {
        Path abs = photo.toAbsolutePath().normalize();
        String id = abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis() + "|" + tileSize
                + "|" + shortSide + "|v" + CACHE_VERSION;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            String name = photo.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            return name + "-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, PhotoTileSet t) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "tiles", ".tmp");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(tmp));
             DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(CACHE_VERSION);
            out.writeUTF(t.photoId());
            out.writeInt(t.tileSize());
            out.writeInt(t.count());
            out.write(t.rgb());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private PhotoTileSet read(Path file, Path photo) throws IOException {
        try (InputStream is = new GZIPInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(is)) {
            if (in.readInt() != CACHE_VERSION) {
                throw new IOException("cache version differs");
            }
            String id = in.readUTF();
            int size = in.readInt();
            int count = in.readInt();
            if (size != tileSize) {
                throw new IOException("tile size " + size + " != " + tileSize);
            }
            byte[] data = new byte[count * size * size * 3];
            in.readFully(data);
            return new PhotoTileSet(id, size, count, data);
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
