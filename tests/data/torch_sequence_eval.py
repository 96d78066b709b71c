# SPDX-License-Identifier: GPL-3.0-or-later
"""torch_eval.py for gen_sequence.py's dumps: the same evaluation, with a class weight given as a
tensor of the dump (options "weight_tensor") passed to torch as that tensor, shape and all."""
import json
import pathlib
import sys

import numpy as np
import torch

import torch_eval


def main(argv):
    dumps = pathlib.Path(argv[1])
    specs = json.load(sys.stdin)
    torch.manual_seed(0)
    cases = {}
    for spec in specs:
        options = dict(spec["options"])
        if "weight_tensor" in options:
            weight = torch_eval.load(dumps / spec["file"], spec["fmt"], options.pop("weight_tensor"))
            options["weight"] = np.asarray(weight).tolist()  # nested: torch.tensor keeps the shape
        cases[spec["name"]] = torch_eval.evaluate({**spec, "options": options}, dumps)
    json.dump(torch_eval.json_safe({"torch": torch.__version__, "cases": cases}), sys.stdout,
              allow_nan=False)


if __name__ == "__main__":
    main(sys.argv)
