"""People's fields as a page names them: "Supervisor: no", not ``is_supervisor: False``.

The people file keeps any column an organization adds, so a label is made from the
column's name when the product does not know it; yes/no columns read as yes and no.

>>> field_label("is_supervisor"), field_label("prior_industry"), field_value("False")
('Supervisor', 'Prior industry', 'no')
"""

from __future__ import annotations

from typing import Any

__all__ = ["field_label", "field_value"]

LABELS = {
    "age_band": "Age",
    "change_readiness": "Readiness for change",
    "contracted_hours": "Contracted hours",
    "education_field": "Education",
    "hire_date": "Hired",
    "improvement_experience": "Has improvement experience",
    "is_supervisor": "Supervisor",
    "level": "Level",
    "location": "Location",
    "role": "Role",
    "team_id": "Team",
    "unit_id": "Unit",
}
YES, NO = {"true", "yes"}, {"false", "no"}


def field_label(column: str) -> str:
    """The words for a people column."""
    if column in LABELS:
        return LABELS[column]
    words = column.removeprefix("is_").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def field_value(value: Any) -> str:
    """A value as a page shows it: yes/no for truth values, the text otherwise."""
    text = str(value)
    if text.lower() in YES:
        return "yes"
    return "no" if text.lower() in NO else text
