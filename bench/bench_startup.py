"""Start-up of basic mode: `chat --json` to its first reply, and a whole `report`, before and after.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--base REV]

Both versions run in the same invocation, alternating, each from a copy of its `app` package in a
temporary directory (so that no .env of the checkout configures either), with the same
interpreter and packages, with the bot's settings removed from the environment (basic mode: no
DATABASE_URL, no keys). The baseline is REV; by default the commit before the composition root
became a package, i.e. before its modes loaded only what they use. "new" is this working tree.

- first reply: from starting `python -m app chat --json` to reading its first JSON line, for one
  message, in a fresh process (imports, settings, catalogue, warm-up, the turn itself);
- CPU: user + system time of that whole process, exit included;
- report: `python -m app report` over the JSON memory the chat runs left, start to exit.

A package that a later version added and the baseline did not require (PyStemmer) is hidden
from the baseline. Each figure is the median of --runs runs, after one unmeasured run of each
version (Python writes its bytecode caches then). It also prints which of the packages basic mode should not
need each version imports (`python -X importtime`). The default baseline imports plotly at every
start (a dependency then): `pip install plotly` if this environment no longer has it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.startup import NOT_IN_BASIC_MODE, basic_mode_environment, imported_packages  # noqa: E402

BASE_SUBJECT = "^Composition root as a package"
# Packages a later version added that an older one would still pick up from this environment:
# snowballstemmer uses PyStemmer's C code whenever it can import it. module -> distribution.
LATER_DEPENDENCIES = {"Stemmer": "PyStemmer"}
MESSAGE = '{"text": "hola, busco un curso de python para automatizar reportes"}\n'


@dataclass
class Version:
    name: str
    directory: Path
    first_reply: list[float] = field(default_factory=list)
    chat_cpu: list[float] = field(default_factory=list)
    report_wall: list[float] = field(default_factory=list)
    report_cpu: list[float] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def environment(version: Version) -> dict[str, str]:
    """Basic mode, and bytecode caches written as a user's machine writes them."""
    variables = basic_mode_environment(version.data_dir)
    variables.pop("PYTHONDONTWRITEBYTECODE", None)
    return variables


def default_base() -> str:
    split = git("log", "-1", "--format=%H", f"--grep={BASE_SUBJECT}", "HEAD")
    return f"{split}^" if split else "main"


def git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def checkout(revision: str, directory: Path) -> None:
    """The `app` package of `revision`, unpacked into directory, without the packages it did not use."""
    archive = subprocess.run(["git", "archive", revision, "app"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(directory, filter="data")
    requirements = git("show", f"{revision}:requirements.txt").lower()
    for module, distribution in LATER_DEPENDENCIES.items():
        if f"{distribution.lower()}==" not in requirements:
            # Shadowed in the version's directory (first on its sys.path): the version runs as it did.
            (directory / f"{module}.py").write_text(f"raise ImportError('{distribution}: not a dependency then')\n")


def chat_once(version: Version, run: int) -> tuple[float, float]:
    """Seconds to the first reply, and CPU seconds of the whole process."""
    cpu = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "chat", "--json", "--user", f"whatsapp:+5730000{run:05d}"],
        cwd=version.directory,
        env=environment(version),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(MESSAGE)
    process.stdin.flush()
    line = process.stdout.readline()
    replied = time.perf_counter() - started
    process.stdin.close()
    if process.wait(timeout=60) != 0 or '"reply"' not in line:
        raise SystemExit(f"{version.name}: chat --json failed (exit {process.returncode}): {line!r}")
    return replied, children_cpu() - cpu


def report_once(version: Version) -> tuple[float, float]:
    cpu = children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "report"],
        cwd=version.directory,
        env=environment(version),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )
    return time.perf_counter() - started, children_cpu() - cpu


def heavy_imports(version: Version) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app", "chat", "--json"],
        cwd=version.directory,
        env=environment(version),
        input=MESSAGE,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return sorted(imported_packages(completed.stderr) & set(NOT_IN_BASIC_MODE))


def measure(versions: list[Version], runs: int) -> None:
    for run in range(runs + 1):
        for version in versions if run % 2 else reversed(versions):
            replied, chat_cpu = chat_once(version, run)
            wall, report_cpu = report_once(version)
            if run == 0:
                continue  # bytecode caches are written on the first run
            version.first_reply.append(replied)
            version.chat_cpu.append(chat_cpu)
            version.report_wall.append(wall)
            version.report_cpu.append(report_cpu)


def print_table(versions: list[Version], runs: int) -> None:
    def median(values: list[float]) -> str:
        return f"{statistics.median(values):.3f} s"

    rows = [
        ("chat --json: first reply", [median(v.first_reply) for v in versions]),
        ("chat --json: CPU of the process", [median(v.chat_cpu) for v in versions]),
        ("report: wall, start to exit", [median(v.report_wall) for v in versions]),
        ("report: CPU", [median(v.report_cpu) for v in versions]),
        ("chat imports (of the unneeded)", [", ".join(heavy_imports(v)) or "none" for v in versions]),
    ]
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"basic mode, median of {runs} runs each, Python {sys.version.split()[0]}, load average now {load}")
    print(f"{'':34}" + "".join(f"{v.name:>40}" for v in versions))
    for label, cells in rows:
        print(f"{label:34}" + "".join(f"{cell:>40}" for cell in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--base", default=None, help="git revision of the baseline (default: see above)")
    args = parser.parse_args()
    base = args.base or default_base()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as temporary:
        base_version = Version(f"base ({git('rev-parse', '--short', base)})", Path(temporary) / "base")
        new_version = Version("new (this working tree)", Path(temporary) / "new")
        checkout(base, base_version.directory)
        shutil.copytree(ROOT / "app", new_version.directory / "app", ignore=shutil.ignore_patterns("__pycache__"))
        versions = [base_version, new_version]
        measure(versions, args.runs)
        print_table(versions, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
