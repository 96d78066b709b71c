#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A 1 GiB torch.save file and PyTorch's own time on it, for comparison with ShapeScope's.

    /usr/bin/python3 tests/bench/torchsave_bench.py write /tmp/big.pt     # the file (not committed)
    /usr/bin/python3 tests/bench/torchsave_bench.py torch /tmp/big.pt     # torch.load + loss
    /usr/bin/python3 tests/bench/torchsave_bench.py shapescope build/rel /tmp/big.pt

The file holds {"logits": (262144, 1024) float32, "labels": (262144,) int64, "step": 100}: the
1 GiB of logits a language-model step of 256 sequences of 1024 tokens over a 1024-token
vocabulary produces. "torch" times torch.load plus F.cross_entropy(reduction="none") on 2
threads; "shapescope" times `check --metadata-only`, `check` and `losses --csv` of the given
build (best of --runs each). Run each on a warm page cache: the first read of 1 GiB from disk
measures the disk.
"""
import argparse
import os
import subprocess
import time

N, C = 262144, 1024


def write(path):
    import torch
    torch.manual_seed(0)
    logits = torch.randn(N, C, dtype=torch.float32)
    labels = torch.randint(0, C, (N,), dtype=torch.int64)
    torch.save({"logits": logits, "labels": labels, "step": 100}, path)
    print(f"{path}: {os.path.getsize(path) / 2**30:.3f} GiB, torch {torch.__version__}")


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def show(name, times):
    print(f"{name:<34} best {min(times):7.3f} s   all " +
          " ".join(f"{t:.3f}" for t in times))


def torch_times(path, runs):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(2)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    def load():
        return torch.load(path)

    def load_and_loss():
        d = torch.load(path)
        return F.cross_entropy(d["logits"], d["labels"], reduction="none")

    show("torch.load", timed(load, runs))
    show("torch.load + cross_entropy(none)", timed(load_and_loss, runs))
    d = torch.load(path)
    show("cross_entropy(none) alone", timed(
        lambda: F.cross_entropy(d["logits"], d["labels"], reduction="none"), runs))


def table_shown(command):
    """Seconds until the tensor table (its header and one row per tensor the first line
    counts, "(torch, 2 tensors)") is on stdout, then waits for the command to end."""
    t0 = time.perf_counter()
    shown = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        rows = None
        for line in process.stdout:
            if rows is None and " tensors)" in line:
                rows = int(line.rsplit(", ", 1)[1].split()[0])
            elif line.lstrip().startswith("TENSOR"):
                left = rows
            elif rows is not None and shown is None and line.strip() and "left" in locals():
                left -= 1
                if left == 0:
                    shown = time.perf_counter() - t0
    return shown if shown is not None else time.perf_counter() - t0


def shapescope_times(build, path, runs):
    exe = os.path.join(build, "app", "shapescope")
    commands = {
        "check --metadata-only": [exe, "check", path, "--metadata-only"],
        "check": [exe, "check", path],
        "losses --csv (2 threads)": [exe, "losses", path, "--csv", "/tmp/torchsave-bench.csv",
                                     "--threads", "2"],
    }
    for name in ("check --metadata-only", "check"):
        show(name + ": table shown", [table_shown(commands[name]) for _ in range(runs)])
    for name, command in commands.items():
        show(name + ": done", timed(lambda: subprocess.run(command, stdout=subprocess.DEVNULL,
                                                          check=False), runs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["write", "torch", "shapescope"])
    parser.add_argument("args", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    a = parser.parse_args()
    if a.mode == "write":
        write(a.args[0])
    elif a.mode == "torch":
        torch_times(a.args[0], a.runs)
    else:
        shapescope_times(a.args[0], a.args[1], a.runs)


if __name__ == "__main__":
    main()
