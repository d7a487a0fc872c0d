"""The HTML lead report in a real headless browser: a screenshot must show the four charts drawn.

Debian's chromium renders the page from a file:// URL with the network disabled, and the
screenshot's pixels are checked where the page's fixed layout puts each chart
(app/entrypoints/cli/report_html.py). A page whose charts are missing or broken leaves those
areas blank; a test proves the check notices that. At 100,000 leads the page must still be
under 1 MB (it is mailed) and draw the same charts.
.ci/run installs chromium; the tests skip, saying why, only on a machine without it.
"""

import asyncio
import re
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import pytest
from PIL import Image

from app.application.lead_report import GenerateLeadReport, ReportFilters
from app.domain.lead_scoring import LeadStage
from app.entrypoints.cli import report_html
from app.entrypoints.cli.report_labels import STAGE_COLORS
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from tests.report_memories import NOW, ListedMemoryRepository, many_memories, sample_memories

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
WINDOW = (1280, 2400)
CHART_NAMES = ("score distribution", "leads per stage", "top interests", "new leads per day")
# A drawn chart has thousands of coloured bar pixels; text, axes and grid lines are grey.
MIN_COLOURED_PIXELS = 2_000
SATURATION = 80
MAILABLE_BYTES = 1_000_000
MANY_LEADS = 100_000


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not found (CI installs it in .ci/run: apt-get install chromium)"
)


def screenshot(page: Path, tmp_path: Path) -> Image.Image:
    assert CHROMIUM is not None
    png = tmp_path / f"{page.stem}.png"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        f"--user-data-dir={tmp_path / f'profile-{page.stem}'}", f"--screenshot={png}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}", page.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert png.exists(), f"chromium wrote no screenshot: {result.stderr[-2000:]}"
    return Image.open(png).convert("RGB")


def chart_boxes() -> list[tuple[int, int, int, int]]:
    """Where the fixed layout puts the 2x2 chart grid, left to right, top to bottom."""
    boxes = []
    for index in range(4):
        column, row = index % 2, index // 2
        left = report_html.PAGE_LEFT + column * (report_html.CHART_WIDTH + report_html.CHART_GAP)
        top = report_html.CHARTS_TOP + row * (report_html.CHART_HEIGHT + report_html.CHART_GAP)
        boxes.append((left, top, left + report_html.CHART_WIDTH, top + report_html.CHART_HEIGHT))
    return boxes


def coloured_pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    return [p for p in image.get_flattened_data() if max(p) - min(p) > SATURATION]


def near(pixel: tuple[int, int, int], colour: str, tolerance: int = 24) -> bool:
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))


@pytest.fixture
def page_html(tmp_path) -> str:
    repository = JsonUserMemoryRepository(tmp_path / "memory")
    for memory in sample_memories():
        asyncio.run(repository.save_user_memory(memory))
    names = {course.id: course.name for course in load_catalog(bundled_catalog_path())}
    source = JsonLeadReportSource(repository, names, "memoria JSON de prueba")
    report = asyncio.run(GenerateLeadReport(source, lambda: NOW).execute(ReportFilters(), UTC, "UTC"))
    return report_html.render_html(report, UTC, show_phones=False)


def assert_charts_drawn(image: Image.Image) -> None:
    assert image.size == WINDOW
    for name, box in zip(CHART_NAMES, chart_boxes(), strict=True):
        coloured = coloured_pixels(image.crop(box))
        assert len(coloured) >= MIN_COLOURED_PIXELS, f"{name} chart not drawn ({len(coloured)} coloured pixels)"


def test_the_page_draws_its_four_charts_in_a_real_browser(page_html, tmp_path):
    page = tmp_path / "informe.html"
    page.write_text(page_html, encoding="utf-8")
    image = screenshot(page, tmp_path)
    assert_charts_drawn(image)
    # The stage chart uses each stage's colour for its bar (no lead is "caliente" in this data).
    stage_pixels = coloured_pixels(image.crop(chart_boxes()[1]))
    for stage in (LeadStage.FRIO, LeadStage.TIBIO, LeadStage.LISTO):
        assert sum(1 for p in stage_pixels if near(p, STAGE_COLORS[stage])) > 500, f"no {stage.value} bar"


def test_a_page_whose_charts_fail_to_render_fails_the_check(page_html, tmp_path):
    broken = tmp_path / "roto.html"
    without_bars = re.sub(r'<rect class="bar"[^>]*>', '<rect class="bar" display="none">', page_html)
    assert without_bars != page_html
    broken.write_text(without_bars, encoding="utf-8")
    image = screenshot(broken, tmp_path)
    for box in chart_boxes():
        assert len(coloured_pixels(image.crop(box))) < MIN_COLOURED_PIXELS


def test_the_report_of_100000_leads_is_a_mailable_page_with_its_charts(tmp_path):
    source = JsonLeadReportSource(ListedMemoryRepository(list(many_memories(MANY_LEADS))), {}, "memoria de prueba")
    report = asyncio.run(GenerateLeadReport(source, lambda: NOW).execute(ReportFilters(), UTC, "UTC"))
    assert report.totals.users == MANY_LEADS
    page = tmp_path / "informe-grande.html"
    page.write_text(report_html.render_html(report, UTC, show_phones=False), encoding="utf-8")
    assert page.stat().st_size < MAILABLE_BYTES
    assert_charts_drawn(screenshot(page, tmp_path))
