# SPDX-License-Identifier: GPL-3.0-or-later
"""Training steps as a dataflow (loader -> model -> loss) for tests/tst_flow.cpp and tst_cli.

Each dump holds what a training step dumps: the loader's inputs, the model's output, the
target and extras (lengths, masks, class weights). The model outputs are made by running a
small (buggy, where the case says so) model in torch 1.13 on the loader's inputs, and each
case records torch's own exception text or loss. Writes tests/data/steps/ and its
expected.json: per case the step flows (roles, batch sizes, where the batch diverges, which
the test compares with the analysis), the diagnostic codes, torch's text and mean loss.
"""
import json
import pathlib

import h5py
import numpy as np
import torch
import torch.nn.functional as F

RNG = np.random.default_rng(20261203)


def images(n):
    return RNG.standard_normal((n, 3, 32, 32)).astype(np.float32)


def class_labels(n, classes):
    return RNG.integers(0, classes, size=n).astype(np.int64)


def head(features, classes):
    torch.manual_seed(7)
    return torch.nn.Linear(features, classes)


def torch_loss(logits, labels, **kwargs):
    """torch's mean cross entropy, or its exception text."""
    try:
        value = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels), **kwargs)
        return {"pytorch_error": None, "mean": float(value)}
    except (RuntimeError, ValueError) as e:
        return {"pytorch_error": str(e).strip(), "mean": None}


def write(path, tensors):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".h5":
        with h5py.File(path, "w") as f:
            for name, array in tensors.items():
                f.create_dataset(name, data=array)
    else:
        np.savez(path, **tensors)


def merged_by_model():
    """x.view(-1, 6144) in forward: two images per row, 32 rows from a batch of 64."""
    inputs = images(64)
    labels = class_labels(64, 10)
    with torch.no_grad():
        flat = torch.from_numpy(inputs).view(-1, 2 * 3 * 32 * 32)
        logits = head(flat.shape[1], 10)(flat).numpy()
    return {"inputs": inputs, "labels": labels, "logits": logits}


def loader_mismatch():
    """The dataset yields one label per pair of images: labels 32 against inputs 64."""
    inputs = images(64)
    labels = class_labels(32, 10)
    with torch.no_grad():
        flat = torch.from_numpy(inputs).flatten(1)
        logits = head(flat.shape[1], 10)(flat).numpy()
    return {"inputs": inputs, "labels": labels, "logits": logits}


def text_extras():
    """A sequence classifier: input_ids with their attention_mask and lengths, class weights."""
    lengths = RNG.integers(4, 17, size=8).astype(np.int64)
    input_ids = RNG.integers(1, 1000, size=(8, 16)).astype(np.int64)
    attention_mask = (np.arange(16)[None, :] < lengths[:, None]).astype(np.int64)
    input_ids *= attention_mask
    torch.manual_seed(3)
    embed = torch.nn.EmbeddingBag(1000, 12, mode="mean")
    with torch.no_grad():
        pooled = embed(torch.from_numpy(input_ids),
                       per_sample_weights=None, offsets=None)
        logits = head(12, 5)(pooled).numpy()
    return {"input_ids": input_ids, "attention_mask": attention_mask, "lengths": lengths,
            "logits": logits, "labels": class_labels(8, 5),
            "class_weight": np.array([1.0, 2.0, 0.5, 1.0, 1.5], dtype=np.float32)}


def guessed_pair():
    """np.savez(path, out, y): positional arrays are named arr_0 and arr_1."""
    return {"arr_0": RNG.standard_normal((16, 4)).astype(np.float32),
            "arr_1": class_labels(16, 4),
            "arr_2": RNG.standard_normal(7).astype(np.float32)}


def nothing_checkable():
    """Two float arrays with no role in their names and no integer to pair with."""
    return {"arr_0": RNG.standard_normal((10, 8)).astype(np.float32),
            "arr_1": RNG.standard_normal(10).astype(np.float32)}


def run_with_a_broken_step():
    """Four steps of a run; in step 2 the model merged samples (the view bug on one path)."""
    steps = {}
    for step in range(4):
        inputs = images(16)
        with torch.no_grad():
            rows = 8 if step == 2 else 16
            flat = torch.from_numpy(inputs).reshape(rows, -1)
            logits = head(flat.shape[1], 10)(flat).numpy()
        steps[f"batch_{step:04d}/inputs"] = inputs
        steps[f"batch_{step:04d}/labels"] = class_labels(16, 10)
        steps[f"batch_{step:04d}/logits"] = logits
    return steps


def step_flow(group, loader, output, target, extra, diverges_at):
    return {"group": group, "loader": loader, "output": output, "target": target, "extra": extra,
            "diverges_at": diverges_at}


def generate(data_dir: pathlib.Path):
    out = data_dir / "steps"
    cases = []

    def add(file, tensors, flows, diagnostics, pair=None, guessed=False, options=None):
        write(out / file, tensors)
        entry = {"file": file, "flows": flows, "diagnostics": diagnostics,
                 "guessed": guessed, "options": options or {}}
        if pair:
            entry.update(torch_loss(tensors[pair[0]], tensors[pair[1]]))
            entry["pair"] = list(pair)
        cases.append(entry)

    add("model_merged.h5", merged_by_model(),
        [step_flow("/", {"/inputs": 64}, {"/logits": 32}, {"/labels": 64}, {}, "model")],
        ["batch-size-mismatch", "batch-changed-in-model"], pair=("logits", "labels"))
    add("loader_mismatch.npz", loader_mismatch(),
        [step_flow("", {"inputs": 64}, {"logits": 64}, {"labels": 32}, {}, "loader")],
        ["batch-size-mismatch", "loader-batch-mismatch"], pair=("logits", "labels"))
    add("text_extras.npz", text_extras(),
        [step_flow("", {"input_ids": 8}, {"logits": 8}, {"labels": 8},
                   {"attention_mask": 8, "lengths": 8, "class_weight": 5}, None)],
        [], pair=("logits", "labels"))
    add("guessed_pair.npz", guessed_pair(),
        [step_flow("", {}, {"arr_0": 16}, {"arr_1": 16}, {"arr_2": 7}, None)],
        ["guessed-pair"], pair=("arr_0", "arr_1"), guessed=True)
    add("nothing_checkable.npz", nothing_checkable(),
        [step_flow("", {}, {}, {}, {"arr_0": 10, "arr_1": 10}, None)], ["no-pair-checked"])
    run = run_with_a_broken_step()
    write(out / "run_broken_step.h5", {k: v for k, v in run.items()})
    flows = []
    for step in range(4):
        g = f"/batch_{step:04d}"
        flows.append(step_flow(g, {f"{g}/inputs": 16}, {f"{g}/logits": 8 if step == 2 else 16},
                               {f"{g}/labels": 16}, {}, "model" if step == 2 else None))
    broken = torch_loss(run["batch_0002/logits"], run["batch_0002/labels"])
    cases.append({"file": "run_broken_step.h5", "flows": flows,
                  "diagnostics": ["batch-size-mismatch", "batch-changed-in-model"],
                  "guessed": False, "options": {}, "pytorch_error": broken["pytorch_error"],
                  "mean": None})
    for case in cases:
        if case["file"] == "model_merged.h5":
            assert case["pytorch_error"] == \
                "Expected input batch_size (32) to match target batch_size (64).", case
    (out / "expected.json").write_text(json.dumps(
        {"torch": torch.__version__, "cases": cases}, indent=1, allow_nan=False) + "\n")
    print(f"  {len(cases)} step dumps, torch {torch.__version__}")
