"""estimate_effect: known answers, what it refuses, and properties every method keeps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartmoves.engines.impact import EffectEstimate, estimate_effect
from smartmoves.errors import ConfigError, DataError

WEEKS = pd.date_range("2026-01-05", periods=16, freq="7D")
METHODS = ("sdid", "synthetic-control", "did")


def panel(seed: int = 0, effect: float = 0.0, scopes: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [
        (f"s{i}", w, 20 + i + 0.2 * k + rng.normal(0, 0.5) + effect * (i in (4, 5) and k >= 10))
        for i in range(scopes)
        for k, w in enumerate(WEEKS)
    ]
    return pd.DataFrame(rows, columns=["scope_id", "date", "value"])


def run(frame: pd.DataFrame, method: str, **options: object) -> EffectEstimate:
    return estimate_effect(
        frame, treated=["s4", "s5"], start=WEEKS[10], method=method, placebos=20, **options
    )


@pytest.mark.parametrize("method", METHODS)
def test_a_planted_effect_is_found(method: str) -> None:
    found = run(panel(effect=3.0), method)
    assert found.method == method
    assert abs(found.effect - 3.0) < 0.6
    assert found.ci_low < found.effect < found.ci_high
    assert found.n_treated == 2 and found.n_controls == 8
    assert found.n_pre == 10 and found.n_post == 6
    assert len(found.periods) == 16 and sum(p.post for p in found.periods) == 6
    post = [p.effect for p in found.periods if p.post]
    assert np.mean(post) == pytest.approx(found.effect)
    assert abs(found.naive.effect - found.effect) > 0.5  # the trend, counted by naive


def test_auto_says_why() -> None:
    found = run(panel(), "auto")
    assert found.method == "sdid" and found.why.startswith("sdid: 8 controls")
    few = panel(scopes=6).query("scope_id >= 's3'")
    found = run(few, "auto")
    assert found.method == "did" and "too few" in found.why
    assert any("too few controls" in w for w in found.warnings)


def test_warnings_name_what_to_doubt() -> None:
    frame = panel()
    short = estimate_effect(frame, treated=["s0"], start=WEEKS[2], method="did", placebos=20)
    assert any(w.startswith("short pre-period") for w in short.warnings)
    holes = frame.drop(index=[frame.index[(frame.scope_id == "s7")][3]])
    found = run(holes, "did")
    assert any(w.startswith("unbalanced panel") for w in found.warnings)
    assert "s7" not in found.unit_weights


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: (f, ["zz"], WEEKS[10]), "treated scope(s) zz have no values"),
        (lambda f: (f, ["s0"], "2030-01-01"), "must fall after the first date"),
        (lambda f: (f, ["s0"], WEEKS[0]), "must fall after the first date"),
        (lambda f: (f, ["s0"], "soon"), "is not a date"),
        (lambda f: (pd.concat([f, f.head(1)]), ["s0"], WEEKS[10]), "more than one value"),
        (lambda f: (f.drop(columns="value"), ["s0"], WEEKS[10]), "lacks column(s) value"),
        (lambda f: (f, [], WEEKS[10]), "at least one scope_id"),
    ],
)
def test_bad_input_is_one_clear_line(change, message: str) -> None:
    frame, treated, start = change(panel())
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        estimate_effect(frame, treated=treated, start=start)
    assert "\n" not in str(err.value)


def test_a_method_the_panel_cannot_carry_is_refused() -> None:
    with pytest.raises(DataError, match="try --method did"):
        estimate_effect(panel(scopes=3), treated=["s0", "s1"], start=WEEKS[10], method="sdid")


@pytest.mark.parametrize(
    "options", [{"method": "bayes"}, {"alpha": 0}, {"alpha": 0.7}, {"placebos": 5}, {"seed": -1}]
)
def test_bad_options_are_config_errors(options: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        estimate_effect(panel(), treated=["s0"], start=WEEKS[10], **options)  # type: ignore[arg-type]


def test_same_seed_same_answer_and_json() -> None:
    import json

    one, two = run(panel(), "sdid", seed=3), run(panel(), "sdid", seed=3)
    assert one.to_dict() == two.to_dict()
    json.dumps(one.to_dict(), allow_nan=False)
    assert list(one.to_frame().columns) == ["date", "post", "treated", "counterfactual", "effect"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 1000),
    shift=st.floats(-50, 50, allow_nan=False),
    d=st.floats(-5, 5, allow_nan=False),
    method=st.sampled_from(METHODS),
)
def test_level_shifts_leave_the_effect_and_treated_shifts_move_it(
    seed: int, shift: float, d: float, method: str
) -> None:
    frame = panel(seed, effect=1.0)
    base = run(frame, method).effect
    moved = run(frame.assign(value=frame["value"] + shift), method).effect
    assert moved == pytest.approx(base, abs=1e-6)
    after = (frame["scope_id"].isin(["s4", "s5"])) & (pd.to_datetime(frame["date"]) >= WEEKS[10])
    pushed = run(frame.assign(value=frame["value"] + d * after), method).effect
    assert pushed == pytest.approx(base + d, abs=1e-6)
