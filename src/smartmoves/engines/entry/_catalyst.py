"""Is this the moment, and is this the person? The seeds' catalyst questions and the
champion's profile, judged with reasons.

A catalyst is good when all four questions are answered yes: we must break from the
status quo, it is urgent now, we must think beyond optimization (toward value and
meaning), and a pilot group can be freed to do redefined work full time. A catalyst that
mainly calls for optimization or controls is poor: it asks for tighter routines, which
redefining work loosens. A reorganization or merger draws attention away from a pilot;
a compelling opportunity lets the organization skip ahead to workgroups.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

from smartmoves.engines._common import EngineResult
from smartmoves.errors import ConfigError

__all__ = [
    "CATALYST_TYPES",
    "QUESTIONS",
    "CatalystVerdict",
    "ChampionVerdict",
    "judge_catalyst",
    "judge_champion",
]

CATALYST_TYPES = (
    "market_pressure",
    "skills_gap",
    "technology_change",
    "automation_program",
    "reorganization_or_merger",
    "compelling_opportunity",
    "other",
)
QUESTIONS = {
    "break_status_quo": "must we break from the status quo?",
    "urgent_now": "is it urgent to act now?",
    "beyond_optimization": "must we think beyond optimization, toward value and meaning?",
    "pilot_can_be_freed": "can a pilot group be freed to do redefined work full time?",
}


@dataclass(frozen=True)
class CatalystVerdict(EngineResult):
    verdict: Literal["good", "weak", "poor", "undecided"]
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    may_skip_to_workgroups: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per reason or warning."""
        rows = [("reason", r) for r in self.reasons] + [("warning", w) for w in self.warnings]
        return pd.DataFrame(rows, columns=["kind", "text"])


def judge_catalyst(
    kind: str,
    answers: Mapping[str, bool | None],
    *,
    evidence: Mapping[str, str] | None = None,
    mainly_controls: bool = False,
) -> CatalystVerdict:
    """Judge a catalyst of type ``kind`` from its answers to :data:`QUESTIONS`.

    >>> judge_catalyst("market_pressure", dict.fromkeys(QUESTIONS, True)).verdict
    'good'
    >>> poor = judge_catalyst("other", {**dict.fromkeys(QUESTIONS, True),
    ...                                 "beyond_optimization": False})
    >>> poor.verdict, poor.reasons[0]
    ('poor', 'it calls for optimization, not for redefining work: a poor catalyst')
    """
    if kind not in CATALYST_TYPES:
        raise ConfigError(f"unknown catalyst type {kind!r}; one of {', '.join(CATALYST_TYPES)}")
    unknown = sorted(set(answers) - set(QUESTIONS))
    if unknown:
        raise ConfigError(f"unknown question {unknown[0]!r}; the questions: {', '.join(QUESTIONS)}")
    notes = evidence or {}
    reasons: list[str] = []
    warnings: list[str] = []
    if answers.get("beyond_optimization") is False:
        reasons.append("it calls for optimization, not for redefining work: a poor catalyst")
    if mainly_controls:
        reasons.append(
            "it mainly calls for controls, which redefining work loosens: a poor catalyst"
        )
    if answers.get("break_status_quo") is False:
        reasons.append("nothing forces a break from the status quo")
    if answers.get("urgent_now") is False:
        reasons.append("it is not urgent now: the pilot would compete with what is")
    if answers.get("pilot_can_be_freed") is False:
        reasons.append("no pilot group can be freed full time yet: free capacity first")
    open_ = [q for q in QUESTIONS if answers.get(q) is None]
    if kind == "reorganization_or_merger":
        warnings.append("a reorganization or merger draws attention away from a pilot")
    for q in QUESTIONS:
        if answers.get(q) is True and not (notes.get(q) or "").strip():
            warnings.append(f"answered yes without evidence: {QUESTIONS[q]}")
    poor = answers.get("beyond_optimization") is False or mainly_controls
    if poor:
        verdict: Literal["good", "weak", "poor", "undecided"] = "poor"
    elif reasons:
        verdict = "weak"
    elif open_:
        verdict = "undecided"
        reasons.append("not answered yet: " + "; ".join(QUESTIONS[q] for q in open_))
    else:
        verdict = "good"
        reasons.append("all four questions answered yes")
    skip = kind == "compelling_opportunity" and verdict == "good"
    if skip:
        reasons.append("a compelling opportunity: the organization may skip ahead to workgroups")
    return CatalystVerdict(verdict, reasons, warnings, skip)


@dataclass(frozen=True)
class ChampionVerdict(EngineResult):
    ready: bool
    warnings: list[str] = field(default_factory=list)
    vision_names: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per warning."""
        return pd.DataFrame({"warning": self.warnings})


# What a vision statement must name for the frontline: who, what they gain, and soon.
_VISION = {
    "the frontline": r"frontline|front-line|front line|employees?|staff|colleagues|"
    r"teams?|people|everyone|you|our agents|collectors|bankers|advisers|advisors",
    "a benefit for them": r"free[ds]?|freeing|time|less routine|fewer manual|new skills?|"
    r"learn\w*|grow\w*|careers?|meaningful|better work|more interesting|no job losses|"
    r"keep (?:their|your) jobs?|development|training|reskill\w*|upskill\w*",
    "the near term": r"now|today|this (?:year|quarter|month)|next (?:month|quarter)|"
    r"within \w+ (?:weeks?|months?)|first|soon|immediately|from day one|in \w+ (?:weeks|months)",
}


def judge_champion(
    *,
    c_level: bool | None,
    conviction: bool | None,
    communicates: bool | None,
    air_cover: bool | None,
    area_unit_id: str | None,
    vision: str,
) -> ChampionVerdict:
    """Check a champion against the seeds: C-level, convinced, committed to communicate
    and give air cover, with an area they control or influence, and a vision statement
    that names near-term benefits for the frontline (without it, automation reads as a
    threat: in the seeds' finance example the best people left).

    >>> judge_champion(c_level=True, conviction=True, communicates=True, air_cover=True,
    ...     area_unit_id="D-FIN", vision="Within six months our collectors are freed "
    ...     "from routine reconciliations to work on what customers need.").ready
    True
    """
    warnings: list[str] = []
    if c_level is False:
        warnings.append("not at C-level: a champion below it rarely has the power to free people")
    for value, words in (
        (c_level, "the champion's level"),
        (conviction, "whether they are convinced that redefining work is the answer"),
        (communicates, "whether they commit to communicate"),
        (air_cover, "whether they commit to give air cover"),
    ):
        if value is None:
            warnings.append(f"not recorded: {words}")
    if conviction is False:
        warnings.append("not convinced that redefining work is the answer")
    if communicates is False:
        warnings.append("no commitment to communicate the pilot")
    if air_cover is False:
        warnings.append("no commitment to give the pilot air cover")
    if not area_unit_id:
        warnings.append("no area the champion controls or influences: where could they help?")
    text = vision.lower()
    names = {
        part: sorted({m.group(0) for m in re.finditer(rf"\b(?:{pattern})\b", text)})
        for part, pattern in _VISION.items()
    }
    missing = [part for part, found in names.items() if not found]
    if not vision.strip():
        warnings.append("no vision statement yet")
    elif missing:
        warnings.append(
            "the vision does not name " + " or ".join(missing) + ": say what the frontline "
            "gains, and soon (automation without that message made the best people leave)"
        )
    return ChampionVerdict(not warnings, warnings, names)
