"""Directories a test can make unwritable for real: read-only, or full.

As root, permissions do not stop a write, so a small tmpfs is mounted instead (read-only, or
tiny and then filled). Where that is not possible (no root, no mount), a non-root user gets a
read-only directory by its mode, and a full one is skipped.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_directory(path: Path) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    with _tmpfs(path, "ro,size=64k"):
        yield path


@contextlib.contextmanager
def full_directory(path: Path) -> Iterator[Path]:
    """A file system with no space left (ENOSPC on the next write)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("a full file system needs a tmpfs mount (root)")
    with _tmpfs(path, "size=64k"):
        fd = os.open(path / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * 4096)
        finally:
            os.close(fd)
        yield path


@contextlib.contextmanager
def _tmpfs(path: Path, options: str) -> Iterator[None]:
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)
