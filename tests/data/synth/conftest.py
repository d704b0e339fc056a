"""One small synthetic bank, written once per session and read by the synth tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from smartmoves.data.synth import SynthSummary, synthesize_bank

PEOPLE, WEEKS, SEED = 300, 8, 7


@dataclass
class Bank:
    folder: Path
    summary: SynthSummary
    truth: dict[str, Any]

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.folder / f"{name}.csv", dtype=str, keep_default_na=False)

    def interactions(self) -> pd.DataFrame:
        return pq.read_table(self.folder / "interactions.parquet").to_pandas()


def load(folder: Path, summary: SynthSummary) -> Bank:
    return Bank(folder, summary, json.loads((folder / "truth.json").read_text("utf-8")))


@pytest.fixture(scope="session")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    folder = tmp_path_factory.mktemp("bank")
    return load(folder, synthesize_bank(folder, people=PEOPLE, weeks=WEEKS, seed=SEED))


@pytest.fixture(scope="session")
def long_bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    """A year of history and few events: enough weeks to estimate metric drivers."""
    folder = tmp_path_factory.mktemp("long_bank")
    summary = synthesize_bank(folder, people=400, weeks=104, seed=3, events_per_person_week=1)
    return load(folder, summary)
