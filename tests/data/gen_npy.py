# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the NPY, NPZ and NPY-folder readers: tests/data/formats/{npy,npz,folder}/.

Valid files are written by numpy itself (np.save, np.savez, np.savez_compressed,
numpy.lib.format.write_array) and PyTorch (.numpy()); damaged ones by editing those bytes or by
writing the header by hand. Each folder gets an expected.json listing, per fixture, the tensors
(path, name, group, shape, dtype, and for small ones the values in C order) or, for a damaged
file, a substring its error message must contain:

    {"fixtures": [
        {"file": "dtype_int8.npy", "notes": 0,
         "tensors": [{"path": ..., "shape": [3, 4], "dtype": "int8", "values": [...]}]},
        {"file": "bad_version.npy", "error": "version 4.0"},
        {"file": "bad_crc.npz", "tensors": [{..., "readError": "CRC"}]}]}

Values are JSON numbers (ints exact, so uint64 values stay below 2**63 where Qt's JSON parser
still reads them as integers); NaN and infinities, which JSON lacks, are the strings "nan",
"inf" and "-inf".
"""
import io
import json
import math
import pathlib
import shutil
import struct
import time
import zipfile
import zlib
from unittest import mock

import numpy as np
import numpy.lib.format as npformat

MAX_VALUES = 256  # fixtures with more elements list no values
# Zip entries carry a timestamp; pin it so regenerating leaves the committed bytes unchanged.
FIXED_TIME = time.mktime((2024, 1, 1, 0, 0, 0, 0, 1, -1))


def json_value(v):
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def tensor(path, arr, name=None, group="", storage=None):
    arr = np.asarray(arr)
    entry = {
        "path": path,
        "name": name if name is not None else path.rsplit("/", 1)[-1].removesuffix(".npy"),
        "group": group,
        "shape": list(arr.shape),
        "dtype": arr.dtype.name,
    }
    if storage:
        entry["storage"] = storage
    if arr.size <= MAX_VALUES:
        entry["values"] = [json_value(v) for v in arr.ravel(order="C").tolist()]
    return entry


def npy_bytes(header, data=b"", version=(1, 0), pad=True):
    """An NPY file with a hand-written header dict text, for what numpy refuses to write."""
    encoded = header.encode("utf8" if version >= (3, 0) else "latin1")
    length_size = 2 if version == (1, 0) else 4
    if pad:
        used = 6 + 2 + length_size + len(encoded) + 1
        encoded += b" " * (-used % 64) + b"\n"
    length = struct.pack("<H" if length_size == 2 else "<I", len(encoded))
    return b"\x93NUMPY" + bytes(version) + length + encoded + data


def saved(arr, **kwargs):
    buffer = io.BytesIO()
    npformat.write_array(buffer, np.asanyarray(arr), **kwargs)
    return buffer.getvalue()


def dtype_samples():
    """A 3x4 array per supported dtype holding its extremes."""
    out = {
        "bool": np.array([[True, False, True, True], [False, False, True, False],
                          [True, True, True, False]]),
        "float16": np.array([[0, 1.5, -2.25, 65504], [-65504, 6e-08, 0.333, -0.0],
                             [1e-4, 2048, -7.5, 3.140625]], dtype=np.float16),
    }
    for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64):
        info = np.iinfo(t)
        top = min(int(info.max), 2**63 - 1)
        vals = [info.min, top, 0, 1, top - 1, info.min + 1, 7, 42, top // 3, 100, 0, 1]
        if info.bits == 64:
            vals[6] = 2**53 + 1  # not representable as a double: ints must stay exact
        if info.min < 0:
            vals[9] = -100
        out[np.dtype(t).name] = np.array(vals, dtype=t).reshape(3, 4)
    rng = np.random.default_rng(1)
    for t in (np.float32, np.float64):
        arr = rng.standard_normal((3, 4)).astype(t)
        arr[0, 0] = np.finfo(t).max
        arr[0, 1] = np.finfo(t).tiny
        arr[0, 2] = -np.finfo(t).max
        arr[1, 0] = 2.5  # float -> int truncates toward zero
        arr[1, 1] = -2.5
        out[np.dtype(t).name] = arr
    return out


class Fixtures:
    def __init__(self, folder):
        self.folder = folder
        self.entries = []
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)

    def tensors(self, file):
        return [dict(t) for t in next(e for e in self.entries if e["file"] == file)["tensors"]]

    def valid(self, file, tensors, notes=0, skipped=0):
        self.entries.append({"file": file, "notes": notes, "skipped": skipped,
                             "tensors": tensors})

    def damaged(self, file, error):
        self.entries.append({"file": file, "error": error})

    def write_json(self):
        # One fixture a line: readable diffs without a line per value.
        lines = ",\n".join(json.dumps(e) for e in self.entries)
        (self.folder / "expected.json").write_text('{"fixtures": [\n' + lines + "\n]}\n")


def generate_npy(folder):
    fx = Fixtures(folder)

    def save(file, arr, storage=None, **kwargs):
        (folder / file).write_bytes(saved(arr, **kwargs))
        fx.valid(file, [tensor(file, arr, storage=storage)])

    samples = dtype_samples()
    for name, arr in samples.items():
        save(f"dtype_{name}.npy", arr)
    for name in ("int16", "int32", "int64", "uint16", "uint64", "float16", "float32", "float64"):
        arr = samples[name]
        save(f"be_{name}.npy", arr.astype(arr.dtype.newbyteorder(">")),
             storage="npy 1.0, C order, big-endian")

    rng = np.random.default_rng(2)
    save("fortran_3x4x5.npy", np.asfortranarray(rng.standard_normal((3, 4, 5)).astype(np.float32)),
         storage="npy 1.0, Fortran order, little-endian")
    save("fortran_be_int16.npy",
         np.asfortranarray(np.arange(-12, 12, dtype=">i2").reshape(4, 6)),
         storage="Fortran order, big-endian")
    save("fortran_1d.npy", np.asfortranarray(np.arange(5, dtype=np.int32)))
    save("scalar_float64.npy", np.array(-3.75))
    save("scalar_int32.npy", np.array(123456, dtype=np.int32))
    save("empty_0x5.npy", np.zeros((0, 5), dtype=np.float32))
    save("empty_3x0x2.npy", np.zeros((3, 0, 2), dtype=np.int64))
    save("vector_7.npy", np.arange(7, dtype=np.int64) * -3)
    save("rank4.npy", np.arange(120, dtype=np.float64).reshape(2, 3, 4, 5) / 8)
    save("tall_40x3.npy", rng.integers(-1000, 1000, (40, 3), dtype=np.int32))
    save("v2_float32.npy", rng.standard_normal((4, 3)).astype(np.float32), version=(2, 0),
         storage="npy 2.0")
    save("v3_int16.npy", np.arange(12, dtype=np.int16).reshape(2, 6), version=(3, 0),
         storage="npy 3.0")
    save("v2_fortran_be.npy", np.asfortranarray(np.arange(12, dtype=">f8").reshape(3, 4)),
         version=(2, 0), storage="npy 2.0, Fortran order, big-endian")
    save("float_specials.npy", np.array([np.nan, np.inf, -np.inf, -0.0, 1.0], dtype=np.float32))

    import torch
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn(4, 10, generator=gen).numpy()
    save("torch_logits.npy", logits)

    # Headers numpy reads but never writes today.
    arr = np.arange(6, dtype="<f4").reshape(2, 3)
    crafted = {
        "native_eq.npy": ("{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3), }", arr),
        "pipe_multibyte.npy": ("{'descr': '|f4', 'fortran_order': False, 'shape': (2, 3)}", arr),
        "double_quotes.npy": ('{"shape": (2, 3), "descr": "<f4", "fortran_order": False}', arr),
        "py2_long_shape.npy": ("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
                               arr),
        # np.asfortranarray makes a 0-d array 1-d, so a Fortran scalar is written by hand.
        "scalar_fortran.npy": ("{'descr': '<i2', 'fortran_order': True, 'shape': (), }",
                               np.array(-9, dtype="<i2")),
    }
    for file, (header, a) in crafted.items():
        (folder / file).write_bytes(npy_bytes(header, a.tobytes()))
        fx.valid(file, [tensor(file, a)])
    (folder / "trailing_bytes.npy").write_bytes(saved(arr) + b"extra")
    fx.valid("trailing_bytes.npy", [tensor("trailing_bytes.npy", arr)], notes=1)

    good = saved(np.arange(40, dtype=np.float32).reshape(10, 4))
    header_end = len(good) - 160

    def damaged(file, data, error):
        (folder / file).write_bytes(data)
        fx.damaged(file, error)

    damaged("truncated_data.npy", good[: header_end + 100],
            "NPY header says shape (10, 4) float32 = 160 bytes but only 100 bytes follow the "
            "header (60 missing)")
    damaged("truncated_header.npy", good[:50], "header is truncated")
    damaged("truncated_preamble.npy", good[:9], "header is truncated")
    damaged("empty.npy", b"", "empty")
    damaged("bad_magic.npy", b"\x93NUMPZ" + good[6:], "not an NPY file")
    damaged("bad_version.npy", good[:6] + b"\x04\x00" + good[8:], "unsupported NPY version 4.0")
    damaged("bad_minor_version.npy", good[:6] + b"\x01\x05" + good[8:],
            "unsupported NPY version 1.5")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + " " * 10000
    damaged("header_too_long.npy", npy_bytes(header, b"\0" * 8, version=(2, 0)), "10000")
    bad_headers = {
        "missing_key.npy": ("{'descr': '<f4', 'shape': (2,), }", "lacks the key 'fortran_order'"),
        "extra_key.npy": ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
                          "unexpected key 'x'"),
        "duplicate_key.npy": ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2,)}", "more than once"),
        "negative_shape.npy": ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }",
                               "negative"),
        "overflow_shape.npy": ("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': (1099511627776, 1099511627776, 1099511627776), }",
                               "too many elements"),
        "bytes_overflow.npy": ("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': (3037000499, 3037000499), }", "too many bytes"),
        "huge_int_shape.npy": ("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (100000000000000000000000000000,), }", "too large"),
        "shape_list.npy": ("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }",
                           "must be a tuple of integers"),
        "shape_float.npy": ("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,), }",
                            "must be a tuple of integers, not (2.0,)"),
        "fortran_not_bool.npy": ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }",
                                 "fortran_order must be True or False"),
        "not_a_dict.npy": ("['<f4', False, (2,)]", "not a dict"),
        "syntax_error.npy": ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", "expected"),
        "unterminated_string.npy": ("{'descr': '<f4", "string"),
        "unknown_descr.npy": ("{'descr': '<f3', 'fortran_order': False, 'shape': (2,), }",
                              "unknown dtype '<f3'"),
        "descr_not_string.npy": ("{'descr': 5, 'fortran_order': False, 'shape': (2,), }",
                                 "descr must be"),
        "complex.npy": ("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }",
                        "complex64"),
        "unicode.npy": ("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }",
                        "'<U5' (unicode strings) is not supported"),
        "datetime.npy": ("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (2,), }",
                         "datetime64"),
        "deep_nesting.npy": ("[" * 500 + "]" * 500, "nested"),
    }
    for file, (header, error) in bad_headers.items():
        damaged(file, npy_bytes(header, b"\0" * 64), error)
    damaged("nul_in_header.npy", npy_bytes("{'descr': '<f4',\0 'fortran_order': False, "
                                           "'shape': (2,), }", b"\0" * 8), "byte 16 of the header")

    obj = np.array([{"a": 1}, [1, 2], "text"], dtype=object)
    buffer = io.BytesIO()
    np.save(buffer, obj, allow_pickle=True)
    damaged("object_array.npy", buffer.getvalue(), "never loads pickles")
    rec = np.zeros(3, dtype=[("x", "<f4"), ("y", "<i8")])
    damaged("structured.npy", saved(rec), "structured dtype [('x', '<f4'), ('y', '<i8')] is not")
    fx.write_json()


def patch_zip_times():
    return mock.patch("time.time", return_value=FIXED_TIME)


def entry_data_offset(blob, info):
    """Where an entry's (compressed) data starts: after its local header, whose extra field may
    differ from the central directory's."""
    name_len, extra_len = struct.unpack_from("<HH", blob, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len


def raw_zip(entries):
    """A zip written byte by byte, to declare sizes and checksums the data does not have.
    entries: (name, method, payload, crc, declared_uncompressed_size)."""
    out = bytearray()
    central = bytearray()
    for name, method, payload, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        fields = struct.pack("<HHHHHIII", 20, 0, method, 0, 0x21, crc, len(payload), size)
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + payload
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                    + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = len(out)
    out += central
    out += b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(entries), len(entries),
                                         len(central), start, 0)
    return bytes(out)


def deflate_raw(data):
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def generate_npz(folder):
    fx = Fixtures(folder)
    rng = np.random.default_rng(4)
    samples = dtype_samples()

    def savez(file, arrays, compressed=False):
        with patch_zip_times():
            (np.savez_compressed if compressed else np.savez)(folder / file, **arrays)
        return [tensor(key, arr, group=key.rpartition("/")[0],
                       storage="npz entry, deflated" if compressed else "npz entry, stored")
                for key, arr in arrays.items()]

    arrays = {
        "logits": rng.standard_normal((4, 10)).astype(np.float32),
        "targets": rng.integers(0, 10, 4, dtype=np.int64),
        "mask": np.array([True, False, True, True]),
        "scalar": np.array(2.5),
        "fortran_be": np.asfortranarray(np.arange(12, dtype=">i4").reshape(3, 4)),
        "empty": np.zeros((0, 3), dtype=np.float16),
    }
    fx.valid("savez.npz", savez("savez.npz", arrays))
    fx.valid("savez_compressed.npz", savez("savez_compressed.npz", arrays, compressed=True))
    every = {f"dtype_{name}": arr for name, arr in samples.items()}
    fx.valid("dtypes.npz", savez("dtypes.npz", every))
    big = {"big": rng.standard_normal((64, 32)).astype(np.float32)}  # 8 KB, no values listed
    fx.valid("large_stored.npz", savez("large_stored.npz", big))
    fx.valid("large_deflated.npz", savez("large_deflated.npz", big, compressed=True))
    nested = {"a/b": np.arange(6, dtype=np.int16).reshape(2, 3), "a/c/d": np.ones(2),
              "top": np.zeros(1, dtype=np.uint8)}
    fx.valid("subfolders.npz", savez("subfolders.npz", nested))

    import torch
    gen = torch.Generator().manual_seed(5)
    torch_arrays = {
        "logits": torch.randn(3, 5, generator=gen).numpy(),
        "targets": torch.randint(0, 5, (3,), generator=gen).numpy(),
        "half": torch.randn(2, 4, generator=gen).half().numpy(),
        "mask": (torch.randn(3, generator=gen) > 0).numpy(),
        "bf_as_float": torch.randn(2, 2, generator=gen).to(torch.bfloat16).float().numpy(),
    }
    fx.valid("torch.npz", savez("torch.npz", torch_arrays, compressed=True))

    # Non-.npy members are skipped with a note each; folders are not members.
    v2 = np.asfortranarray(np.arange(6, dtype=">f8").reshape(2, 3))
    with zipfile.ZipFile(folder / "mixed.npz", "w") as z:
        for name, data in (("x.npy", saved(np.arange(3, dtype=np.int8))),
                           ("README.txt", b"not a tensor\n"),
                           ("dir/", b""),
                           ("dir/v2.npy", saved(v2, version=(2, 0))),
                           ("meta.json", b"{}"),
                           ("__MACOSX/._x.npy", b"\0\5\26\7 resource fork")):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    fx.valid("mixed.npz", [tensor("x", np.arange(3, dtype=np.int8)),
                           tensor("dir/v2", v2, group="dir", storage="npy 2.0, Fortran order")],
             notes=3)

    def damaged(file, data, error):
        (folder / file).write_bytes(data)
        fx.damaged(file, error)

    stored = (folder / "savez.npz").read_bytes()
    with zipfile.ZipFile(io.BytesIO(stored)) as z:
        info = z.getinfo("logits.npy")
    corrupt = bytearray(stored)
    corrupt[entry_data_offset(stored, info) + info.file_size - 1] ^= 0x01
    (folder / "bad_crc_stored.npz").write_bytes(corrupt)
    bad = fx.tensors("savez.npz")
    bad[0]["readError"] = "logits.npy: the entry is damaged: its CRC-32 checksum does not match"
    fx.valid("bad_crc_stored.npz", bad)

    deflated = (folder / "large_deflated.npz").read_bytes()
    with zipfile.ZipFile(io.BytesIO(deflated)) as z:
        info = z.getinfo("big.npy")
    corrupt = bytearray(deflated)
    corrupt[entry_data_offset(deflated, info) + info.compress_size // 2] ^= 0xFF
    (folder / "bad_deflated.npz").write_bytes(corrupt)
    bad = fx.tensors("large_deflated.npz")[0]
    bad["readError"] = "big.npy"
    fx.valid("bad_deflated.npz", [bad])

    damaged("truncated.npz", stored[: len(stored) // 2], "not a zip archive")
    damaged("empty_archive.npz", raw_zip([]), "no .npy entries")

    square = np.arange(64, dtype=np.float64).reshape(8, 8)
    full = saved(square)
    # The stream inflates to 100 bytes fewer than the sizes the archive declares.
    short = deflate_raw(full[:-100])
    truncated_entry = raw_zip([("t.npy", 8, short, zlib.crc32(full), len(full))])
    (folder / "truncated_entry.npz").write_bytes(truncated_entry)
    fx.valid("truncated_entry.npz", [{**tensor("t", square),
                                      "readError": "t.npy: the entry ends after 540 bytes but its "
                                                   "NPY header needs 640"}])
    # Consistent checksum, but the stream holds more than the NPY header describes.
    long = full + b"\0" * 16
    fx.valid("overlong_entry.npz", [{**tensor("t", square),
                                     "readError": "more data than its NPY header describes"}])
    (folder / "overlong_entry.npz").write_bytes(
        raw_zip([("t.npy", 8, deflate_raw(long), zlib.crc32(long), len(full))]))
    damaged("size_lie.npz", raw_zip([("t.npy", 8, deflate_raw(full), zlib.crc32(full), 0xFFFFFF00)]),
            "t.npy: NPY header says shape (8, 8) float64 = 512 bytes")
    half = full[: len(full) - 200]
    damaged("short_npy_entry.npz", raw_zip([("t.npy", 0, half, zlib.crc32(half), len(half))]),
            "only 312 bytes follow the header")
    damaged("bad_entry_header.npz",
            raw_zip([("ok.npy", 0, full, zlib.crc32(full), len(full)),
                     ("junk.npy", 0, b"junk" * 8, zlib.crc32(b"junk" * 8), 32)]),
            "junk.npy: not an NPY file")
    obj = np.array([None, 1], dtype=object)
    with patch_zip_times():
        np.savez(folder / "object_entry.npz", fine=np.ones(2), obj=obj)
    # An unsupported member is listed as not readable; the other members stay readable.
    fx.valid("object_entry.npz", [tensor("fine", np.ones(2))], skipped=1)
    fx.write_json()


def generate_folder(folder):
    fx = Fixtures(folder)

    def write(sub, file, arr):
        path = folder / sub / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(saved(arr))
        return tensor(file, arr)

    batches = [write("batches", f"batch_{i}.npy",
                     np.arange(6, dtype=np.int64).reshape(2, 3) + 10 * i) for i in range(1, 13)]
    # Written out of order so only sorting can produce natural order.
    fx.valid("batches", sorted(batches, key=lambda t: int(t["name"].split("_")[1])))

    mixed = [write("mixed", "a.npy", np.arange(3, dtype=np.float32)),
             write("mixed", "B.NPY", np.array(7, dtype=np.int16)),
             write("mixed", "step_10.npy", np.ones((1, 2), dtype=np.uint8)),
             write("mixed", "step_9.npy", np.asfortranarray(np.arange(6.0).reshape(2, 3)))]
    mixed[1]["name"] = "B"
    (folder / "mixed" / "notes.txt").write_text("not a tensor\n")
    write("mixed/sub", "hidden.npy", np.zeros(1))  # sub-folders are not searched
    (folder / "mixed" / "._a.npy").write_bytes(b"\0\5\26\7 macOS resource fork")  # hidden
    fx.valid("mixed", [mixed[0], mixed[1], mixed[3], mixed[2]], notes=2)

    write("damaged", "ok_1.npy", np.zeros(2))
    (folder / "damaged" / "bad_2.npy").write_bytes(saved(np.zeros((4, 4)))[:-10])
    write("damaged", "ok_3.npy", np.zeros(2))
    fx.damaged("damaged", "bad_2.npy: NPY header says shape (4, 4) float64 = 128 bytes")

    # Unsupported arrays (strings, objects) are listed as not readable; the others stay readable.
    strings = write("strings", "values.npy", np.arange(4, dtype=np.float32))
    (folder / "strings" / "names.npy").write_bytes(saved(np.array(["a", "bc"])))
    (folder / "strings" / "objects.npy").write_bytes(saved(np.array([None, 1], dtype=object),
                                                           allow_pickle=True))
    fx.valid("strings", [strings], skipped=2)

    (folder / "no_npy").mkdir()
    (folder / "no_npy" / "readme.txt").write_text("no arrays here\n")
    fx.damaged("no_npy", "no .npy files")
    fx.write_json()


def generate(data_dir: pathlib.Path):
    formats = data_dir / "formats"
    generate_npy(formats / "npy")
    generate_npz(formats / "npz")
    generate_folder(formats / "folder")
