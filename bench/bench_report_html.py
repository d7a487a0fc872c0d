"""Benchmark: the HTML report's file size and the report command's peak memory, before and after.

    .venv/bin/python bench/bench_report_html.py
    .venv/bin/python bench/bench_report_html.py --leads 100000 --baseline eac3b52

"Before" is the page renderer as it was at --baseline (plotly, its JavaScript inlined), read
from git and loaded in place of today's (the static SVG charts); everything else is today's
code, so the figures differ by the renderer alone. Printed side by side, in one run:

- the page's size for the hand-made leads of the tests and for --leads synthetic leads
  (tests/report_memories.py's many_memories, through the JSON report source);
- `python -m app report --html` in a fresh process on a JSON data directory of the hand-made
  leads: its peak RSS (the child's VmHWM) and wall time.

The baseline renderer needs plotly installed; when it is not, the "before" column says so.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.application.lead_report import GenerateLeadReport, LeadReport, ReportFilters  # noqa: E402
from app.entrypoints.cli import report_html  # noqa: E402
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource  # noqa: E402
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository  # noqa: E402
from tests.report_memories import NOW, ListedMemoryRepository, many_memories, sample_memories  # noqa: E402

RENDERER = "app/entrypoints/cli/report_html.py"
DEFAULT_BASELINE = "eac3b52"  # the last commit with the plotly page

# Run in the child: put the chosen renderer in place, then the real command.
CHILD = """
import importlib.util, sys, time
renderer, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
if renderer != "-":
    spec = importlib.util.spec_from_file_location("app.entrypoints.cli.report_html", renderer)
    module = importlib.util.module_from_spec(spec)
    sys.modules["app.entrypoints.cli.report_html"] = module
    spec.loader.exec_module(module)
from app.entrypoints.cli.main import main
code = main(argv)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
peak_kb = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"RESULT {code} {peak_kb} {time.perf_counter() - started}")
"""


def baseline_renderer(revision: str, directory: Path) -> Path | None:
    source = subprocess.run(
        ["git", "show", f"{revision}:{RENDERER}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if source.returncode != 0:
        print(f"baseline {revision}: {source.stderr.strip()}")
        return None
    path = directory / "report_html_baseline.py"
    path.write_text(source.stdout, encoding="utf-8")
    return path


def load_renderer(path: Path) -> ModuleType | None:
    spec = importlib.util.spec_from_file_location("report_html_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ImportError as error:
        print(f"baseline renderer not loadable: {error}")
        return None
    return module


def report_of(repository: JsonUserMemoryRepository) -> LeadReport:
    source = JsonLeadReportSource(repository, {}, "benchmark")
    return asyncio.run(GenerateLeadReport(source, lambda: NOW).execute(ReportFilters(), UTC, "UTC"))


def page_bytes(renderer: ModuleType | None, report: LeadReport) -> str:
    if renderer is None:
        return "n/a"
    return f"{len(renderer.render_html(report, UTC, show_phones=False).encode()):,}"


def command_figures(renderer: Path | None, data_dir: Path, out: Path) -> tuple[str, str]:
    """Peak RSS (MB) and wall time (s) of `report --html` in a fresh process."""
    if renderer is None:
        return "n/a", "n/a"
    env = {"DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    argv = ["report", "--html", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(renderer), *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        return "failed", result.stderr[-300:]
    _, code, rss_kb, seconds = line.split()
    assert code == "0", result.stderr[-500:]
    return f"{int(rss_kb) / 1024:.0f} MB", f"{float(seconds):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision of the 'before' renderer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        directory = Path(work)
        before_path = baseline_renderer(args.baseline, directory)
        before = load_renderer(before_path) if before_path else None
        memory = JsonUserMemoryRepository(directory / "data" / "memory")
        for item in sample_memories():
            asyncio.run(memory.save_user_memory(item))
        small = report_of(memory)
        started = time.perf_counter()
        large = report_of(ListedMemoryRepository(list(many_memories(args.leads))))
        print(f"report of {args.leads:,} synthetic leads built in {time.perf_counter() - started:.1f} s")
        rows = [
            ("page, 10 hand-made leads (bytes)", page_bytes(before, small), page_bytes(report_html, small)),
            (f"page, {args.leads:,} leads (bytes)", page_bytes(before, large), page_bytes(report_html, large)),
        ]
        before_rss, before_time = command_figures(before_path, directory / "data", directory / "before.html")
        after_rss, after_time = command_figures(Path("-"), directory / "data", directory / "after.html")
        rows.append(("`report --html` process, peak RSS", before_rss, after_rss))
        rows.append(("`report --html` process, wall time", before_time, after_time))
    print(f"\n| measure | before ({args.baseline}, plotly) | after (SVG) |\n|---|---|---|")
    for name, old, new in rows:
        print(f"| {name} | {old} | {new} |")
    print(f"\n(this process peaked at {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
