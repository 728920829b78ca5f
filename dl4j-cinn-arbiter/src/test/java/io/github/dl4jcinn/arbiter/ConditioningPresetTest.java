package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditioning preset on colorization: no / fixed / jointly trained conditioning network with the zoo's tiny
 * colorization cINN, on generated colour "photos" (smooth random gradients with an L-dependent hue).
 */
class ConditioningPresetTest {

    static void writePhotos(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(4);
        for (int p = 0; p < n; p++) {
            BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
            double fx = 0.05 + 0.1 * rng.nextDouble();
            double fy = 0.05 + 0.1 * rng.nextDouble();
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    double l = 0.5 + 0.5 * Math.sin(fx * x + fy * y + p);
                    int r = (int) (255 * l);
                    int g = (int) (255 * (1 - l) * 0.8);
                    int b = (int) (120 + 100 * Math.cos(0.1 * y));
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            ImageIO.write(img, "png", dir.resolve("photo" + p + ".png").toFile());
        }
    }

    @Test
    void presetComparesTheThreeConditioningModesOnColorization(@TempDir Path tmp) throws Exception {
        Path photos = tmp.resolve("photos");
        writePhotos(photos, 10);
        Path out = tmp.resolve("out");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = AblateCommand.run(new String[]{"--preset", "conditioning", "--photos", photos.toString(),
                        "--iterations", "2", "--out", out.toString()},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(o, true, StandardCharsets.UTF_8));
        String log = o.toString(StandardCharsets.UTF_8);
        assertThat(code).as(log).isZero();
        assertThat(log).contains("3 candidate(s): 3 completed, 0 failed, 0 not run");
        List<CandidateResult> all = SweepResults.forDirectory(out).all();
        assertThat(all).extracting(r -> r.config.getConditioning())
                .containsExactly(ConditioningMode.NONE, ConditioningMode.FIXED, ConditioningMode.JOINT);
        assertThat(all).allSatisfy(r -> {
            assertThat(r.config.getTask()).isEqualTo(CinnCandidateConfig.Task.COLORIZATION);
            assertThat(r.score).isFinite();
            assertThat(r.validationIterations).containsExactly(0, 1, 2);
        });
        // a backbone adds parameters; fixed and joint share the architecture
        assertThat(all.get(1).parameters).isGreaterThan(all.get(0).parameters).isEqualTo(all.get(2).parameters);
        String report = Files.readString(out.resolve(SweepReport.REPORT));
        assertThat(report).contains("c.n. joint", "standardised a, b", "joint training is critical");
        SweepResults.close(out);
    }
}
