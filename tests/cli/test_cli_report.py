"""``smartmoves report`` on the demo: an HTML page with its charts inline, a PDF, and one
line with exit code 2 for a bad suffix, a bad date or an unknown pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app

from demoworkspace import Demo, small_demo

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return small_demo(tmp_path_factory.getbasetemp() / "report-demo")


def _report(demo: Demo, *args: str) -> object:
    start = demo.truth["pilot_effect"]["start_date"]
    return runner.invoke(
        app, ["report", "--pilot", "1", "--start", start, "-w", str(demo.folder), *args]
    )


def test_report_writes_html_with_svg_charts_and_a_pdf(demo: Demo, tmp_path: Path) -> None:
    html, pdf = tmp_path / "pilot.html", tmp_path / "pilot.PDF"
    first = _report(demo, "--out", str(html))
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "<script" not in text
    assert "Where the pilot started, and why" in text and "Flags to discuss" in text
    second = _report(demo, "--out", str(pdf))
    assert second.exit_code == 0, second.output  # type: ignore[attr-defined]
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "pilot.docx"], "must end in .html or .pdf"),
        (["--out", "pilot.html", "--start", "last week"], "is not a date"),
        (["--out", "missing-folder/pilot.html"], "no folder"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    demo: Demo, tmp_path: Path, args: list[str], words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _report(demo, *args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    lines = result.output.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and words in lines[0]


def test_an_unknown_pilot_exits_2(demo: Demo, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", "--pilot", "99", "--out", str(tmp_path / "r.html"), "-w", str(demo.folder)]
    )
    assert result.exit_code == 2 and "no pilot 99" in result.output
