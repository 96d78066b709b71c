#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A transform is a view (issue 16): a permuted 1 GiB input is analysed at the kernel's strided
speed with bounded memory. Beside torch, on one machine in one run:

    /usr/bin/python3 tests/bench/permuted.py --build build/rel [--dir /tmp/shapescope-bench]

Writes two 1 GiB segmentation dumps once into --dir: `nhwc.h5`, logits saved channels-last
(16, 256, 256, 256) float32, and `nchw.h5`, the same values saved (16, 256, 256, 256) as N, C,
H, W; both with (16, 256, 256) int64 labels. Measures the wall time and the peak resident memory
of the whole process tree (start-up included) of
  - `shapescope losses nhwc.h5 --apply "logits=logits.movedim(-1, 1)" --csv` (the view),
  - `shapescope losses nchw.h5 --csv` (the same values stored in the layout torch wants),
  - h5py + torch: read, movedim(-1, 1), F.cross_entropy(reduction='none') on 2 threads, the
    per-sample mean, the CSV; timed after the imports.
"""
import argparse
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import run_measured  # noqa: E402

N, H, W, C = 16, 256, 256, 256


def make_dumps(directory):
    nhwc, nchw = os.path.join(directory, "nhwc.h5"), os.path.join(directory, "nchw.h5")
    if all(os.path.exists(p) and os.path.getsize(p) > N * H * W * C * 4 for p in (nhwc, nchw)):
        return nhwc, nchw
    rng = np.random.default_rng(16)
    labels = rng.integers(0, C, (N, H, W)).astype(np.int64)
    with h5py.File(nhwc + ".part", "w") as a, h5py.File(nchw + ".part", "w") as b:
        last = a.create_dataset("logits", shape=(N, H, W, C), dtype="f4")
        first = b.create_dataset("logits", shape=(N, C, H, W), dtype="f4")
        for n in range(N):
            sample = rng.standard_normal((H, W, C), dtype=np.float32) * 3
            last[n] = sample
            first[n] = np.moveaxis(sample, -1, 0)
        a["labels"] = labels
        b["labels"] = labels
    os.replace(nhwc + ".part", nhwc)
    os.replace(nchw + ".part", nchw)
    return nhwc, nchw


def torch_run(dump, csv_path):
    torch.set_num_threads(2)
    t0 = time.perf_counter()
    with h5py.File(dump, "r") as f:
        x = torch.from_numpy(f["logits"][...]).movedim(-1, 1)
        y = torch.from_numpy(f["labels"][...])
    per_sample = F.cross_entropy(x, y, reduction="none").reshape(N, -1).mean(dim=1)
    with open(csv_path, "w") as out:
        out.write("sample,loss\n")
        for i, v in enumerate(per_sample.tolist()):
            out.write(f"{i},{v!r}\n")
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--dir", default="/tmp/shapescope-bench")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    nhwc, nchw = make_dumps(args.dir)
    shapescope = os.path.join(args.build, "app", "shapescope")
    out = os.path.join(args.dir, "permuted.csv")
    rows = [
        ("shapescope, channels-last + movedim view",
         [shapescope, "losses", nhwc, "--apply", "logits=logits.movedim(-1, 1)", "--csv", out]),
        ("shapescope, stored N, C, H, W", [shapescope, "losses", nchw, "--csv", out]),
    ]
    print("| run | best wall time | peak RSS (all processes) |")
    print("|---|---|---|")
    for name, command in rows:
        measured = [run_measured(command) for _ in range(args.runs)]
        if any(m[3] != 0 for m in measured):
            sys.exit(f"{name}: exit {measured[0][3]}")
        print(f"| {name} | {min(m[0] for m in measured):.2f} s | "
              f"{max(m[1] for m in measured):.0f} MiB |")
    best = min(torch_run(nhwc, out) for _ in range(args.runs))
    print(f"| h5py + torch {torch.__version__}, movedim + cross_entropy | {best:.2f} s | "
          f"(holds the 1 GiB input) |")


if __name__ == "__main__":
    main()
