"""The pilot's report as a file a champion forwards: one self-contained HTML page (its CSS
and SVG charts inline, no script, readable offline) or the same page as a PDF drawn by
WeasyPrint. The command line and the web both write it here, so both give the same file
and both record the export in the audit log.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from smartmoves.errors import ConfigError
from smartmoves.pathway.act.report import PilotReport, pilot_report, record_download
from smartmoves.pathway.act.report_charts import effect_svg
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

__all__ = ["FORMATS", "render_html", "render_pdf", "report_file", "write_report"]

FORMATS = {".html": "html", ".pdf": "pdf"}
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("smartmoves.pathway.act", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html")


def render_html(report: PilotReport) -> str:
    """The report as one HTML page, its charts inline SVG."""
    from markupsafe import Markup

    charts = {}
    for m in report.metrics:
        drawn = effect_svg(m, report.started_on)
        if drawn:
            # Our own SVG, drawn by vl-convert from our figures: safe to inline.
            charts[m.metric_id] = Markup(drawn)
    head = next((m for m in report.metrics if m.metric_id == report.headline), None)
    html: str = _template().render(r=report, charts=charts, head=head)
    return html


def render_pdf(html: str) -> bytes:
    """The HTML page as a PDF (WeasyPrint, which needs the system's Pango)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: a system library did not load
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            f"a PDF needs WeasyPrint and the system's Pango library ({first}); "
            "write the report as .html instead"
        ) from None
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def report_file(
    settings: Settings,
    account: Account,
    pilot_id: int,
    kind: str,
    *,
    start: dt.date | None = None,
    audited: bool = True,
) -> bytes:
    """The report's bytes as ``kind`` (``html`` or ``pdf``), its export recorded (unless
    ``audited`` is false: a job writing the file the download will record)."""
    if kind not in MEDIA_TYPES:
        raise ConfigError(f"a report is html or pdf, not {kind[:20]!r}")
    report = pilot_report(settings, account, pilot_id, start=start)
    html = render_html(report)
    body = html.encode("utf-8") if kind == "html" else render_pdf(html)
    if audited:
        record_download(settings, account, pilot_id, kind)
    return body


def write_report(
    settings: Settings,
    account: Account,
    pilot_id: int,
    out: Path,
    *,
    start: dt.date | None = None,
) -> Path:
    """Write the report to ``out``: its suffix (.html or .pdf) says which."""
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise ConfigError(f"--out must end in .html or .pdf, not {out.suffix or 'nothing'!r}")
    if not out.parent.is_dir():
        raise ConfigError(f"no folder {out.parent} to write the report in")
    body = report_file(settings, account, pilot_id, kind, start=start)
    out.write_bytes(body)
    return out
