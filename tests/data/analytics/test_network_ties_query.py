"""Events -> ties and person topics on DuckDB, with answers worked out by hand."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.data.analytics import DuckDBBackend, build_ties, person_topics
from smartmoves.engines.network import analyze_network
from smartmoves.errors import ConfigError, DataError


def _ties(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[float, bool, int]]:
    return {
        (r.person_a, r.person_b): (r.weight, r.reciprocal, r.events) for r in frame.itertuples()
    }


@pytest.fixture(scope="module")
def ties(events_parquet: Path) -> dict[tuple[str, str], tuple[float, bool, int]]:
    return _ties(build_ties(events_parquet))


def test_messages_weigh_one_over_their_recipients(ties) -> None:
    # a -> b;c (0.5 each), b -> a (1), c -> "a; a ;" (one distinct recipient: 1).
    assert ties[("a", "b")] == (1.5, True, 2)
    assert ties[("a", "c")] == (1.5, True, 2)
    # b -> c only: one-sided.
    assert ties[("b", "c")] == (1.0, False, 1)


def test_meetings_tie_every_pair_by_hours_over_participants_minus_one(ties) -> None:
    # d, e, f for 90 minutes (d also listed as recipient): 1.5 h / 2 per pair.
    assert ties[("d", "e")] == (0.75, True, 1)
    assert ties[("d", "f")] == (0.75, True, 1)
    # e-f also has an e -> f message without channel, which counts as a message.
    assert ties[("e", "f")] == (1.75, True, 2)
    # A meeting without duration counts 30 minutes; channel is read case-insensitively.
    assert ties[("g", "h")] == (0.5, True, 1)


def test_a_meeting_of_26_adds_no_ties_and_one_of_25_ties_everyone(ties) -> None:
    assert not [pair for pair in ties if pair[0].startswith("m")]
    people = [f"n{i:02d}" for i in range(25)]
    for pair in itertools.combinations(people, 2):
        weight, reciprocal, events = ties[pair]
        assert weight == pytest.approx(0.8 / 24, abs=1e-15) and reciprocal and events == 1


def test_self_ties_drop_and_external_ids_stay(ties) -> None:
    assert not [pair for pair in ties if pair[0] == pair[1]]
    assert ties[("a", "x_ext")] == (0.5, True, 1)
    assert len(ties) == 3 + 3 + 1 + 300 + 1


def test_csv_gives_the_same_ties_as_parquet(events_parquet: Path, events_csv: Path) -> None:
    pd.testing.assert_frame_equal(build_ties(events_csv), build_ties(events_parquet))


def test_a_window_keeps_since_up_to_before_until(events_parquet: Path) -> None:
    early = _ties(build_ties(events_parquet, until="2024-01-04"))
    assert early == {("a", "b"): (1.5, True, 2), ("a", "c"): (0.5, False, 1)}
    late = _ties(build_ties(events_parquet, since=pd.Timestamp("2024-03-01 09:00")))
    assert late == {("b", "c"): (1.0, False, 1)}
    with pytest.raises(ConfigError):
        build_ties(events_parquet, since="2024-02-01", until="2024-01-01")
    with pytest.raises(ConfigError):
        build_ties(events_parquet, since="not a date")


def test_folders_and_globs_read_every_file(hand_made_events: pd.DataFrame, tmp_path: Path) -> None:
    folder = tmp_path / "events"
    (folder / "2024").mkdir(parents=True)
    hand_made_events.iloc[:5].to_parquet(folder / "part1.parquet", index=False)
    hand_made_events.iloc[5:].to_parquet(folder / "2024" / "part2.parquet", index=False)
    whole = tmp_path / "all.parquet"
    hand_made_events.to_parquet(whole, index=False)
    expected = build_ties(whole)
    pd.testing.assert_frame_equal(build_ties(folder), expected)
    pd.testing.assert_frame_equal(build_ties(str(folder / "**" / "*.parquet")), expected)


def test_imported_ties_add_to_event_ties(events_parquet: Path, tmp_path: Path) -> None:
    imported = tmp_path / "ties.parquet"
    pd.DataFrame(
        {
            "person_a": ["c", "zed"],
            "person_b": ["b", "a"],
            "weight": [2.0, 0.25],
            "reciprocal": [True, False],
            "source": ["viva-p2p", "viva-p2p"],
        }
    ).to_parquet(imported, index=False)
    both = build_ties(events_parquet, imported=imported).set_index(["person_a", "person_b"])
    assert both.loc[("b", "c")].to_dict() == {
        "weight": 3.0,
        "reciprocal": True,
        "events": 1,
        "source": "events+viva-p2p",
    }
    assert both.loc[("a", "zed"), "source"] == "viva-p2p"
    only = build_ties(imported=imported)
    assert only[["person_a", "person_b"]].values.tolist() == [["a", "zed"], ["b", "c"]]


def test_person_topics_count_each_participants_events(events_parquet: Path) -> None:
    topics = person_topics(events_parquet).set_index(["person_id", "topic"])["events"]
    assert topics[("a", "pricing")] == 2 and topics[("a", "churn")] == 2
    assert topics[("c", "churn")] == 2 and topics[("b", "churn")] == 1
    assert topics[("m25", "all hands")] == 1  # large meetings add no ties, but topics count
    assert ("b", "") not in topics.index
    late = person_topics(events_parquet, since="2024-01-05", until="2024-01-06")
    assert sorted(late["person_id"]) == ["d", "e", "f"]


@pytest.mark.parametrize("start", ["2024-01-03", "2024-01-05T12:00", "2030-01-01"])
def test_recent_counts_in_the_same_pass_match_a_separate_window(
    events_parquet: Path, start: str
) -> None:
    both = person_topics(events_parquet, recent_since=start)
    pd.testing.assert_frame_equal(both.drop(columns="recent_events"), person_topics(events_parquet))
    recent = both.loc[both["recent_events"] > 0, ["person_id", "topic", "recent_events"]]
    alone = person_topics(events_parquet, since=start)
    assert recent.rename(columns={"recent_events": "events"}).values.tolist() == (
        alone.values.tolist()
    )


def test_missing_things_raise_clear_errors(events_parquet: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        build_ties(tmp_path / "nope.parquet")
    with pytest.raises(DataError, match="no file matches"):
        build_ties(str(tmp_path / "*.parquet"))
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,sender_id\n2024-01-01,a\n")
    with pytest.raises(DataError, match="recipient_ids"):
        build_ties(bad)
    with pytest.raises(ConfigError, match="backend"):
        build_ties(events_parquet, backend="excel")
    with pytest.raises(ConfigError):
        build_ties()


def test_an_open_backend_can_run_several_queries(events_parquet: Path) -> None:
    with DuckDBBackend(memory_limit="1GB", threads=1) as backend:
        first = build_ties(events_parquet, backend=backend, as_arrow=True)
        again = build_ties(events_parquet, backend=backend, as_arrow=True)
    assert first.equals(again) and first.num_rows == 308


def test_events_to_figures_end_to_end(events_parquet: Path) -> None:
    people = pd.DataFrame(
        {"person_id": ["a", "b", "c", "d", "e", "f"], "unit_id": ["u1"] * 3 + ["u2"] * 3}
    )
    topics = person_topics(events_parquet)
    result = analyze_network(build_ties(events_parquet), people, topics=topics, min_group_size=3)
    a = result.people.set_index("person_id").loc["a"]
    # b, c inside; x_ext is an external contact; meeting people are outside the table.
    assert (a["degree"], a["strength"], a["external_contacts"]) == (2, 3.0, 1)
    units = result.units.set_index("unit_id")
    assert units.loc["u1", "internal_ties"] == 3 and units.loc["u1", "external_ties"] == 0
    # g, h, the 25 people of the n meeting, and x_ext; the 26 of the m meeting have no tie.
    assert result.summary["external_ids"] == 2 + 25 + 1


def _reference_ties(events: pd.DataFrame) -> dict[tuple[str, str], tuple[float, bool, int]]:
    """The definitions of docs/network.md, one event at a time in plain Python."""
    weight: dict[tuple[str, str], float] = {}
    count: dict[tuple[str, str], int] = {}
    started: dict[tuple[str, str], set[str]] = {}
    for e in events.itertuples():
        sender = e.sender_id.strip()
        recipients = list(dict.fromkeys(r.strip() for r in e.recipient_ids.split(";")))
        recipients = [r for r in recipients if r and r != sender]
        if not recipients:
            continue
        channel = e.channel.lower() if isinstance(e.channel, str) else "other"
        if channel in ("meeting", "call"):
            people = [sender, *recipients]
            if len(people) > 25:
                continue
            hours = (30.0 if pd.isna(e.duration_minutes) else e.duration_minutes) / 60
            pairs = [
                (p, q, hours / (len(people) - 1), {p, q})
                for p, q in itertools.combinations(people, 2)
            ]
        else:
            pairs = [(sender, r, 1 / len(recipients), {sender}) for r in recipients]
        for p, q, w, starters in pairs:
            key = (min(p, q), max(p, q))
            weight[key] = weight.get(key, 0.0) + w
            count[key] = count.get(key, 0) + 1
            started.setdefault(key, set()).update(starters)
    return {k: (weight[k], started[k] == set(k), count[k]) for k in weight}


people_ids = st.sampled_from(["a", "b", "c", "d", " e", "f "])
random_events = st.lists(
    st.fixed_dictionaries(
        {
            "sender_id": people_ids,
            "recipients": st.lists(st.one_of(people_ids, st.just("")), min_size=1, max_size=30),
            "channel": st.sampled_from(["email", "chat", "meeting", "call", "other", "CALL", None]),
            "duration_minutes": st.sampled_from([None, 0.0, 15.0, 50.0]),
        }
    ),
    min_size=1,
    max_size=25,
)


@given(random_events)
def test_ties_match_a_reference_implementation(tmp_path_factory, rows) -> None:
    recipients = [";".join(r.pop("recipients")) for r in rows]
    events = pd.DataFrame(rows).assign(
        recipient_ids=recipients, timestamp=pd.Timestamp("2024-01-01")
    )
    events["duration_minutes"] = events["duration_minutes"].astype(float)
    path = tmp_path_factory.mktemp("random") / "events.parquet"
    events.to_parquet(path, index=False)
    ours = _ties(build_ties(path))
    expected = _reference_ties(events)
    assert ours.keys() == expected.keys()
    for key, (w, reciprocal, n) in expected.items():
        assert ours[key][0] == pytest.approx(w, abs=1e-12)
        assert ours[key][1:] == (reciprocal, n)
