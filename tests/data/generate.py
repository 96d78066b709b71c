#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes ShapeScope's test fixtures and the values PyTorch, numpy and h5py give for them.

Run with Debian's interpreter, which has numpy, h5py and torch 1.13:

    /usr/bin/python3 tests/data/generate.py            # every part
    /usr/bin/python3 tests/data/generate.py gen_npy    # one part

The arrays are always made here, so the files stay byte-identical. gen_dumps also runs every
analysis fixture under each torch of torch_envs.py (1.13 here, and a current 2.x from
<repo>/.venv, made by tests/data/make-venv, or $SHAPESCOPE_TORCH2_PYTHON) and commits each
release's exception texts and losses.

Each part is a module gen_*.py beside this script with a generate(data_dir) function that
writes its fixtures under tests/data/ (and, for examples, resources/examples/). Everything it
writes is committed; tests never compare ShapeScope with numbers ShapeScope produced.
"""
import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
PARTS = ["gen_npy", "gen_hdf5", "gen_losses", "gen_dumps", "gen_examples", "gen_steps", "gen_sequence", "gen_regression", "gen_torchsave", "gen_safetensors", "gen_ctc", "gen_perelement", "gen_transforms", "gen_compare", "gen_unreadable", "gen_losstransforms", "gen_stepsview", "gen_classnames", "gen_segmentation"]


def main(argv):
    sys.path.insert(0, str(HERE))
    wanted = argv[1:] or PARTS
    unknown = [name for name in wanted if name not in PARTS]
    if unknown:
        sys.exit(f"unknown part(s): {', '.join(unknown)}; parts are {', '.join(PARTS)}")
    for name in wanted:
        if not (HERE / f"{name}.py").exists():
            print(f"skipping {name}: not written yet")
            continue
        print(f"generating {name} ...", flush=True)
        importlib.import_module(name).generate(HERE)


if __name__ == "__main__":
    main(sys.argv)
