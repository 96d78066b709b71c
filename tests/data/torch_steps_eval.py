# SPDX-License-Identifier: GPL-3.0-or-later
"""gen_steps.py's texts under one torch: for each step dump, the loss torch computes for its
pair (cross entropy, or CTC with the dump's lengths) or torch's exception text.

Reads [{"file", "pair": [input, target], "loss", "ctc": {input_lengths, target_lengths}}] as
JSON on stdin, writes {"torch": version, "cases": {file: {"pytorch_error", "mean"}}}.
Run by torch_envs.run_everywhere under each installed torch."""
import json
import pathlib
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F


def load(path, key):
    if path.suffix == ".h5":
        with h5py.File(path, "r") as f:
            return torch.from_numpy(np.array(f[key][()]))
    with np.load(path) as z:
        return torch.from_numpy(np.array(z[key]))


def evaluate(path, spec):
    logits, target = (load(path, name) for name in spec["pair"])
    try:
        if spec.get("loss") == "ctc":
            lengths = spec["ctc"]
            value = F.ctc_loss(logits, target, load(path, lengths["input_lengths"]),
                               load(path, lengths["target_lengths"]))
        else:
            value = F.cross_entropy(logits, target)
        return {"pytorch_error": None, "mean": float(value)}
    except (RuntimeError, ValueError) as e:
        return {"pytorch_error": str(e).strip(), "mean": None}


def main(argv):
    steps = pathlib.Path(argv[1])
    cases = {spec["file"]: evaluate(steps / spec["file"], spec) for spec in json.load(sys.stdin)}
    json.dump({"torch": torch.__version__, "cases": cases}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main(sys.argv)
