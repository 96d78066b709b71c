# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the safetensors reader: tests/data/safetensors/.

Valid files are written by the `safetensors` package itself (safetensors.numpy and, for
bfloat16 and FP8, safetensors.torch), run under the first interpreter that has it: this one,
$SHAPESCOPE_TORCH2_PYTHON or <repo>/.venv/bin/python (`pip install safetensors` there). Without
any, they are written by the format's rules with numpy (an 8-byte little-endian header length,
the JSON header padded with spaces to 8 bytes, the raw little-endian data). Damaged and hostile
files are written by those rules, and each is loaded with the package when it is available: its
verdict goes into expected.json ("library": "refuses" or "loads"), so the fixtures say where
ShapeScope agrees with safetensors and where it is more lenient (uncovered bytes, a note here).

expected.json, like tests/data/formats/*/expected.json:
    {"fixtures": [
        {"file": "batch.safetensors", "notes": 0, "metadata": {"k": "v"},
         "tensors": [{"path": ..., "name": ..., "group": ..., "shape": [4, 10],
                      "dtype": "float32", "values": [...]}]},
        {"file": "overlap.safetensors", "error": "overlap", "library": "refuses"}]}
"""
import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
MAX_VALUES = 256


def has_library():
    try:
        import safetensors.numpy  # noqa: F401
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


def library_python():
    candidates = [os.environ.get("SHAPESCOPE_TORCH2_PYTHON", ""), str(REPO / ".venv/bin/python"),
                  "/work/main/.venv/bin/python"]
    for python in filter(None, candidates):
        if pathlib.Path(python).exists() and subprocess.run(
                [python, "-c", "import safetensors.numpy, torch"],
                capture_output=True).returncode == 0:
            return python
    return None


def spec_bytes(header, data=b"", pad=True):
    """A safetensors file by the format's rules, for what the package refuses to write."""
    text = json.dumps(header, separators=(",", ":")).encode() if isinstance(header, dict) \
        else header
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def bf16_bytes(values):
    """bfloat16 is float32's upper half (the values here are exact in bfloat16)."""
    bits = np.asarray(values, dtype="<f4").view("<u4") >> 16
    return bits.astype("<u2").tobytes()


def spec_file(arrays, metadata=None):
    """arrays: name -> (safetensors dtype, numpy array or (shape, raw bytes))."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, arr) in arrays.items():
        if isinstance(arr, tuple):
            shape, raw = arr
        else:
            shape, raw = list(arr.shape), (bf16_bytes(arr) if dtype == "BF16"
                                           else np.ascontiguousarray(arr).tobytes())
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    return spec_bytes(header, data)


def json_value(v):
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    return "nan" if f != f else ("inf" if f == float("inf") else
                                 "-inf" if f == float("-inf") else f)


def expected_tensor(path, arr, dtype=None):
    arr = np.asarray(arr)
    entry = {"path": path, "name": path.rsplit("/", 1)[-1],
             "group": path.rsplit("/", 1)[0] if "/" in path else "",
             "shape": list(arr.shape), "dtype": dtype or arr.dtype.name}
    if arr.size <= MAX_VALUES:
        entry["values"] = [json_value(v) for v in arr.ravel().tolist()]
    return entry


def valid_fixtures():
    """name -> (arrays {tensor: (safetensors dtype, array)}, metadata, expected notes)."""
    rng = np.random.default_rng(13)
    logits = [rng.standard_normal((4, 10)).astype(np.float32) for _ in range(2)]
    labels = [np.array([3, 0, 9, 1], dtype=np.int64), np.array([2, 2, 5, 7], dtype=np.int64)]
    dtypes = {
        "F64": rng.standard_normal((3, 4)), "F32": rng.standard_normal((2, 3)).astype(np.float32),
        "F16": np.array([[0, 1.5, -2.25], [65504, 6e-08, -0.0]], dtype=np.float16),
        "I64": np.array([-2**63, 2**63 - 1, 2**53 + 1, 0], dtype=np.int64),
        "I32": np.array([-2**31, 2**31 - 1, 7], dtype=np.int32),
        "I16": np.array([-32768, 32767], dtype=np.int16),
        "I8": np.array([-128, 127, 0], dtype=np.int8),
        "U8": np.array([0, 255, 17], dtype=np.uint8),
        "U16": np.array([0, 65535], dtype=np.uint16),
        "U32": np.array([0, 2**32 - 1], dtype=np.uint32),
        "U64": np.array([0, 2**63 - 1], dtype=np.uint64),
        "BOOL": np.array([[True, False], [False, True]]),
    }
    bf16 = np.array([[1, -2.5], [0.15625, 256], [-0.0078125, 3]], dtype=np.float32)
    fp8 = np.array([[0x38, 0x40], [0xc0, 0x00]], dtype=np.uint8)  # 1, 2, -2, 0 in E4M3
    return {
        "batch.safetensors": ({
            "batch_0000/logits": ("F32", logits[0]), "batch_0000/labels": ("I64", labels[0]),
            "batch_0001/logits": ("F32", logits[1]), "batch_0001/labels": ("I64", labels[1]),
        }, {"torch_version": "2.15.0", "note": "two steps"}, 0),
        "dtypes.safetensors": ({
            **{f"t_{k.lower()}": (k, v) for k, v in dtypes.items()},
            "scalar": ("F32", np.array(2.5, dtype=np.float32)),
            "empty": ("F32", np.zeros((0, 3), dtype=np.float32)),
        }, None, 0),
        "mismatch.safetensors": ({
            "logits": ("F32", rng.standard_normal((32, 10)).astype(np.float32)),
            "labels": ("I64", rng.integers(0, 10, 64).astype(np.int64)),
        }, None, 0),
        "bf16.safetensors": ({"logits": ("BF16", bf16),
                              "labels": ("I64", np.array([0, 1, 1], dtype=np.int64))}, None, 0),
        # An LLM's logits: torch rounds each float32 to the nearest bfloat16 when writing.
        "bf16_logits.safetensors": ({
            "logits": ("BF16", (rng.standard_normal((16, 7)) * 4).astype(np.float32)),
            "labels": ("I64", rng.integers(0, 7, 16).astype(np.int64))}, None, 0),
        "fp8.safetensors": ({"scales": ("F8_E4M3", fp8),
                             "logits": ("F32", logits[0]), "labels": ("I64", labels[0])},
                            None, 1),
    }


def write_with_library(folder):
    """Runs under an interpreter with safetensors and torch; writes the valid fixtures."""
    import torch
    from safetensors.torch import save_file

    for file, (arrays, metadata, _) in valid_fixtures().items():
        tensors = {}
        for name, (dtype, arr) in arrays.items():
            t = torch.from_numpy(arr.copy(order="C"))  # ascontiguousarray makes 0-d 1-d
            if dtype == "BF16":
                t = t.to(torch.bfloat16)
            elif dtype == "F8_E4M3":
                t = t.view(torch.float8_e4m3fn)
            tensors[name] = t
        save_file(tensors, str(folder / file), metadata=metadata)


def bfloat16_values(arr):
    """What torch's .float() gives back for arr saved as bfloat16."""
    import torch
    return torch.from_numpy(arr.copy()).to(torch.bfloat16).float().numpy()


def library_verdict(python, path):
    script = ("import sys\nfrom safetensors import safe_open\n"
              "with safe_open(sys.argv[1], 'pt') as f:\n"
              "    [f.get_tensor(k) for k in f.keys()]\n")
    result = subprocess.run([python, "-c", script, str(path)], capture_output=True)
    return "loads" if result.returncode == 0 else "refuses"


def damaged_fixtures():
    f32 = np.arange(40, dtype=np.float32).reshape(4, 10)
    raw = f32.tobytes()
    good = spec_file({"logits": ("F32", f32)})

    def one(entry, data=raw):
        return spec_bytes({"logits": entry}, data)

    return {
        "short.safetensors": (b"\x10\x00\x00", "shorter than the 8-byte header length"),
        "header_over_limit.safetensors": (struct.pack("<Q", 100_000_001) + b"{}" + b" " * 6,
                                          "over the safetensors limit"),
        "header_past_end.safetensors": (struct.pack("<Q", 4096) + b'{"a":1}',
                                        "more than the 7 bytes that follow"),
        "bad_json.safetensors": (spec_bytes(b'{"logits": {"dtype": "F32", "shape": [4,'),
                                 "the JSON header is invalid"),
        "not_object.safetensors": (spec_bytes(b'{"logits": [1, 2, 3]}', raw),
                                   'tensor "logits": its entry is not a JSON object'),
        "unknown_dtype.safetensors": (one({"dtype": "F128", "shape": [4, 10],
                                           "data_offsets": [0, 160]}),
                                      'tensor "logits": unknown dtype "F128"'),
        "shape_mismatch.safetensors": (one({"dtype": "F32", "shape": [4, 10],
                                            "data_offsets": [0, 100]}, raw[:100]),
                                       'tensor "logits": shape 4 x 10 F32 needs 160 bytes, but '
                                       "data_offsets [0, 100] hold 100"),
        "negative_shape.safetensors": (one({"dtype": "F32", "shape": [-4, 10],
                                            "data_offsets": [0, 160]}),
                                       '"shape" holds something other than a size'),
        "huge_shape.safetensors": (one({"dtype": "F32", "shape": [2**40, 2**40],
                                        "data_offsets": [0, 160]}),
                                   "has more elements than a file can hold"),
        "reversed_offsets.safetensors": (one({"dtype": "F32", "shape": [4, 10],
                                              "data_offsets": [160, 0]}),
                                         '"data_offsets" is not a pair'),
        "out_of_file.safetensors": (one({"dtype": "F32", "shape": [4, 10],
                                         "data_offsets": [1000, 1160]}),
                                    'tensor "logits": data_offsets [1000, 1160] end past the '
                                    "data, which holds 160 bytes"),
        "truncated.safetensors": (good[:-7], "end past the data, which holds 153 bytes"),
        "overlap.safetensors": (spec_bytes({
            "a_logits": {"dtype": "F32", "shape": [4, 10], "data_offsets": [0, 160]},
            "b_labels": {"dtype": "F32", "shape": [4, 10], "data_offsets": [80, 240]}},
            raw + raw[:80]), "overlap those of tensor"),
        "metadata_not_object.safetensors": (spec_bytes({"__metadata__": "x", "logits": {
            "dtype": "F32", "shape": [4, 10], "data_offsets": [0, 160]}}, raw),
            '"__metadata__" is not a JSON object'),
        "only_fp8.safetensors": (spec_file({"scales": ("F8_E5M2", ([2, 2], b"\x3c\x40\xc0\x00"))}),
                                 "no tensor ShapeScope can read: scales: 2 x 2 F8_E5M2, "
                                 "8-bit floats"),
        "no_tensors.safetensors": (spec_bytes({"__metadata__": {"a": "b"}}),
                                   "the file holds no tensors"),
    }


def lenient_fixtures():
    """Files the package refuses but that lose nothing: read, with a note."""
    f32 = np.arange(40, dtype=np.float32).reshape(4, 10)
    labels = np.array([1, 2, 3, 4], dtype=np.int64)
    header = {"logits": {"dtype": "F32", "shape": [4, 10], "data_offsets": [0, 160]},
              "labels": {"dtype": "I64", "shape": [4], "data_offsets": [176, 208]}}
    hole = spec_bytes(header, f32.tobytes() + b"\xff" * 16 + labels.tobytes() + b"tail")
    return {"hole.safetensors": (hole, [expected_tensor("labels", labels),
                                        expected_tensor("logits", f32)], 2)}


def sort_key(path):
    import re
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


def generate(data_dir):
    folder = pathlib.Path(data_dir) / "safetensors"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    python = sys.executable if has_library() else library_python()
    if python:
        subprocess.run([python, __file__, "--write-valid", str(folder)], check=True)
        writer = "the safetensors package"
    else:
        print("  safetensors package not found: writing the valid files by the format's rules")
        for file, (arrays, metadata, _) in valid_fixtures().items():
            (folder / file).write_bytes(spec_file(arrays, metadata))
        writer = "the format's rules (numpy)"

    entries = []
    for file, (arrays, metadata, notes) in valid_fixtures().items():
        tensors = [expected_tensor(name, bfloat16_values(arr) if dtype == "BF16" else arr,
                                   "bfloat16" if dtype == "BF16" else None)
                   for name, (dtype, arr) in arrays.items() if not dtype.startswith("F8")]
        entry = {"file": file, "notes": notes, "metadata": metadata or {},
                 "tensors": sorted(tensors, key=lambda t: sort_key(t["path"]))}
        entries.append(entry)
    for file, (data, tensors, notes) in lenient_fixtures().items():
        (folder / file).write_bytes(data)
        entry = {"file": file, "notes": notes, "metadata": {}, "tensors": tensors}
        if python:
            entry["library"] = library_verdict(python, folder / file)
        entries.append(entry)
    for file, (data, error) in damaged_fixtures().items():
        (folder / file).write_bytes(data)
        entry = {"file": file, "error": error}
        if python:
            entry["library"] = library_verdict(python, folder / file)
        entries.append(entry)
    lines = ",\n".join(json.dumps(e) for e in entries)
    (folder / "expected.json").write_text(
        f'{{"writer": "{writer}",\n"fixtures": [\n' + lines + "\n]}\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write-valid"]:
        write_with_library(pathlib.Path(sys.argv[2]))
    else:
        generate(HERE)
