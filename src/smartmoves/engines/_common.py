"""What every engine result shares: a JSON-ready ``to_dict`` and a ``to_frame``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.errors import ConfigError, DataError

__all__ = ["MAX_SEED", "EngineResult", "check_seed", "json_ready", "require_columns"]

# CP-SAT reads its random seed as a 32-bit signed integer, and several engines hand their
# seed to it (sklearn's RandomState would take up to 2**32 - 1, numpy any size).
MAX_SEED = 2**31 - 1


def json_ready(value: Any) -> Any:
    """Turn numpy, pandas and dataclass values into plain JSON types.

    NaN and infinities become ``None`` because JSON has no spelling for them and a
    missing figure is what they mean in our results.

    >>> json_ready({"a": np.int64(3), "b": [np.float64("nan"), 1.5]})
    {'a': 3, 'b': [None, 1.5]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_ready(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [json_ready(r) for r in value.to_dict(orient="records")]
    if isinstance(value, np.ndarray | pd.Series):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, list | tuple | set | frozenset):
        return [json_ready(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return value.isoformat()
    return value


class EngineResult:
    """Mixin for frozen result dataclasses.

    Subclasses are ``@dataclass(frozen=True)``; they override :meth:`to_frame` with the
    table a user would most want to see (one row per person, per group...).
    """

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON types, with stable keys (the dataclass fields)."""
        out = json_ready(self)
        assert isinstance(out, dict)
        return out

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every engine overrides it
        raise NotImplementedError


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, what: str) -> None:
    """Fail with one clear line when ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{what} lacks column(s) {', '.join(missing)}")


def check_seed(seed: object) -> int:
    """``seed`` as an int, or a :class:`ConfigError` when it cannot seed every engine alike.

    A seed is a whole number from 0 to :data:`MAX_SEED`. ``None`` is refused too: it
    would draw fresh entropy and break "the same seed gives the same result".

    >>> check_seed(np.int64(7))
    7
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    smartmoves.errors.ConfigError: seed must be a whole number >= 0, not -1
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ConfigError(f"seed must be a whole number >= 0, not {seed!r}")
    if seed > MAX_SEED:
        raise ConfigError(f"seed must be at most {MAX_SEED} (the solvers' limit), not {seed}")
    return int(seed)
