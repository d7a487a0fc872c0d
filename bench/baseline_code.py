"""Modules of the project as they were at an earlier commit, read from git, for benchmarks
that print the code they replace beside today's in the same run.

Each module is executed under its own name (`<name>_baseline_<commit>`), with the other
baseline modules standing in for their namesakes while it is imported, so that an old
module's imports of its siblings get the old siblings.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def source_at(commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout


def modules_at(commit: str, names: list[str]) -> dict[str, types.ModuleType]:
    """The modules `names` (dotted, in dependency order) as of `commit`."""
    loaded: dict[str, types.ModuleType] = {}
    # Today's modules first, so that they are what the rest of the program keeps importing.
    saved_modules = {name: importlib.import_module(name) for name in names}
    try:
        for name in names:
            package_name, _, leaf = name.rpartition(".")
            package = importlib.import_module(package_name)
            module = types.ModuleType(f"{name.replace('.', '_')}_baseline_{commit}")
            sys.modules[module.__name__] = module  # dataclasses look their module up by name
            # Our own history, read from git: the exact code the figures compare against.
            code = compile(source_at(commit, name.replace(".", "/") + ".py"), f"{name}@{commit}", "exec")
            exec(code, module.__dict__)
            loaded[name] = sys.modules[name] = module
            setattr(package, leaf, module)
    finally:
        for name, module in saved_modules.items():
            sys.modules[name] = module
            package_name, _, leaf = name.rpartition(".")
            setattr(importlib.import_module(package_name), leaf, module)
    return loaded
