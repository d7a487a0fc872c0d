"""Whether DATA_DIR can take a write now: /health's probe for the inline modes, whose messages,
replies and memory are all files there. A read-only or full file system otherwise shows only
when a message arrives (and is refused with 503)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Enough that a nearly full file system fails the probe, as it fails a memory file's write.
PROBE_BYTES = 8192


def unwritable_reason(directory: Path) -> str | None:
    """None when a file of PROBE_BYTES can be written, synced and removed in `directory`;
    else what went wrong."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".probe-", dir=directory)
        try:
            os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
            Path(name).unlink()
    except OSError as error:
        return f"{directory} is not writable: {error.strerror or error}"
    return None
