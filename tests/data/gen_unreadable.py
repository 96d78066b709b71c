# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for tests/tst_unreadable.cpp and tests/tst_hdf5filters.cpp: tests/data/unreadable/.

lzf.h5 holds an LZF-compressed float32 dataset, written by h5py (LZF is h5py's own fast filter;
libhdf5 reads it only through the hdf5-plugin-lzf plugin). filters.h5 holds the same values
through every filter plugin Debian 12 packages (blosc with zstd and lz4 inside, lz4, bzip2, lzf),
written by h5py in a child process whose HDF5_PLUGIN_PATH is Debian's plugin directory.
family_0.h5/family_1.h5 are one HDF5 file family (driver="family"). mixed.npz and mixed_npy/
hold numeric arrays beside arrays ShapeScope does not read (unicode, bytes, objects).
expected.json has the values and dtypes as h5py and numpy read them back.
"""
import json
import pathlib
import subprocess
import sys

import h5py
import numpy as np

PLUGIN_DIR = "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins"

# h5py's compression argument and options for each filtered dataset of filters.h5.
FILTERED = {
    "lzf": ("lzf", None),
    "blosc_zstd": (32001, (0, 0, 0, 0, 5, 1, 5)),  # level 5, shuffle, compressor 5 = zstd
    "blosc_lz4": (32001, (0, 0, 0, 0, 5, 2, 1)),   # level 5, bitshuffle, compressor 1 = lz4
    "lz4": (32004, (0,)),
    "bzip2": (307, (9,)),
}

WRITE_FILTERED = """
import sys, h5py, numpy as np
names = sys.argv[2:]
values = (np.arange(1024, dtype=np.float32).reshape(16, 64) - 512) / 8
filters = {FILTERED!r}
with h5py.File(sys.argv[1], "w", track_order=False) as f:
    for name in names:
        compression, options = filters[name]
        f.create_dataset(name, data=values, chunks=(4, 64), compression=compression,
                         compression_opts=options)
"""


def values_of(dataset):
    return [float(v) for v in dataset[()].ravel()]


def write_filters(folder, expected):
    path = folder / "filters.h5"
    script = WRITE_FILTERED.replace("{FILTERED!r}", repr(FILTERED))
    env = {"HDF5_PLUGIN_PATH": PLUGIN_DIR, "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", script, str(path), *FILTERED], env=env, check=True)
    with h5py.File(path, "r") as f:
        expected["filters.h5"] = {
            name: {"filter": list(f[name]._filters)[0], "shape": list(f[name].shape),
                   "values": values_of(f[name])}
            for name in FILTERED}


def write_family(folder, expected):
    # 4 KiB members: the 8 KiB dataset spreads over several files.
    with h5py.File(folder / "family_%d.h5", "w", driver="family", memb_size=4096) as f:
        f["logits"] = np.arange(2048, dtype=np.float32).reshape(64, 32)
    members = sorted(p.name for p in folder.glob("family_*.h5"))
    expected["family"] = {"members": members}


def numpy_entry(array):
    return {"shape": list(array.shape), "dtype": array.dtype.str}


def write_mixed(folder, expected):
    arrays = {
        "logits": (np.arange(12, dtype=np.float32).reshape(4, 3) - 6) / 4,
        "labels": np.array([2, 0, 1, 1], dtype=np.int64),
        "names": np.array(["cat", "dog", "bird"]),          # <U4
        "version": np.array(b"1.0"),                         # |S3, like scipy's __version__
        "objects": np.array([{"a": 1}, None], dtype=object),  # pickled by savez
    }
    np.savez(folder / "mixed.npz", **arrays)
    npy_dir = folder / "mixed_npy"
    npy_dir.mkdir(exist_ok=True)
    for name in ("logits", "labels", "names"):
        np.save(npy_dir / f"{name}.npy", arrays[name])
    with np.load(folder / "mixed.npz", allow_pickle=True) as z:
        expected["mixed.npz"] = {name: numpy_entry(z[name]) for name in z.files}
    expected["mixed_npy"] = {p.stem: numpy_entry(np.load(p)) for p in sorted(npy_dir.iterdir())}


def generate(data_dir):
    folder = pathlib.Path(data_dir) / "unreadable"
    folder.mkdir(exist_ok=True)
    values = (np.arange(40, dtype=np.float32).reshape(8, 5) - 20) / 8
    with h5py.File(folder / "lzf.h5", "w", track_order=False) as f:
        f.create_dataset("logits", data=values, compression="lzf", chunks=(4, 5))
    with h5py.File(folder / "lzf.h5", "r") as f:
        read = f["logits"][()]
    expected = {"lzf.h5": {"path": "/logits", "shape": list(read.shape),
                           "values": [float(v) for v in read.ravel()]}}
    write_filters(folder, expected)
    write_family(folder, expected)
    write_mixed(folder, expected)
    (folder / "expected.json").write_text(json.dumps(expected) + "\n")
