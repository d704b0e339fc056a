"""Reference data shipped with smartmoves, read from the installed package.

``exposure_labels`` gives the labelled O*NET task statements the exposure model learns
from by default (Eloundou, Manning, Mishkin and Rock, "GPTs are GPTs", Science 2024;
released under the MIT license, kept beside the file in ``ONET_EXPOSURE_LICENSE``, with
its attribution in ``ONET_EXPOSURE.md``).
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["EXPOSURE_LABELS", "exposure_labels", "spread_occupations"]

EXPOSURE_LABELS = "onet_exposure.tsv.gz"


def exposure_labels(*, occupations: int | None = None) -> pd.DataFrame:
    """The shipped labelled tasks (every cell as text, as a labels file is read).

    Columns: ``soc_code, occupation, task_id, task, task_type, human_exposure,
    gpt4_exposure, gpt4_automation``. With ``occupations``, only that many occupations,
    spread evenly over the SOC order (see :func:`spread_occupations`): a quick model to
    try things with.

    >>> frame = exposure_labels()
    >>> len(frame), frame["soc_code"].nunique()
    (15493, 741)
    >>> exposure_labels(occupations=20)["soc_code"].nunique()
    20
    """
    with resources.files(__package__).joinpath(EXPOSURE_LABELS).open("rb") as raw:
        frame = pd.read_csv(
            raw, sep="\t", compression="gzip", dtype=str, keep_default_na=False, na_filter=False
        )
    return frame if occupations is None else spread_occupations(frame, occupations)


def spread_occupations(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """The tasks of ``count`` occupations taken at even steps through the SOC order, so
    that every major group is represented in a small sample.

    >>> frame = pd.DataFrame({"soc_code": ["11-1", "11-2", "29-1", "53-1"], "task": list("abcd")})
    >>> spread_occupations(frame, 2)["soc_code"].tolist()
    ['11-1', '29-1']
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    codes = sorted(frame["soc_code"].unique())
    step = max(len(codes) // count, 1)
    keep = set(codes[::step][:count])
    return frame[frame["soc_code"].isin(keep)].reset_index(drop=True)
