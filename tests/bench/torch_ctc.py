#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch's F.ctc_loss(reduction='none') on ctcbench.cpp's shapes, (T=400, N=32, C=5000)
float32 log_probs with 100-label targets, on 1 and 2 threads:

    /usr/bin/python3 tests/bench/torch_ctc.py       # torch 1.13
    .venv/bin/python tests/bench/torch_ctc.py       # torch 2.x
"""
import time

import torch
import torch.nn.functional as F

T, N, C, S = 400, 32, 5000, 100


def best_time(fn, reps=5):
    fn()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    torch.manual_seed(0)
    log_probs = F.log_softmax(torch.randn(T, N, C) * 2, dim=2)
    targets = torch.randint(1, C, (N, S))
    input_lengths = torch.full((N,), T, dtype=torch.long)
    target_lengths = torch.full((N,), S, dtype=torch.long)
    print(f"torch {torch.__version__}, F.ctc_loss (T={T}, N={N}, C={C}), S={S}, float32, "
          "reduction='none'")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        t = best_time(lambda: F.ctc_loss(log_probs, targets, input_lengths, target_lengths,
                                         reduction="none"))
        print(f"torch {threads} thread{'s' if threads > 1 else ' '} {t * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
