#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ShapeScope beside PyTorch, on one machine in one run: the numbers of README's "Performance".

    /usr/bin/python3 tests/bench/compare.py --build build/rel [--dir /tmp/shapescope-bench]

Needs a Release build with the benchmarks (cmake --preset release -DSHAPESCOPE_BUILD_TESTS=ON,
or any build dir with tests on) and Debian's python3 with torch, h5py and numpy. Measures:

- end to end: `shapescope losses big.h5 --csv out.csv` (wall time of the whole process, start-up
  included) against h5py + torch doing the same in this interpreter (read, F.cross_entropy
  reduction='none' on 2 threads, write the CSV), timed after the imports; big.h5 is 1 GiB
  (65536 x 4096 float32 logits, int64 labels), written once into --dir;
- the peak resident memory of shapescope and its worker processes together (sampled from /proc);
- the time until `shapescope check big.h5` has printed the tensor table, and the wall time of
  `shapescope check big.h5 --metadata-only`;
- the cost of isolation (shapescope_pipelinebench: in-process against worker process);
- the longest event-loop stall of the main window opening the dump, and the replot time of the
  per-sample plot at 10 million points (shapescope_guibench);
- the loss kernel alone (shapescope_kernelbench) against F.cross_entropy on the same shapes;
- with --ram-limit MIB (root, cgroup v1 memory controller): the same losses run with less RAM
  than the dump's size, page cache included; torch is run under the same limit for contrast.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_kernels  # noqa: E402

ROWS, CLASSES = 65536, 4096


def make_dump(path):
    if os.path.exists(path) and os.path.getsize(path) > ROWS * CLASSES * 4:
        return
    rng = np.random.default_rng(0)
    with h5py.File(path + ".part", "w") as f:
        d = f.create_dataset("logits", shape=(ROWS, CLASSES), dtype="f4")
        for i in range(0, ROWS, 4096):
            d[i:i + 4096] = rng.standard_normal((4096, CLASSES), dtype=np.float32) * 3
        f["labels"] = rng.integers(0, CLASSES, ROWS).astype(np.int64)
    os.replace(path + ".part", path)


def torch_losses(dump, csv_path):
    """What a user's script does: read, per-sample loss, CSV. Seconds, after the imports."""
    torch.set_num_threads(2)
    t0 = time.perf_counter()
    with h5py.File(dump, "r") as f:
        x = torch.from_numpy(f["logits"][...])
        y = torch.from_numpy(f["labels"][...])
    loss = F.cross_entropy(x, y, reduction="none")
    predicted = x.argmax(dim=1)
    with open(csv_path, "w") as out:
        out.write("pair,sample,loss,target,predicted\n")
        out.write("".join(f"/logits,{i},{l!r},{t},{p}\n" for i, (l, t, p) in enumerate(
            zip(loss.tolist(), y.tolist(), predicted.tolist()))))
    return time.perf_counter() - t0


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command, first_output=None, preexec=None):
    """Wall seconds, peak summed RSS (MiB) of the process tree, seconds until a stdout line
    matching first_output appeared, exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=preexec)
    first = None
    if first_output:
        for line in proc.stdout:
            if re.search(first_output, line.decode(errors="replace")):
                first = time.perf_counter() - t0
                break
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(rss_kib(p) for p in descendants(proc.pid)))
        time.sleep(0.002)
    proc.communicate()
    return time.perf_counter() - t0, peak / 1024, first, proc.returncode


def kernel_table(kernelbench):
    out = subprocess.run([kernelbench], capture_output=True, text=True, check=True).stdout
    ours = {}
    ceiling = None
    for line in out.splitlines():
        m = re.match(r"compute ceiling .* on (\w+), \d+ lanes: 1 thread\s+([\d.]+) GB/s "
                     r"2 threads\s+([\d.]+) GB/s \| vector FMAs ([\d.]+)", line)
        if m:
            ceiling = (m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4)))
        m = re.match(r"(\([\d,]+\))\s+1 thread\s+([\d.]+) ms.*2 threads\s+([\d.]+) ms.*"
                     r"read 1 thread\s+([\d.]+) GB/s 2 threads\s+([\d.]+) GB/s", line)
        if m:
            ours[m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)),
                                float(m.group(5)))
    rows = []
    torch.manual_seed(0)
    for shape in torch_kernels.SHAPES:
        name = "(" + ",".join(str(s) for s in shape) + ")"
        x = torch.randn(*shape) * 3
        target = torch.randint(0, shape[1], (shape[0],) + tuple(shape[2:]))
        times = []
        for threads in (1, 2):
            torch.set_num_threads(threads)
            times.append(torch_kernels.best_time(
                lambda: F.cross_entropy(x, target, reduction="none")) * 1e3)
        if name in ours:
            rows.append((name, x.numel() * 4, ours[name], times))
    return rows, ceiling


def cgroup_runner(limit_mib):
    """A preexec_fn moving the child into a fresh cgroup v1 memory group of limit_mib."""
    group = f"/sys/fs/cgroup/memory/shapescope-bench-{os.getpid()}"
    os.makedirs(group, exist_ok=True)
    with open(f"{group}/memory.limit_in_bytes", "w") as f:
        f.write(str(limit_mib << 20))
    with open(f"{group}/memory.swappiness", "w") as f:
        f.write("0")

    def enter():
        with open(f"{group}/cgroup.procs", "w") as f:
            f.write(str(os.getpid()))
    return enter, group


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/rel", help="a build directory with tests on")
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "shapescope-bench"))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--ram-limit", type=int, default=0, metavar="MIB")
    parser.add_argument("--skip-kernels", action="store_true")
    args = parser.parse_args()
    shapescope = os.path.join(args.build, "app", "shapescope")
    os.makedirs(args.dir, exist_ok=True)
    dump = os.path.join(args.dir, "big.h5")
    make_dump(dump)
    ours_csv, torch_csv = os.path.join(args.dir, "ours.csv"), os.path.join(args.dir, "torch.csv")
    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    print(f"machine: {cpu}, {os.cpu_count()} cores; torch {torch.__version__}, "
          f"h5py {h5py.__version__}; dump {os.path.getsize(dump) / 2**30:.2f} GiB")

    t_torch = min(torch_losses(dump, torch_csv) for _ in range(args.reps))
    runs = [run_measured([shapescope, "losses", dump, "--csv", ours_csv])
            for _ in range(args.reps)]
    if any(r[3] != 0 for r in runs):
        sys.exit(f"shapescope losses failed: exit {runs[0][3]}")
    t_ours = min(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    local = min(run_measured([shapescope, "losses", dump, "--csv", ours_csv, "--no-isolation"])[0]
                for _ in range(args.reps))
    table = min(run_measured([shapescope, "check", dump], first_output=r"/logits\s")[2]
                for _ in range(args.reps))
    meta = min(run_measured([shapescope, "check", dump, "--metadata-only"])[0]
               for _ in range(args.reps))
    bench = subprocess.run([os.path.join(args.build, "tests", "bench", "shapescope_pipelinebench"),
                            dump, "--worker", shapescope], capture_output=True, text=True).stdout
    overhead = re.search(r"overhead of isolation (-?[\d.]+) %", bench)
    gui = subprocess.run([os.path.join(args.build, "tests", "bench", "shapescope_guibench"), dump],
                         capture_output=True, text=True,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout
    stall = re.search(r"max stall ([\d.]+) ms", gui)
    replot = subprocess.run([os.path.join(args.build, "tests", "bench", "shapescope_guibench"),
                             "--replot"], capture_output=True, text=True,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout
    replot_ms = re.search(r"full ([\d.]+) ms", replot)

    print("\n| end to end, 1 GiB HDF5 dump | ShapeScope | PyTorch | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| losses to CSV (wall) | {t_ours:.2f} s | {t_torch:.2f} s | {t_torch / t_ours:.1f}x "
          f"| >= 3x |")
    print(f"| same, --no-isolation | {local:.2f} s | | {t_torch / local:.1f}x | |")
    print(f"| isolation cost (analysis, pipelinebench) | "
          f"{overhead.group(1) if overhead else '?'} % | | | < 10 % |")
    print(f"| peak RSS, all processes | {rss:.0f} MiB | | | < 400 MiB |")
    print(f"| `check`: tensor table shown | {table:.3f} s | | | < 0.3 s |")
    print(f"| `check --metadata-only` | {meta:.3f} s | | | < 0.3 s |")
    print(f"| GUI event loop, longest stall while opening | "
          f"{stall.group(1) if stall else '?'} ms | | | < 50 ms |")
    print(f"| per-sample plot, replot of 10 M points (GUI thread CPU) | "
          f"{replot_ms.group(1) if replot_ms else '?'} ms | | | < 100 ms |")

    if args.ram_limit:
        if os.geteuid() == 0:
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("1")
        enter, group = cgroup_runner(args.ram_limit)
        limited = run_measured([shapescope, "losses", dump, "--csv", ours_csv], preexec=enter)
        with open(f"{group}/memory.max_usage_in_bytes") as f:
            used = int(f.read()) / 2**20
        script = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r});"
                  f" import compare; print(compare.torch_losses({dump!r}, {torch_csv!r}))")
        theirs = run_measured(["/usr/bin/python3", "-c", script], preexec=enter)
        print(f"| losses with {args.ram_limit} MiB of RAM (page cache included) | "
              f"exit {limited[3]}, {limited[0]:.2f} s, max {used:.0f} MiB | exit {theirs[3]} "
              f"{'(killed by the OOM killer)' if theirs[3] == -9 else ''} | | completes |")
        os.rmdir(group)

    if args.skip_kernels:
        return
    rows, ceiling = kernel_table(
        os.path.join(args.build, "tests", "bench", "shapescope_kernelbench"))
    print("\n| kernel, float32 | ShapeScope 1T | torch 1T | ratio | ShapeScope 2T | torch 2T "
          "| ratio | ShapeScope 2T GB/s | read GB/s 1T / 2T | read 2T / ShapeScope 2T "
          "| compute ceiling 2T / ShapeScope 2T |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, nbytes, (o1, o2, read1, read2), (t1, t2) in rows:
        ours = nbytes / o2 / 1e6
        print(f"| {name} | {o1:.1f} ms | {t1:.1f} ms | {t1 / o1:.1f}x | {o2:.1f} ms | {t2:.1f} ms"
              f" | {t2 / o2:.1f}x | {ours:.1f} | {read1:.1f} / {read2:.1f} "
              f"| {read2 / ours:.1f}x | {ceiling[2] / ours:.1f}x |")
    target, c1, c2, fmas = ceiling
    reads = [read2 for _, _, (_, _, _, read2), _ in rows]
    print(f"\nCompute ceiling ({target}): a running max, one exp and one add per logit over "
          f"L1-resident data, {c1:.2f} GB/s on 1 thread, {c2:.2f} GB/s on 2; "
          f"{fmas:.2f} vector FMAs per ns per thread. The 2-thread reads above are "
          f"{min(reads) / c2:.1f}x to {max(reads) / c2:.1f}x that ceiling.")


if __name__ == "__main__":
    main()
