"""How a workspace keeps its network analysis: as a bundle of the analytics store
(Parquet frames and a JSON document, :mod:`smartmoves.data.analytics.bundles`), so pages
read it back in a fraction of a second and nothing is ever unpickled.

The analysis' frames are kept as they are; its coded graph as three frames (people,
units, ties); its parameters, summary and counts in the JSON document.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.analytics.bundles import read_bundle, write_bundle
from smartmoves.engines._common import json_ready
from smartmoves.engines.network import NetworkAnalysis
from smartmoves.engines.network._ties import TieGraph

__all__ = ["BUNDLE_VERSION", "Stored", "load_analysis", "save_analysis"]

# Bump when what a bundle holds changes: an older bundle is then recomputed, not read.
BUNDLE_VERSION = 3
Stored = tuple[NetworkAnalysis, pd.DataFrame, pd.DataFrame | None]


def _graph_frames(graph: TieGraph) -> dict[str, pd.DataFrame]:
    return {
        "graph_people": pd.DataFrame(
            {
                "person_id": graph.person_ids,
                "unit_of": graph.unit_of,
                "external_contacts": graph.external_contacts,
            }
        ),
        "graph_units": pd.DataFrame({"unit_id": graph.unit_ids}),
        "graph_ties": pd.DataFrame(
            {"a": graph.a, "b": graph.b, "weight": graph.weight, "reciprocal": graph.reciprocal}
        ),
    }


def _graph(frames: dict[str, pd.DataFrame], counts: dict[str, int]) -> TieGraph:
    people, ties = frames["graph_people"], frames["graph_ties"]
    return TieGraph(
        person_ids=people["person_id"].to_numpy(dtype=object),
        unit_ids=frames["graph_units"]["unit_id"].to_numpy(dtype=object),
        unit_of=people["unit_of"].to_numpy(),
        a=ties["a"].to_numpy(),
        b=ties["b"].to_numpy(),
        weight=ties["weight"].to_numpy(dtype=np.float64),
        reciprocal=ties["reciprocal"].to_numpy(dtype=bool),
        external_contacts=people["external_contacts"].to_numpy(),
        counts=dict(counts),
    )


def save_analysis(folder: Path, stored: Stored) -> None:
    """Keep ``(analysis, topics, recent topics)`` in ``folder``, replacing what was there."""
    analysis, topics, recent = stored
    frames: dict[str, pd.DataFrame] = {"topics": topics}
    meta: dict[str, Any] = {"version": BUNDLE_VERSION, "recent": recent is not None}
    if recent is not None:
        frames["recent_topics"] = recent
    fields: dict[str, str] = {}
    for field in dataclasses.fields(analysis):
        value = getattr(analysis, field.name)
        if isinstance(value, pd.DataFrame):
            frames[field.name], fields[field.name] = value, "frame"
        elif isinstance(value, TieGraph):
            frames |= _graph_frames(value)
            meta["graph_counts"], fields[field.name] = json_ready(value.counts), "graph"
        else:
            meta[field.name], fields[field.name] = json_ready(value), "json"
    meta["fields"] = fields
    write_bundle(folder, frames, meta)


def load_analysis(folder: Path) -> Stored | None:
    """The analysis kept in ``folder``, or ``None`` (none, damaged, or an older version)."""
    found = read_bundle(folder)
    if found is None:
        return None
    frames, meta = found
    if meta.get("version") != BUNDLE_VERSION:
        return None
    try:
        values: dict[str, Any] = {}
        for name, how in meta["fields"].items():
            if how == "frame":
                values[name] = frames[name]
            elif how == "graph":
                values[name] = _graph(frames, meta["graph_counts"])
            else:
                values[name] = meta[name]
        analysis = NetworkAnalysis(**values)
    except (KeyError, TypeError, ValueError):
        return None
    return analysis, frames["topics"], frames.get("recent_topics") if meta["recent"] else None
