#!/usr/bin/env python3
"""One timing round of the PyTorch reference cINN for `cinn bench --reference`.

Builds the reference model of torch_cinn_mnist.py (next to this file, the team's own PyTorch implementation
written from the paper's equations) with --arch paper sizes and the paper init, then times training steps
(forward, backward, grad-norm clip 10, Adam with weight decay 1e-5: the reference's own step) one by one after
warm-up, and sampling (inverse under no_grad) of --sample-n samples. Random inputs, like the Java side: the
arithmetic of a step does not depend on the pixel values. Prints ONE JSON line on stdout.
"""
import argparse
import json
import os
import resource
import sys
import time

# Must be set before torch loads (libgomp spin-waiting made steps 2-20x slower on a shared 2-core machine).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch_cinn_mnist as ref  # noqa: E402


def peak_rss_mib():
    """This process's peak resident set size. VmHWM belongs to the process's own memory map; ru_maxrss would not do
    here: Linux carries it across exec, so a process started from the JVM would report the JVM's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--blocks", type=int, default=ref.ARCHS["paper"]["n_blocks"])
    ap.add_argument("--hidden", type=int, default=ref.ARCHS["paper"]["hidden"])
    ap.add_argument("--depth", type=int, default=ref.ARCHS["paper"]["depth"])
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--sample-n", type=int, default=256)
    ap.add_argument("--sample-repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    arch = dict(ref.ARCHS["paper"], n_blocks=a.blocks, hidden=a.hidden, depth=a.depth)
    model = ref.CINN(**arch)
    ref.init_params(model, "paper")
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
    x = torch.rand(a.batch, 1, 28, 28)
    c = ref.one_hot(torch.arange(a.batch) % ref.N_CLASSES)

    def step():
        z, logdet = model(x, c)
        loss = ref.nll_per_dim(z, logdet)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        opt.zero_grad()
        return float(loss)

    steps = []
    for s in range(a.warmup + a.steps):
        t = time.perf_counter()
        loss = step()
        dt = time.perf_counter() - t
        if s >= a.warmup:
            steps.append(dt)
        print(f"  torch {'warm-up' if s < a.warmup else 'train'} step {s}: {dt:.3f} s (loss {loss:.4f})",
              file=sys.stderr, flush=True)

    z = torch.randn(a.sample_n, ref.D)
    cs = ref.one_hot(torch.arange(a.sample_n) % ref.N_CLASSES)
    samples = []
    with torch.no_grad():
        model.inverse(z, cs)  # warm-up
        for r in range(a.sample_repeats):
            t = time.perf_counter()
            model.inverse(z, cs)
            samples.append(time.perf_counter() - t)
            print(f"  torch sample {r} x {a.sample_n}: {samples[-1]:.3f} s", file=sys.stderr, flush=True)

    print(json.dumps({
        "impl": "torch_cinn_mnist.py --arch paper --init paper",
        "parameters": sum(p.numel() for p in model.parameters()),
        "trainStepSeconds": steps,
        "samplingSeconds": samples,
        "peakRssMiB": peak_rss_mib(),
        "threads": a.threads,
        "torch": torch.__version__,
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"),
    }), flush=True)


if __name__ == "__main__":
    main()
