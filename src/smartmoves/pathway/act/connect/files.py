"""The collaboration network of files (``smartmoves network analyze --interactions FILE``),
and its tables written for the user to take away.

The interactions are checked against their contract first, so a bad cell is reported by
file, row and column.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from smartmoves.data.analytics import build_ties, ties_and_topics
from smartmoves.data.analytics.exports import write_tables as write_frames
from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.imports.events import stage_events
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import org
from smartmoves.data.validate import validate_table
from smartmoves.engines.network import NetworkAnalysis, analyze_network
from smartmoves.errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa
from smartmoves.pathway.act.connect.analysis import NetworkOptions
from smartmoves.pathway.jobs import Progress, no_progress

__all__ = ["UNKNOWN_UNIT", "analyze_files", "write_tables"]

UNKNOWN_UNIT = "(unknown)"


def _people_file(path: Path) -> pd.DataFrame:
    # Units and managers are not checked: one part of an organization is enough here.
    contract = dataclasses.replace(CONTRACTS["people"], references=())
    return org.spread_attributes(validate_table(read_text_table(path), contract).frame)


def _ties_and_topics(
    source: str | Path, options: NetworkOptions
) -> tuple[pa.Table, pd.DataFrame | None]:
    """The ties, and who talked about what when the events have a topic column."""
    engine, since, until = options.engine, options.since, options.until
    try:
        ties, topics = ties_and_topics(
            source, backend=engine, since=since, until=until, as_arrow=True
        )
    except DataError:  # no topic column: communities simply have no top topics
        return build_ties(source, backend=engine, since=since, until=until, as_arrow=True), None
    return ties, topics.to_pandas()


def analyze_files(
    interactions: Path,
    people: Path | None,
    options: NetworkOptions,
    progress: Progress | None = None,
) -> NetworkAnalysis:
    """The analysis of an interactions file (or folder, or glob) and a people file.

    Without a people file every id of the interactions counts as a person of one
    unknown unit, so there are no external contacts and no unit figures to speak of.
    ``progress(stage, done, total)`` hears how far along it is (total 0: open-ended).

    Raises
    ------
    DataError
        A bad cell of either file (file, row, column), or an unreadable file.
    """
    options.check()
    step = progress or no_progress
    step("checking the files", 0, 0)
    people_frame = _people_file(people) if people is not None else None
    with tempfile.TemporaryDirectory(prefix="smartmoves-network-") as tmp:
        source: str | Path = interactions
        if Path(interactions).is_file():
            # Check every cell against the contract; analyze the checked copy.
            known = {"people": set(people_frame["person_id"])} if people_frame is not None else {}
            staged = stage_events(
                CONTRACTS["interactions"],
                interactions,
                Path(tmp) / "interactions.parquet",
                known=known,
            )
            source = staged.path
        step("ties and topics from the interactions", 0, 0)
        ties, topics = _ties_and_topics(source, options)
    if people_frame is None:
        import pyarrow as pa
        import pyarrow.compute as pc

        ends = pa.chunked_array([*ties.column("person_a").chunks, *ties.column("person_b").chunks])
        ids = sorted(pc.unique(ends).to_pylist())
        people_frame = pd.DataFrame({"person_id": ids, "unit_id": UNKNOWN_UNIT})
    return analyze_network(
        ties,
        people_frame,
        topics=topics,
        min_group_size=options.min_group_size,
        seed=options.seed,
        progress=progress,
    )


def write_tables(analysis: NetworkAnalysis, folder: Path) -> list[Path]:
    """Write every table as Parquet and CSV, and the parameters and summary as JSON."""
    data = analysis.to_dict()
    frames = {
        name: getattr(analysis, name)
        for name in ("people", "units", "brokers", "communities", "unit_matrix")
    }
    document = {"parameters": data["parameters"], "summary": data["summary"]}
    return write_frames(folder, frames, document)
