package io.github.dl4jcinn.zoo.color;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** train -> evaluate -> colorize (samples, --scale, --reference) end to end, tiny preset, generated photos. */
class ColorizeCommandTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final ColorizeCommand cmd = new ColorizeCommand(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpAndUsageErrors() throws Exception {
        assertThat(cmd.run("--help")).isZero();
        assertThat(output()).contains("train", "evaluate", "colorize", "--scale", "--reference");
        assertThat(cmd.run("train", "--out")).isEqualTo(2);
        assertThat(cmd.run("paint")).isEqualTo(2);
        assertThat(cmd.run("train", "--out", "x")).isEqualTo(2);
        assertThat(output()).contains("missing --train-dir");
    }

    @Test
    void trainEvaluateAndColorizeEndToEnd(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train");
        Path eval = dir.resolve("eval");
        for (int i = 0; i < 4; i++) {
            SyntheticPhotos.write(train, "t" + i + ".png", SyntheticPhotos.landscape(48, 32, i));
        }
        SyntheticPhotos.write(eval, "e0.png", SyntheticPhotos.landscape(32, 32, 10));
        SyntheticPhotos.write(eval, "e1.jpg", SyntheticPhotos.landscape(48, 32, 11));
        Path out = dir.resolve("run");

        int code = cmd.run("train", "--train-dir", train.toString(), "--eval-dir", eval.toString(), "--out",
                out.toString(), "--preset", "tiny", "--iterations", "2", "--samples", "3", "--seed", "5");
        assertThat(code).as(output()).isZero();
        assertThat(out.resolve("cinn.zip")).exists();
        assertThat(out.resolve("cnn.zip")).exists();
        assertThat(out.resolve("training-curves-cinn.png")).exists();
        assertThat(out.resolve("training-curves-cnn.png")).exists();
        assertThat(out.resolve("examples.png")).exists();
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertThat(metrics).contains("\"cINN\"", "\"CNN\"", "\"grey\"", "bestOfKMse", "variance");
        assertThat(Files.readString(out.resolve("training-both.json"))).contains("trainTiles", "\"iterations\": 2");
        assertThat(output()).contains("training data: 24 tiles", "evaluating on 10 tiles from 2 photos");

        Path grey = dir.resolve("grey.png");
        BufferedImage g = SyntheticPhotos.landscape(40, 24, 20);
        SyntheticPhotos.write(dir, "grey.png", LabImages.grey(LabImages.toLab(g)[0], 40, 24));
        Path strip = dir.resolve("out/col.png");
        assertThat(cmd.run("colorize", "--model", out.resolve("cinn.zip").toString(), "--input", grey.toString(),
                "--out", strip.toString(), "--samples", "3")).as(output()).isZero();
        BufferedImage s = ImageIO.read(strip.toFile());
        assertThat(s.getWidth()).isEqualTo(4 * (40 + 4) + 4);
        assertThat(s.getHeight()).isEqualTo(24 + 8);
        assertThat(dir.resolve("out/col-3.png")).exists();
        assertThat(ImageIO.read(dir.resolve("out/col-1.png").toFile()).getWidth()).isEqualTo(40);

        Path scaled = dir.resolve("out/scaled.png");
        assertThat(cmd.run("colorize", "--model", out.resolve("cinn.zip").toString(), "--input", grey.toString(),
                "--out", scaled.toString(), "--scale", "0,0.5,1,1.5")).as(output()).isZero();
        assertThat(ImageIO.read(scaled.toFile()).getWidth()).isEqualTo(5 * 44 + 4);

        Path transfer = dir.resolve("out/transfer.png");
        assertThat(cmd.run("colorize", "--model", out.resolve("cinn.zip").toString(), "--input", grey.toString(),
                "--out", transfer.toString(), "--reference", eval.resolve("e0.png").toString())).as(output()).isZero();
        assertThat(ImageIO.read(transfer.toFile()).getWidth()).isEqualTo(2 * 44 + 4);
    }
}
