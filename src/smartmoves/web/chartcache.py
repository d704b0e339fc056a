"""Chart specs kept by what they show.

Building a Vega-Lite spec with Altair takes 20-40 ms, more than the rest of the page
once its view is kept (docs/architecture.md, "Where the time goes"); the same figures
come back on every view of a page until the data changes. So a chart is built once per
content: the key is its rows as JSON (a millisecond), never an object's identity.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["kept_chart"]

F = TypeVar("F", bound=Callable[..., Any])
SIZE = 256  # specs are a few kB: every unit's page of a large organization fits


class _NoKey(Exception):
    """An argument whose content cannot be told: that chart is built, not kept."""


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise _NoKey(type(value).__name__)


def kept_chart(build: F) -> F:
    """``build`` (a chart function of rows), answering a spec already built for the
    same arguments from memory. A spec is read only (rendered as JSON), never changed."""
    specs: OrderedDict[str, Any] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(build)
    def chart(*args: Any, **kwargs: Any) -> Any:
        try:
            key = json.dumps([_plain(args), _plain(kwargs)], sort_keys=True)
        except (_NoKey, TypeError, ValueError):
            return build(*args, **kwargs)
        with lock:
            if key in specs:
                specs.move_to_end(key)
                return specs[key]
        spec = build(*args, **kwargs)
        with lock:
            specs[key] = spec
            while len(specs) > SIZE:
                specs.popitem(last=False)
        return spec

    return chart  # type: ignore[return-value]
