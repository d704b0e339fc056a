"""The generator's word lists: activity catalog and role mixes, topics and texts."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["catalog", "texts"]


@cache
def catalog() -> dict[str, Any]:
    """The activity catalog and role mixes (``activities.json``)."""
    text = resources.files(__package__).joinpath("activities.json").read_text("utf-8")
    return json.loads(text)


@cache
def texts() -> dict[str, Any]:
    """Topics and application texts (``texts.json``)."""
    text = resources.files(__package__).joinpath("texts.json").read_text("utf-8")
    return json.loads(text)
