# SPDX-License-Identifier: GPL-3.0-or-later
# A training run as tst_gui_watch sees it: opens the dump with h5py.File(path, "a") for every
# batch, appends batch_NNNN/{logits,target}, closes it, and sleeps. Prints each batch number
# once it is on disk; exits non-zero (with h5py's message) if any open fails.
import sys
import time

import h5py
import numpy as np

path, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
interval = float(sys.argv[4])
rng = np.random.default_rng(15)
for step in range(first, first + count):
    with h5py.File(path, "a") as f:
        group = f.create_group(f"batch_{step:04d}")
        group["logits"] = rng.standard_normal((8, 5)).astype(np.float32)
        group["target"] = rng.integers(0, 5, size=8)
    print(step, flush=True)
    time.sleep(interval)
