"""What each person knows about, in words: the profiles a text index searches.

A profile is a long table ``person_id, field, text, weight``: the topic keywords of the
interactions a person took part in (weight: events), their skills, the activities they
spend hours on (weight: hours a week) and the problems they applied to work on.
:func:`smartmoves.engines.network.profile_index` makes them searchable.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from smartmoves.engines._common import require_columns

__all__ = ["PROFILE_FIELDS", "expert_profiles", "topic_profiles"]

PROFILE_FIELDS = ("topics", "skills", "activities", "applications")
PROFILE_COLUMNS = ["person_id", "field", "text", "weight"]


def _split(values: pd.Series) -> pd.Series:
    return values.dropna().astype(str).str.split(";").explode().str.strip()


def expert_profiles(
    people: pd.DataFrame,
    *,
    topics: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    allocations: pd.DataFrame | None = None,
    applications: pd.DataFrame | None = None,
    skills_column: str = "skills",
) -> pd.DataFrame:
    """Gather every person's words from the tables that have them.

    Parameters
    ----------
    people
        ``person_id`` and, when present, ``skills_column`` (``;``-separated skills).
    topics
        ``person_id, topic, events`` (``smartmoves.data.analytics.person_topics``).
    activities, allocations
        The activity catalog (``activity_id, name`` and optionally ``skill``) and the
        activity inventory (``person_id, activity_id, hours_per_week``).
    applications
        ``person_id, problem, why``.

    Returns
    -------
    pandas.DataFrame
        ``person_id, field, text, weight``, one row per person and phrase; only people
        of the people table.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["ana"], "unit_id": ["u"], "skills": ["SQL; pricing"]})
    >>> expert_profiles(people)
      person_id   field     text  weight
    0       ana  skills      SQL     1.0
    1       ana  skills  pricing     1.0
    """
    require_columns(people, ["person_id"], what="people")
    parts = []
    if skills_column in people.columns:
        skills = _split(people.set_index(people["person_id"].astype(str))[skills_column])
        parts.append(
            pd.DataFrame(
                {"person_id": skills.index, "field": "skills", "text": skills.values, "weight": 1.0}
            )
        )
    if topics is not None:
        require_columns(topics, ["person_id", "topic", "events"], what="topics")
        parts.append(
            pd.DataFrame(
                {
                    "person_id": topics["person_id"].astype(str),
                    "field": "topics",
                    "text": topics["topic"].astype(str),
                    "weight": pd.to_numeric(topics["events"]).astype(float),
                }
            )
        )
    if allocations is not None and activities is not None:
        require_columns(activities, ["activity_id", "name"], what="activities")
        require_columns(
            allocations, ["person_id", "activity_id", "hours_per_week"], what="allocations"
        )
        catalog = activities.set_index(activities["activity_id"].astype(str))
        labels = catalog["name"].astype(str)
        if "skill" in catalog.columns:
            # "High-value payment approvals (payments risk)": a reason quotes the phrase,
            # and two names run together read as one.
            skill = catalog["skill"].fillna("").astype(str).str.strip()
            labels = labels.where(skill == "", labels + " (" + skill + ")")
        text = allocations["activity_id"].astype(str).map(labels)
        parts.append(
            pd.DataFrame(
                {
                    "person_id": allocations["person_id"].astype(str),
                    "field": "activities",
                    "text": text,
                    "weight": pd.to_numeric(allocations["hours_per_week"]).astype(float),
                }
            )
        )
    if applications is not None:
        require_columns(applications, ["person_id", "problem", "why"], what="applications")
        # One sentence after the other, so that a reason can quote the problem alone.
        problem = applications["problem"].fillna("").astype(str).str.strip().str.rstrip(".")
        why = applications["why"].fillna("").astype(str).str.strip()
        text = (problem + ". " + why).str.strip(". ")
        parts.append(
            pd.DataFrame(
                {
                    "person_id": applications["person_id"].astype(str),
                    "field": "applications",
                    "text": text,
                    "weight": 1.0,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    profiles = pd.concat(parts, ignore_index=True)
    known = profiles["person_id"].isin(set(people["person_id"].astype(str)))
    profiles = profiles[known & profiles["text"].notna() & (profiles["text"].str.strip() != "")]
    return profiles.reset_index(drop=True)[PROFILE_COLUMNS]


def topic_profiles(topics: pd.DataFrame, *, people: Iterable[str] | None = None) -> pd.DataFrame:
    """Profiles of interaction topics alone: what :func:`similar_challenges` searches.

    Parameters
    ----------
    topics
        ``person_id, topic, events`` (``smartmoves.data.analytics.person_topics``).
    people
        Only these people's rows are kept (the people of the network).

    Returns
    -------
    pandas.DataFrame
        ``person_id, field, text, weight``: field ``topics``, the topic as text, its
        events as weight, with the topics' own row labels.

    Examples
    --------
    >>> topics = pd.DataFrame({"person_id": ["ana", "x"], "topic": ["churn", "tax"],
    ...                        "events": [3, 1]})
    >>> topic_profiles(topics, people=["ana", "bo"])
      person_id   field   text  weight
    0       ana  topics  churn       3
    """
    require_columns(topics, ["person_id", "topic", "events"], what="topics")
    rows = topics
    if people is not None:
        rows = topics[topics["person_id"].astype(str).isin({str(p) for p in people})]
    return pd.DataFrame(
        {
            "person_id": rows["person_id"].astype(str),
            "field": "topics",
            "text": rows["topic"],
            "weight": rows["events"],
        }
    )
