#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""python/shapescope_capture.py in a real training loop: LeNet with the classic bug
x.view(-1, 16 * 5 * 5) on 52x52 images, which mixes the samples' features into 4 rows each (a
batch of 4 gives 16 rows of logits). The loss raises; the dump written before the exception
must make `shapescope check` report the batch
mismatch PyTorch raised, and use the loss settings recorded in the dump's attributes.

Usage: test_capture.py SHAPESCOPE_EXECUTABLE  (exit 77: no torch or h5py, skipped)
"""
import json
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "python"))

try:
    import h5py
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as error:
    print(f"skipped: {error}")
    sys.exit(77)

from shapescope_capture import capture  # noqa: E402


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)  # the bug: 16x10x10 per 52x52 image, not 16x5x5
        return self.fc2(F.relu(self.fc1(x)))


def train(dump, image_size):
    torch.manual_seed(0)
    model = LeNet()
    weight = torch.linspace(0.5, 1.5, 10)
    criterion = capture(nn.CrossEntropyLoss(weight=weight, ignore_index=7, label_smoothing=0.1),
                        dump, every=2, max_mib=16)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(3):
        images = torch.randn(4, 3, image_size, image_size)
        labels = torch.randint(0, 10, (4,))
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    criterion.flush()
    return criterion


def check(shapescope, dump):
    run = subprocess.run([shapescope, "check", str(dump), "--json"], capture_output=True,
                         text=True)
    return run.returncode, run.stdout, run.stderr


def main():
    shapescope = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        # A healthy loop: calls 0 and 2 are dumped, exit 0.
        good = pathlib.Path(tmp) / "good" / "run.h5"
        train(good, 32)
        with h5py.File(good) as f:
            assert sorted(f) == ["batch_0000", "batch_0002"], sorted(f)
            assert f.attrs["loss_class"] == "CrossEntropyLoss"
            assert f["batch_0002/logits"].shape == (4, 10)
        code, out, err = check(shapescope, good)
        assert code == 0, (code, out, err)

        # The bug: the first call raises, and its tensors are on disk before the exception.
        bad = pathlib.Path(tmp) / "bad" / "run.h5"
        try:
            train(bad, 52)
            raise AssertionError("the loss did not raise")
        except ValueError as error:
            torch_message = str(error)
        assert "Expected input batch_size (16) to match target batch_size (4)" in torch_message
        assert not list(bad.parent.glob("*.tmp*")), "a temporary file was left behind"
        with h5py.File(bad) as f:
            assert f["batch_0000/logits"].shape == (16, 10)
            assert f["batch_0000/labels"].shape == (4,)
        code, out, err = check(shapescope, bad)
        assert code == 1, (code, out, err)
        report = json.loads(out)
        messages = [d["pytorch_error"] or "" for d in report["diagnostics"]]
        assert any(torch_message in m for m in messages), messages
        spec = report["loss"]
        assert spec["ignore_index"] == 7, spec
        assert abs(spec["label_smoothing"] - 0.1) < 1e-12, spec
        assert len(spec["weight"]) == 10 and abs(spec["weight"][0] - 0.5) < 1e-6, spec
    print("ok")


if __name__ == "__main__":
    main()
