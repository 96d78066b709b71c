# SPDX-License-Identifier: GPL-3.0-or-later
"""Training steps as a dataflow (loader -> model -> loss) for tests/tst_flow.cpp and tst_cli.

Each dump holds what a training step dumps: the loader's inputs, the model's output, the
target and extras (lengths, masks, class weights). The model outputs are made by running a
small (buggy, where the case says so) model in torch 1.13 on the loader's inputs. Each case's
torch text or loss is then taken under every torch of torch_envs.py (torch_steps_eval.py):
1.13 and a current 2.x (SHAPESCOPE_TORCH2_PYTHON). Writes tests/data/steps/ and its
expected.json: per case the step flows (roles, batch sizes, where the batch diverges, which
the test compares with the analysis), the diagnostic codes, and per torch version ("torch")
the exception text and mean loss; at the top level those of the newest version, which
ShapeScope speaks for when the dump records none.
"""
import json
import pathlib

import torch_envs

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


def ctc_step():
    """A speech step: (T, N, C) log_probs of a GRU over 4 utterances, padded (N, S) targets and
    both per-sample lengths. The batch is axis 1 of log_probs and axis 0 of the others."""
    frames, batch, classes = 12, 4, 6
    features = torch.from_numpy(RNG.standard_normal((frames, batch, 8)).astype(np.float32))
    torch.manual_seed(11)
    gru = torch.nn.GRU(8, 16)
    with torch.no_grad():
        hidden, _ = gru(features)
        log_probs = F.log_softmax(head(16, classes)(hidden), dim=2).numpy()
    target_lengths = np.array([5, 3, 4, 2], dtype=np.int64)
    targets = RNG.integers(1, classes, size=(batch, 5)).astype(np.int64)
    targets[np.arange(5)[None, :] >= target_lengths[:, None]] = 0
    return {"log_probs": log_probs, "targets": targets,
            "input_lengths": np.array([12, 10, 12, 9], dtype=np.int64),
            "target_lengths": target_lengths}


def mask_of_another_batch():
    """A text classifier whose collate_fn drops two empty texts from input_ids but keeps the
    attention_mask of all 8: logits and labels have 6 rows, the mask 8. Only the model output,
    the labels and the mask are dumped (no loader input)."""
    lengths = np.array([0, 9, 12, 0, 5, 16, 7, 11], dtype=np.int64)
    attention_mask = (np.arange(16)[None, :] < lengths[:, None]).astype(np.int64)
    kept = lengths > 0
    input_ids = RNG.integers(1, 1000, size=(8, 16)).astype(np.int64) * attention_mask
    torch.manual_seed(5)
    embed = torch.nn.EmbeddingBag(1000, 12, mode="sum")
    with torch.no_grad():
        pooled = embed(torch.from_numpy(input_ids[kept]))
        logits = head(12, 5)(pooled).numpy()
    return {"logits": logits, "labels": class_labels(int(kept.sum()), 5),
            "attention_mask": attention_mask}


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

    evals = []  # what torch_steps_eval.py computes, under each torch

    def add(file, tensors, flows, diagnostics, pair=None, guessed=False, options=None, ctc=None):
        write(out / file, tensors)
        entry = {"file": file, "flows": flows, "diagnostics": diagnostics,
                 "guessed": guessed, "options": options or {}}
        if pair:
            entry["pair"] = list(pair)
            evals.append({"file": file, "pair": list(pair), "loss": "ctc" if ctc else None,
                          "ctc": ctc})
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
    cases.append({"file": "run_broken_step.h5", "flows": flows,
                  "diagnostics": ["batch-size-mismatch", "batch-changed-in-model"],
                  "guessed": False, "options": {}})
    evals.append({"file": "run_broken_step.h5",
                  "pair": ["batch_0002/logits", "batch_0002/labels"], "loss": None, "ctc": None})
    # Made after the others, so their arrays stay those of the first fixtures.
    add("ctc_step.npz", ctc_step(),
        [step_flow("", {}, {"log_probs": 4}, {"targets": 4},
                   {"input_lengths": 4, "target_lengths": 4}, None)],
        [], pair=("log_probs", "targets"),
        ctc={"input_lengths": "input_lengths", "target_lengths": "target_lengths"})
    add("mask_other_batch.npz", mask_of_another_batch(),
        [step_flow("", {}, {"logits": 6}, {"labels": 6}, {"attention_mask": 8}, "loader")],
        ["loader-batch-mismatch"], pair=("logits", "labels"))

    by_version = torch_envs.run_everywhere("torch_steps_eval.py", [str(out)], evals)
    newest = torch_envs.newest(by_version)
    for case in cases:
        if not any(e["file"] == case["file"] for e in evals):
            continue
        case["torch"] = {version: results[case["file"]] for version, results in by_version.items()}
        case.update(case["torch"][newest])
        if case["file"] == "run_broken_step.h5":
            case["mean"] = None  # the run's other steps compute; the broken one has no loss
        if case["file"] == "model_merged.h5":
            for result in case["torch"].values():
                assert result["pytorch_error"] == \
                    "Expected input batch_size (32) to match target batch_size (64).", case
    (out / "expected.json").write_text(json.dumps(
        {"torch": sorted(by_version), "cases": cases}, indent=1, allow_nan=False) + "\n")
    print(f"  {len(cases)} step dumps, torch {', '.join(sorted(by_version))}")
