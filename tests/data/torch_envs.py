# SPDX-License-Identifier: GPL-3.0-or-later
"""The torch installations the fixtures are evaluated under, and running a script under each.

Two environments are required, so the committed expectations always cover both ends of what
ShapeScope supports:
  SHAPESCOPE_TORCH1_PYTHON   an interpreter with torch 1.13 (default Debian's /usr/bin/python3)
  SHAPESCOPE_TORCH2_PYTHON   one with a current torch 2.x (default <repo>/.venv/bin/python,
                             made by tests/data/make-venv)
SHAPESCOPE_TORCH_PYTHONS may name more interpreters (':'-separated, e.g. older 2.x releases);
each adds its version's results. Results are keyed by "major.minor" of torch.__version__.
"""
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent


def interpreters():
    found = [os.environ.get("SHAPESCOPE_TORCH1_PYTHON", "/usr/bin/python3"),
             os.environ.get("SHAPESCOPE_TORCH2_PYTHON", str(REPO / ".venv" / "bin" / "python"))]
    found += [p for p in os.environ.get("SHAPESCOPE_TORCH_PYTHONS", "").split(":") if p]
    missing = [p for p in found if not pathlib.Path(p).exists()]
    if missing:
        sys.exit(f"no such interpreter: {', '.join(missing)} (run tests/data/make-venv, or set "
                 "SHAPESCOPE_TORCH2_PYTHON to a python with torch 2.x, numpy and h5py)")
    return found


def version_key(version):
    """"1.13.0a0" -> "1.13", "2.15.0+cu132" -> "2.15"."""
    major, minor = version.split("+")[0].split(".")[:2]
    return f"{major}.{minor}"


def newest(by_version):
    return max(by_version, key=lambda v: tuple(int(p) for p in v.split(".")))


def run_everywhere(script, args, payload):
    """Runs HERE/script under every interpreter with payload as JSON on stdin; returns
    {version: the "cases" of its JSON output}."""
    by_version = {}
    for python in interpreters():
        done = subprocess.run([python, str(HERE / script), *args], input=json.dumps(payload),
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{python} {script} failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        key = version_key(result["torch"])
        if key in by_version:
            sys.exit(f"two interpreters have torch {key}; give each version once")
        by_version[key] = result["cases"]
        print(f"  {script}: torch {result['torch']} ({python})", flush=True)
    return by_version
