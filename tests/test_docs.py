"""The docs cover what the product has: every command, setting and contract column."""

from __future__ import annotations

from pathlib import Path

from smartmoves.cli.main import app
from smartmoves.cli.reference import reference_markdown
from smartmoves.data.contracts import CONTRACTS
from smartmoves.pathway.policy import PERMISSIONS, who_may
from smartmoves.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(app), (
        "docs/cli.md is stale: run `python -m smartmoves.cli.reference > docs/cli.md`"
    )


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in text and f"SMARTMOVES_{name.upper()}" in text, name


def test_every_contract_column_is_documented() -> None:
    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for contract in CONTRACTS.values():
        section = text.split(f"### {contract.name}\n", 1)[1].split("\n### ", 1)[0]
        for column in contract.columns:
            assert f"| {column.name} |" in section, (contract.name, column.name)


def test_readme_names_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text


def test_the_policy_table_in_the_docs_is_the_policy() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for action in PERMISSIONS:
        assert f"| `{action}` | {who_may(action)} |" in text, action


def test_every_text_limit_is_documented() -> None:
    from smartmoves.data.readers import CELL_LIMIT
    from smartmoves.pathway import texts

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("## Limits\n", 1)[1].split("\n## ", 1)[0]
    rows = {line for line in section.splitlines() if line.startswith("| ")}
    for field, limit in texts.FIELDS.items():
        assert any(f"`{field}`" in row and row.endswith(f"| {limit:,} |") for row in rows), field
    assert any(row.endswith(f"| {texts.TEXT:,} |") for row in rows)
    assert any(row.endswith(f"| {CELL_LIMIT:,} |") for row in rows)  # an import's cells
