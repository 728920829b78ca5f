package io.github.dl4jcinn.layers.testing;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.ActNorm;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.CheckerboardSqueeze;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;

import java.util.List;

import static io.github.dl4jcinn.layers.FlowShape.image;
import static io.github.dl4jcinn.layers.FlowShape.vector;

/**
 * The catalogue of block configurations that every generic test loops over: every block type, vector and image
 * stages, odd split sizes, each clamp, vector / image / absent conditions, and the split/merge of a multi-scale stage.
 * Shapes are small so that finite-difference Jacobians and gradient checks stay fast.
 */
public final class FlowCases {
    private FlowCases() {}

    private static AffineCoupling.Builder coupling(Subnet subnet) {
        return AffineCoupling.builder().subnet(subnet.zeroLastLayer(false));
    }

    public static List<FlowCase> all() {
        return List.of(
                new FlowCase("coupling-fc-vector-cond-atan", vector(6), vector(3), (b, c) ->
                        b.add("cc", coupling(Subnet.fullyConnected(8)).vectorCondition(3).build(), c)),
                new FlowCase("coupling-fc-two-dims-one-per-half", vector(2), vector(2), (b, c) ->
                        b.add("cc", coupling(Subnet.fullyConnected(4)).vectorCondition(2).build(), c)),
                new FlowCase("coupling-fc-odd-unconditional-noclamp", vector(7), null, (b, c) ->
                        b.add("cc", coupling(Subnet.fullyConnected(8, 8)).clamp(Clamp.NONE).build())),
                new FlowCase("coupling-fc-tanh-cond", vector(5), vector(2), (b, c) ->
                        b.add("cc", coupling(Subnet.fullyConnected(6)).clamp(Clamp.TANH).vectorCondition(2).build(), c)),
                new FlowCase("coupling-fc-on-image-image-cond", image(2, 2, 2), image(1, 2, 2), (b, c) ->
                        b.add("cc", coupling(Subnet.fullyConnected(6)).imageCondition(1, 2, 2).build(), c)),
                new FlowCase("coupling-conv3-image-cond-atan", image(2, 4, 4), image(2, 4, 4), (b, c) ->
                        b.add("cc", coupling(Subnet.convolutional(3, 3)).imageCondition(2, 4, 4).build(), c)),
                new FlowCase("coupling-conv1-odd-channels-unconditional", image(3, 2, 4), null, (b, c) ->
                        b.add("cc", coupling(Subnet.convolutional(1, 4, 4)).build())),
                new FlowCase("coupling-conv3-vector-cond-broadcast-tanh", image(2, 2, 2), vector(3), (b, c) ->
                        b.add("cc", coupling(Subnet.convolutional(3, 3)).clamp(Clamp.TANH).vectorCondition(3).build(), c)),
                new FlowCase("haar", image(2, 4, 4), null, (b, c) -> b.add("haar", new HaarDownsampling())),
                new FlowCase("checkerboard-squeeze", image(3, 2, 4), null, (b, c) -> b.add("sq", new CheckerboardSqueeze())),
                new FlowCase("orthogonal-1x1-image", image(3, 2, 2), null, (b, c) -> b.add("q", new FixedOrthogonalConv1x1(7))),
                new FlowCase("orthogonal-vector", vector(5), null, (b, c) -> b.add("q", new FixedOrthogonalConv1x1(8))),
                new FlowCase("permutation-vector", vector(6), null, (b, c) -> b.add("p", new FixedPermutation(9))),
                new FlowCase("permutation-image", image(2, 2, 2), null, (b, c) -> b.add("p", new FixedPermutation(10))),
                new FlowCase("actnorm-image", image(3, 2, 2), null, (b, c) -> b.add("an", new ActNorm())),
                new FlowCase("actnorm-vector", vector(4), null, (b, c) -> b.add("an", new ActNorm())),
                new FlowCase("split-merge-multiscale", image(1, 4, 4), vector(2), (b, c) -> b
                        .add("haar", new HaarDownsampling())
                        .split("split", 2)
                        .add("cc", coupling(Subnet.convolutional(1, 3)).vectorCondition(2).build(), c)),
                new FlowCase("flatten-to-fc-stage", image(2, 2, 2), vector(2), (b, c) -> b
                        .add("q", new FixedOrthogonalConv1x1(3))
                        .flatten()
                        .add("cc", coupling(Subnet.fullyConnected(5)).vectorCondition(2).build(), c)
                        .add("p", new FixedPermutation(4))));
    }
}
