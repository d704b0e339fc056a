"""Every bad input is reported as FILE:ROW: column COLUMN: ..., and the store is untouched.

Runs on SQLite and on PostgreSQL (the ``workspace`` fixture is parametrized).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from smartmoves.data.store import db
from smartmoves.data.store.models import Base
from smartmoves.errors import DataError
from smartmoves.pathway.setup.imports import ImportItem, find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import allocations_csv, people_csv, write_org


def snapshot(settings: Settings) -> dict[str, Any]:
    """Every row of every table, and every analytics file's digest."""
    engine = db.engine_for(settings.sqlalchemy_url)
    rows: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            result = conn.execute(sa.select(table)).all()
            rows[table.name] = sorted(repr(tuple(r)) for r in result)
    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(settings.analytics_dir.glob("*"))
    }
    return {"rows": rows, "files": files}


@pytest.fixture
def loaded(workspace: Settings, tmp_path: Path) -> Settings:
    """A workspace with the whole valid organization imported."""
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    return workspace


def _lines(exc: pytest.ExceptionInfo[DataError]) -> list[str]:
    return exc.value.lines()


def _import_one(settings: Settings, tmp_path: Path, table: str, text: str | bytes, suffix=".csv"):
    path = tmp_path / "bad" / f"{table}{suffix}"
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return import_files(settings, [ImportItem(table, path)])


CASES = [
    pytest.param(
        "people",
        people_csv().replace("person_id,unit_id,", "person_id,unit,", 1),
        "people.csv:1: column unit_id: missing required column (expected a column named unit_id)",
        id="missing-required-column",
    ),
    pytest.param(
        "units",
        "unit_id,name\nBANK,Bank\nCC,Contact\nAR,AR\nADV,Advisory\nCC,Again\n",
        "units.csv:6: column unit_id: duplicate unit_id 'CC' (first on row 3)",
        id="duplicate-id",
    ),
    pytest.param(
        "people",
        people_csv().replace("P03,CC,", "P03,NOWHERE,", 1),
        "people.csv:5: column unit_id: unknown unit_id 'NOWHERE' (expected a unit_id from units)",
        id="unknown-unit",
    ),
    pytest.param(
        "allocations",
        allocations_csv() + "P99,A-CALLS,4\n",
        "allocations.csv:50: column person_id: unknown person_id 'P99'",
        id="unknown-person",
    ),
    pytest.param(
        "allocations",
        allocations_csv().replace("P02,A-RECON,10", "P02,A-RECON,-3", 1),
        "allocations.csv:9: column hours_per_week: out of range: -3 (expected a number >= 0)",
        id="negative-hours",
    ),
    pytest.param(
        "allocations",
        allocations_csv().replace("P02,A-RECON,10", "P02,A-RECON,ten", 1),
        "allocations.csv:9: column hours_per_week: not a number: 'ten' (expected a number >= 0)",
        id="non-numeric-hours",
    ),
    pytest.param(
        "allocations",
        allocations_csv().replace("P05,A-RECON,10", "P05,A-RECON,20", 1),
        "allocations.csv:19: column hours_per_week: person P05 has 40 hours in total, over 33",
        id="hours-over-contracted",
    ),
    pytest.param(
        "people",
        people_csv().replace("2019-04-15", "2019-04-31", 1),
        "people.csv:5: column hire_date: not a date: '2019-04-31' (expected a date YYYY-MM-DD)",
        id="unparseable-date",
    ),
    pytest.param(
        "metric_values",
        "metric_id,scope,scope_id,date,value\nRET,unit,AR,01/13/2024,0.6\n",
        "metric_values.csv:2: column date: not a date: '01/13/2024' (expected a date YYYY-MM-DD)",
        id="unparseable-date-analytics",
    ),
    pytest.param(
        "interactions",
        "timestamp,sender_id,recipient_ids\nyesterday,P01,P02\n",
        "interactions.csv:2: column timestamp: not a date-time: 'yesterday'",
        id="unparseable-timestamp",
    ),
    pytest.param(
        "people",
        people_csv().replace("P03,CC,agent,L0,P00,no,40,2019-04-15,excel;credit,4", "P03,CC,agent"),
        "people.csv:5: column level: missing cell: the row has 3 cells, the header 10 "
        "(expected a cell for every column, empty ones too)",
        id="short-row",
    ),
    pytest.param(
        "people",
        people_csv().replace("P03,CC,agent,L0,P00,no,40,", "P03,CC,agent,L0,P00,no,40,,,,,", 1),
        "people.csv:5: the row has 14 cells, the header 10 (expected one cell per column)",
        id="long-row",
    ),
    pytest.param(
        "people",
        people_csv().replace("person_id,unit_id,role,", "person_id,unit_id,unit_id,", 1),
        "people.csv:1: column unit_id: column named twice in the header (expected each name once)",
        id="duplicate-header",
    ),
    pytest.param(
        "interactions",
        "timestamp,sender_id,recipient_ids,channel\n2024-01-02T09:00:00,P01,P02,email\n"
        "2024-01-02T10:00:00,P02,P01\n",
        "interactions.csv:3: column channel: missing cell: the row has 3 cells, the header 4",
        id="short-row-analytics",
    ),
    pytest.param(
        "interactions",
        "timestamp,sender_id,recipient_ids,sender_id\n2024-01-02T09:00:00,P01,P02,P03\n",
        "interactions.csv:1: column sender_id: column named twice in the header",
        id="duplicate-header-analytics",
    ),
    pytest.param("people", "", "people.csv: file is empty", id="empty-file"),
    pytest.param("people", "person_id,unit_id\n", "people.csv: file is empty", id="header-only"),
    pytest.param("interactions", "", "interactions.csv: file is empty", id="empty-file-analytics"),
    pytest.param(
        "units",
        "unit_id,name\nBANK,Banque régionale\n".encode("cp1252") + b"CC,Centre d\xe9appel\n",
        "units.csv: not UTF-8 text at byte",
        id="wrong-encoding",
    ),
    pytest.param(
        "interactions",
        "timestamp,sender_id,recipient_ids\n2024-01-01T09:00,P01,P02\n".encode("utf-16"),
        "interactions.csv: not UTF-8 text",
        id="wrong-encoding-analytics",
    ),
    pytest.param(
        "units",
        "unit_id,name\nBANK,Bank\nCC,Contact\n",
        "units.csv: column unit_id: 2 unit_id(s) still used in people are missing: ADV, AR",
        id="replacing-drops-referenced-ids",
    ),
    pytest.param(
        "units",
        "unit_id,name,parent_id\nBANK,Bank,ADV\nCC,Contact,BANK\nAR,AR,BANK\nADV,Adv,CC\n",
        "column parent_id: parents form a cycle",
        id="unit-cycle",
    ),
]


@pytest.mark.parametrize(("table", "text", "expected"), CASES)
def test_bad_input_is_reported_and_nothing_is_written(
    loaded: Settings, tmp_path: Path, table: str, text: str | bytes, expected: str
) -> None:
    before = snapshot(loaded)
    with pytest.raises(DataError) as caught:
        _import_one(loaded, tmp_path, table, text)
    assert any(line.startswith(expected) or expected in line for line in _lines(caught)), _lines(
        caught
    )
    assert caught.value.exit_code == 2
    assert snapshot(loaded) == before


def test_every_bad_row_of_every_file_is_reported_together(loaded: Settings, tmp_path: Path):
    folder = write_org(
        tmp_path / "broken",
        people=people_csv().replace("P03,CC,", "P03,NOWHERE,").replace("2019-04-15", "x"),
        allocations=allocations_csv().replace("P02,A-RECON,10", "P02,A-RECON,-1"),
    )
    before = snapshot(loaded)
    with pytest.raises(DataError) as caught:
        import_files(loaded, find_table_files(folder))
    lines = _lines(caught)
    assert any(line.startswith("people.csv:5: column unit_id") for line in lines)
    assert any(line.startswith("people.csv:5: column hire_date") for line in lines)
    assert any(line.startswith("allocations.csv:9: column hours_per_week") for line in lines)
    assert snapshot(loaded) == before
