#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch's F.cross_entropy(reduction='none') on the shapes of kernelbench.cpp, on 1 and 2
threads, for comparison with classIndexLoss; and mse, l1, smooth_l1, huber (reduction='none')
on (1048576,) and (65536, 256) on 2 threads, for comparison with elementwiseLoss. Run with Debian's interpreter, which has torch:

    /usr/bin/python3 tests/bench/torch_kernels.py
"""
import time

import torch
import torch.nn.functional as F

SHAPES = [(65536, 1000), (262144, 10), (1024, 50257), (16, 21, 512 * 512 // 16)]


def best_time(fn, reps=5):
    fn()  # warm-up: allocations, thread pool
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, F.cross_entropy float32, reduction='none'")
    for shape in SHAPES:
        x = torch.randn(*shape) * 3
        target = torch.randint(0, shape[1], (shape[0],) + tuple(shape[2:]))
        positions = target.numel()
        line = f"{str(shape):18}"
        for threads in (1, 2):
            torch.set_num_threads(threads)
            t = best_time(lambda: F.cross_entropy(x, target, reduction="none"))
            line += (f" | {threads} thread{'s' if threads > 1 else ' '} {t * 1e3:8.2f} ms "
                     f"{x.numel() * 4 / t / 1e9:6.2f} GB/s {positions / t:9.3g} rows/s")
        print(line)
    print("elementwise float32, reduction='none', 2 threads (input and target read)")
    torch.set_num_threads(2)
    losses = {"mse": F.mse_loss, "l1": F.l1_loss, "smooth_l1": F.smooth_l1_loss,
              "huber": F.huber_loss}
    for name, fn in losses.items():
        for shape in ((1048576,), (65536, 256)):
            x = torch.randn(*shape) * 3
            target = torch.randn(*shape)
            t = best_time(lambda: fn(x, target, reduction="none"), reps=10)
            print(f"{name:10} {str(shape):14} 2 threads {t * 1e3:8.3f} ms "
                  f"{x.numel() * 8 / t / 1e9:6.2f} GB/s")


if __name__ == "__main__":
    main()
