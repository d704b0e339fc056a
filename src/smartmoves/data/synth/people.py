"""People's attributes: tenure, level, hours, background, skills, readiness.

These are the columns a workgroup former can use for diversity (``prior_industry``,
``education_field``, ``skills``, ``age_band``, tenure from ``hire_date``, ``location``)
and the entry-point factors that live on people (``improvement_experience``: prior lean
or quality-circle experience; ``change_readiness``: a 1-5 survey score, read for
supervisors as "motivated frontline supervisors").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.synth.catalog import catalog
from smartmoves.data.synth.spec import START, UNITS

__all__ = ["draw_choice", "people_frame"]

_INDUSTRIES = (
    "banking",
    "retail",
    "hospitality",
    "accounting",
    "technology",
    "public sector",
    "insurance",
    "telecoms",
    "education",
    "healthcare",
    "logistics",
)
_INDUSTRY_BOOST = {
    "BR": {"banking": 4, "retail": 3, "hospitality": 2},
    "CC": {"retail": 3, "hospitality": 3, "telecoms": 3},
    "COL": {"banking": 3, "accounting": 2, "telecoms": 1, "retail": 1},
    "PAY": {"banking": 4, "accounting": 2, "logistics": 1},
    "FPA": {"accounting": 4, "banking": 2},
    "UW": {"banking": 4, "insurance": 2, "accounting": 2},
    "ITO": {"technology": 5, "telecoms": 2},
    "HR": {"public sector": 2, "education": 2, "retail": 1},
    "SBA": {"accounting": 2, "retail": 2, "banking": 2, "public sector": 1},
    "EXEC": {"banking": 4},
}
_EDUCATION = (
    "business",
    "finance & accounting",
    "economics",
    "computer science",
    "humanities",
    "social sciences",
    "law",
    "mathematics & statistics",
    "vocational",
    "secondary school",
)
_EDUCATION_BOOST = {
    "COL": {"finance & accounting": 2, "business": 2},
    "ITO": {"computer science": 4},
    "FPA": {"finance & accounting": 4, "economics": 2},
}
_GENERIC_SKILLS = (
    "Excel",
    "problem solving",
    "data analysis",
    "SQL",
    "process improvement",
    "negotiation",
    "presentation",
    "Spanish",
    "project management",
    "Python",
    "storytelling",
    "customer empathy",
)
_AGE_BANDS = ("under 25", "25-34", "35-44", "45-54", "55+")
_SENIOR_ROLES = (
    "Senior agent",
    "Senior underwriter",
    "Finance business partner",
    "Payments controller",
)


def draw_choice(
    rng: np.random.Generator, options: tuple[str, ...], weights: np.ndarray, n: int
) -> np.ndarray:
    """``n`` draws from ``options`` with relative ``weights``."""
    return np.asarray(options, dtype=object)[
        rng.choice(len(options), size=n, p=weights / weights.sum())
    ]


def _boosted(options: tuple[str, ...], boost: dict[str, int]) -> np.ndarray:
    return np.array([0.6 + boost.get(o, 0) for o in options])


def people_frame(
    people: int,
    rng: np.random.Generator,
    unit_rows: list[tuple[Any, ...]],
    unit_of: np.ndarray,
    family: np.ndarray,
    role: np.ndarray,
    rank: np.ndarray,
    manager: np.ndarray,
) -> pd.DataFrame:
    """The people table: ids, hierarchy and the attributes usable for diversity."""
    width = max(6, len(str(people)))
    ids = np.array([f"P{i:0{width}d}" for i in range(1, people + 1)], dtype=object)
    specs = {u.unit_id: u for u in UNITS}
    unit_ids = np.array([r[0] for r in unit_rows], dtype=object)
    per_row = [specs.get(r[0]) for r in unit_rows]
    tenure_mean = np.array([s.tenure_years if s else 14.0 for s in per_row])[unit_of]
    tenure = rng.gamma(2.0, tenure_mean / 2.0) + np.where(rank > 0, 3.0, 0.0)
    tenure = np.minimum(tenure, 40.0)
    hire = pd.Timestamp(START) - pd.to_timedelta(np.round(tenure * 365.25), unit="D")
    age = np.minimum(21 + tenure + rng.gamma(2.0, 4.5, people), 66)
    band = np.digitize(age, [25, 35, 45, 55])
    level = np.where(tenure < 2, 1, np.where(tenure < 6, 2, 3))
    level = np.minimum(level + np.isin(role, _SENIOR_ROLES), 3)
    level = np.where(rank > 0, rank + 3, level)
    part_share = np.array([s.part_time if s else 0.0 for s in per_row])[unit_of]
    part = (rng.random(people) < part_share) & (rank == 0)
    hours = np.where(part, np.where(rng.random(people) < 0.6, 30.0, 20.0), 40.0)
    improvement = np.array([s.improvement if s else 0.3 for s in per_row])[unit_of]
    readiness_mean = np.array([s.readiness if s else 3.8 for s in per_row])[unit_of]
    readiness = rng.normal(readiness_mean, np.where(rank > 0, 0.4, 0.55))
    industry = np.empty(people, dtype=object)
    education = np.empty(people, dtype=object)
    skills = np.empty(people, dtype=object)
    for fam in np.unique(family):
        mask = family == fam
        m = int(mask.sum())
        industry[mask] = draw_choice(
            rng, _INDUSTRIES, _boosted(_INDUSTRIES, _INDUSTRY_BOOST[fam]), m
        )
        boost = _EDUCATION_BOOST.get(fam, {"business": 1})
        education[mask] = draw_choice(rng, _EDUCATION, _boosted(_EDUCATION, boost), m)
        skills[mask] = _skills(rng, fam, m)
    return pd.DataFrame(
        {
            "person_id": ids,
            "unit_id": unit_ids[unit_of],
            "role": role,
            "level": np.char.add("L", level.astype(str)).astype(object),
            "manager_id": np.where(manager >= 0, ids[np.maximum(manager, 0)], ""),
            "is_supervisor": np.where(rank > 0, "true", "false"),
            "contracted_hours": hours,
            "hire_date": hire.strftime("%Y-%m-%d"),
            "age_band": np.asarray(_AGE_BANDS, dtype=object)[band],
            "prior_industry": industry,
            "education_field": education,
            "skills": skills,
            "improvement_experience": np.where(rng.random(people) < improvement, "true", "false"),
            "change_readiness": np.round(np.clip(readiness, 1.0, 5.0), 1),
        }
    )


def _skills(rng: np.random.Generator, fam: str, m: int) -> np.ndarray:
    """Three skills per person: two from the unit's own work, one general."""
    roles = catalog()["roles"][fam]
    acts = {a for r in roles for a in r["mix"]}
    own = sorted({a["skill"] for a in catalog()["activities"] if a["id"] in acts})
    pick_own = np.argsort(rng.random((m, len(own))), axis=1)[:, :2]
    pick_gen = rng.integers(0, len(_GENERIC_SKILLS), m)
    own_arr = np.asarray(own, dtype=object)
    gen_arr = np.asarray(_GENERIC_SKILLS, dtype=object)
    first, second = own_arr[pick_own[:, 0]], own_arr[pick_own[:, 1]]
    for _ in range(2):  # a general skill the unit's work already gave: take the next one
        clash = (gen_arr[pick_gen] == first) | (gen_arr[pick_gen] == second)
        pick_gen = np.where(clash, (pick_gen + 1) % len(gen_arr), pick_gen)
    third = gen_arr[pick_gen]
    return np.array([f"{a};{b};{c}" for a, b, c in zip(first, second, third, strict=True)])
