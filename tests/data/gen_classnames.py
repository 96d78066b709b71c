# SPDX-License-Identifier: GPL-3.0-or-later
"""Class names from each source (issue 16, "Class names and top-k"), one folder per case since
classes.txt and labels.json are looked for beside the dump:

  attr_group/    class_names on the pair's group (a string array); a classes.txt beside it that
                 must lose to the attribute
  attr_target/   class_names on the target tensor, as one JSON string
  attr_root/     class_names on the root group, as one newline-separated string
  txt/           classes.txt (and a labels.json that must lose to it); also `features`, a
                 (4, 6, 7) float32 tensor with NaN and inf for the Values heatmap
  json_list/     labels.json holding a list (an .npz dump)
  json_object/   labels.json holding {"id": name}, keys out of order
  fewer/ more/   classes.txt with 9 and 14 names for 12 classes
  bad/           labels.json that is not valid JSON
  user.txt       a file for --class-names, which wins over every other source

expected.json: the names each case resolves to, torch.softmax's top-5 of txt/'s sample 3
(probabilities and classes, torch.topk), and numpy's min, max, mean (of the finite values),
NaN and Inf counts of every 2-D slice features[i]."""
import json
import pathlib

import h5py
import numpy as np
import torch

RNG = np.random.default_rng(20261203)
CLASSES = 12
NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
         "truck", "person", "tree"]


def pair():
    logits = (RNG.standard_normal((8, CLASSES)) * 2).astype(np.float32)
    labels = RNG.integers(0, CLASSES, size=8).astype(np.int64)
    return logits, labels


def write_h5(path, logits, labels, group="batch_0", extra=None):
    with h5py.File(path, "w") as f:
        g = f.create_group(group)
        g.create_dataset("logits", data=logits)
        g.create_dataset("labels", data=labels)
        for name, value in (extra or {}).items():
            f.create_dataset(name, data=value)
    return path


def text_attribute(value):
    return np.array(value, dtype=h5py.string_dtype())


def generate(data_dir: pathlib.Path):
    out = data_dir / "classnames"
    out.mkdir(parents=True, exist_ok=True)
    expected = {"classes": CLASSES, "cases": {}}

    d = out / "attr_group"
    d.mkdir(exist_ok=True)
    logits, labels = pair()
    with h5py.File(write_h5(d / "dump.h5", logits, labels), "a") as f:
        f["batch_0"].attrs["class_names"] = text_attribute(NAMES)
    (d / "classes.txt").write_text("\n".join(n.upper() for n in NAMES) + "\n")
    expected["cases"]["attr_group"] = {"dump": "attr_group/dump.h5", "names": NAMES}

    d = out / "attr_target"
    d.mkdir(exist_ok=True)
    target_names = [f"t{i}" for i in range(CLASSES)]
    with h5py.File(write_h5(d / "dump.h5", *pair()), "a") as f:
        f["batch_0/labels"].attrs["class_names"] = json.dumps(target_names)
        f["batch_0"].attrs["class_names"] = text_attribute(NAMES)
    expected["cases"]["attr_target"] = {"dump": "attr_target/dump.h5", "names": target_names}

    d = out / "attr_root"
    d.mkdir(exist_ok=True)
    root_names = [f"root {i}" for i in range(CLASSES)]
    with h5py.File(write_h5(d / "dump.h5", *pair()), "a") as f:
        f.attrs["class_names"] = "\n".join(root_names)
    expected["cases"]["attr_root"] = {"dump": "attr_root/dump.h5", "names": root_names}

    d = out / "txt"
    d.mkdir(exist_ok=True)
    logits, labels = pair()
    logits[3] = np.linspace(-2.0, 3.5, CLASSES, dtype=np.float32)[RNG.permutation(CLASSES)]
    features = RNG.standard_normal((4, 6, 7)).astype(np.float32)
    features[1, 2, 3] = np.nan
    features[1, 4, 0] = np.nan
    features[2, 5, 6] = np.inf
    features[3, 0, 1] = -np.inf
    write_h5(d / "dump.h5", logits, labels, extra={"features": features})
    (d / "classes.txt").write_text("\n".join(NAMES) + "\n")
    (d / "labels.json").write_text(json.dumps([f"json {i}" for i in range(CLASSES)]))
    expected["cases"]["txt"] = {"dump": "txt/dump.h5", "names": NAMES}

    probabilities = torch.softmax(torch.from_numpy(logits[3]), dim=0)
    top = torch.topk(probabilities, 5)
    expected["topk"] = {"dump": "txt/dump.h5", "sample": 3, "target": int(labels[3]),
                        "classes": [int(i) for i in top.indices],
                        "probabilities": [float(p) for p in top.values],
                        "torch": torch.__version__}
    slices = []
    for i in range(features.shape[0]):
        values = features[i].astype(np.float64)
        finite = values[np.isfinite(values)]
        slices.append({"min": float(finite.min()), "max": float(finite.max()),
                       "mean": float(finite.mean()), "nan": int(np.isnan(values).sum()),
                       "inf": int(np.isinf(values).sum()),
                       "first_nan": [[int(r), int(c)] for r, c in zip(*np.where(np.isnan(values)))]})
    expected["features"] = {"tensor": "/features", "shape": list(features.shape),
                            "slices": slices}

    d = out / "json_list"
    d.mkdir(exist_ok=True)
    logits, labels = pair()
    np.savez(d / "dump.npz", logits=logits, labels=labels)
    (d / "labels.json").write_text(json.dumps(NAMES))
    expected["cases"]["json_list"] = {"dump": "json_list/dump.npz", "names": NAMES}

    d = out / "json_object"
    d.mkdir(exist_ok=True)
    order = RNG.permutation(CLASSES)
    (d / "labels.json").write_text(json.dumps({str(int(i)): NAMES[i] for i in order}))
    write_h5(d / "dump.h5", *pair())
    expected["cases"]["json_object"] = {"dump": "json_object/dump.h5", "names": NAMES}

    for case, count in (("fewer", 9), ("more", 14)):
        d = out / case
        d.mkdir(exist_ok=True)
        names = (NAMES + ["extra 1", "extra 2"])[:count]
        (d / "classes.txt").write_text("\n".join(names) + "\n")
        write_h5(d / "dump.h5", *pair())
        expected["cases"][case] = {"dump": f"{case}/dump.h5", "names": names[:CLASSES],
                                   "count": count}

    d = out / "bad"
    d.mkdir(exist_ok=True)
    (d / "labels.json").write_text('["cat", "dog",')
    write_h5(d / "dump.h5", *pair())
    expected["cases"]["bad"] = {"dump": "bad/dump.h5", "names": []}

    user = [f"user {i}" for i in range(CLASSES)]
    (out / "user.txt").write_text("\n".join(user) + "\n")
    expected["user"] = {"file": "user.txt", "names": user}

    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
