package io.github.dl4jcinn.zoo.color;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PhotoTilesTest {

    @Test
    void photosAreScaledToTheShortSideAndCutIntoACentredGrid(@TempDir Path dir) throws Exception {
        // 200x100 -> short side 50: 100x50 -> 6 x 3 tiles of 16, centred (x offset 2, y offset 1)
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                img.setRGB(x, y, x < 100 ? 0xFF0000 : 0x0000FF);
            }
        }
        PhotoTileSet t = new PhotoTiles(16, 50, null).cut("p", img);
        assertThat(t.count()).isEqualTo(18);
        assertThat(t.sample(0, 0, 0, 0)).isEqualTo(255);   // left tiles red
        assertThat(t.sample(5, 15, 15, 2)).isEqualTo(255); // right tiles blue
        // a photo smaller than the short side is used as is; one smaller than a tile gives nothing
        assertThat(new PhotoTiles(16, 512, null).cut("q", new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB))
                .count()).isEqualTo(2);
        assertThat(new PhotoTiles(16, 512, null).cut("r", new BufferedImage(10, 20, BufferedImage.TYPE_INT_RGB))
                .count()).isZero();
    }

    @Test
    void tilesAreCachedAfterTheFirstDecodeAndAnyImageDirectoryIsAccepted(@TempDir Path dir) throws Exception {
        Path photos = dir.resolve("photos");
        SyntheticPhotos.write(photos, "a.png", SyntheticPhotos.landscape(64, 48, 1));
        SyntheticPhotos.write(photos, "b.jpg", SyntheticPhotos.landscape(80, 40, 2));
        Files.writeString(photos.resolve("notes.txt"), "not an image");
        Files.writeString(photos.resolve("broken.png"), "not a png either");
        List<Path> files = PhotoTiles.listImages(photos);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("a.png", "b.jpg", "broken.png");

        Path cache = dir.resolve("cache");
        PhotoTiles tiles = new PhotoTiles(16, 512, cache);
        List<PhotoTileSet> first = tiles.load(files);
        assertThat(first).extracting(PhotoTileSet::photoId).containsExactly("a.png", "b.jpg");
        assertThat(PhotoTiles.count(first)).isEqualTo(4 * 3 + 5 * 2);
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s.count()).isEqualTo(2);
        }
        // the second load reads the cache: deleting the photo's pixels does not matter
        Files.delete(photos.resolve("a.png"));
        Files.copy(photos.resolve("b.jpg"), photos.resolve("b2.jpg"));
        PhotoTileSet cached = tiles.load(photos.resolve("b.jpg"));
        assertThat(cached.rgb()).isEqualTo(first.get(1).rgb());
    }

    @Test
    void splitIsByPhotoAndDeterministic() {
        List<PhotoTileSet> photos = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            photos.add(new PhotoTileSet("photo" + i, 1, 3, new byte[9]));
        }
        List<List<PhotoTileSet>> a = PhotoTiles.splitByPhoto(photos, 0.25, 3);
        List<List<PhotoTileSet>> b = PhotoTiles.splitByPhoto(photos, 0.25, 3);
        assertThat(a).isEqualTo(b);
        assertThat(a.get(0).size() + a.get(1).size()).isEqualTo(40);
        assertThat(a.get(1).size()).isBetween(4, 18);
        assertThat(a.get(0)).doesNotContainAnyElementsOf(a.get(1));
    }

    @Test
    void labDataHasTheTilesColoursAndStatistics() {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, x < 16 ? 0xFF0000 : 0x808080);
            }
        }
        PhotoTileSet t = new PhotoTiles(16, 0, null).cut("p", img);
        LabData d = LabData.of(List.of(t), 16, 8);
        assertThat(d.size()).isEqualTo(2);
        // tile 0 red: a = 80.11; tile 1 grey: a = 0
        assertThat(d.abLab(new int[]{0}).getDouble(0, 0, 3, 3)).isCloseTo(80.11, within(0.01));
        assertThat(d.abLab(new int[]{1}).getDouble(0, 0, 3, 3)).isCloseTo(0, within(0.01));
        assertThat(d.lInput(new int[]{0}, null).getDouble(0, 0, 5, 5)).isCloseTo(0.5323, within(1e-4));
        assertThat(d.abMean()[0]).isCloseTo(80.11 / 2, within(0.01));
        assertThat(d.abStd()[0]).isCloseTo(80.11 / 2, within(0.01));
        // standardised input
        assertThat(d.abInput(new int[]{0}, null, d.abMean(), d.abStd()).getDouble(0, 0, 0, 0))
                .isCloseTo(1.0, within(1e-4));
    }
}
