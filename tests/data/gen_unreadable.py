# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for tests/tst_unreadable.cpp: tests/data/unreadable/.

lzf.h5 holds an LZF-compressed float32 dataset, written by h5py (LZF is h5py's own fast filter;
libhdf5 reads it only through the hdf5-plugin-lzf plugin). expected.json has its values as
h5py reads them back.
"""
import json
import pathlib

import h5py
import numpy as np


def generate(data_dir):
    folder = pathlib.Path(data_dir) / "unreadable"
    folder.mkdir(exist_ok=True)
    values = (np.arange(40, dtype=np.float32).reshape(8, 5) - 20) / 8
    with h5py.File(folder / "lzf.h5", "w", track_order=False) as f:
        f.create_dataset("logits", data=values, compression="lzf", chunks=(4, 5))
    with h5py.File(folder / "lzf.h5", "r") as f:
        read = f["logits"][()]
    (folder / "expected.json").write_text(json.dumps(
        {"lzf.h5": {"path": "/logits", "shape": list(read.shape),
                    "values": [float(v) for v in read.ravel()]}}) + "\n")
