"""The effect's sentence: what a non-statistician reads on the momentum page and report."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from smartmoves.pathway.act.effect_words import effect_sentence, signed, unit_words


def test_a_clear_rise_reads_as_the_issue_says() -> None:
    assert effect_sentence(4.1, 1.9, 6.3, 0.0004, unit="%") == (
        "About +4.1 points a week, likely between +1.9 and +6.3; unlikely to be chance."
    )


def test_an_interval_that_holds_zero_could_be_chance_and_claims_nothing() -> None:
    text = effect_sentence(1.2, -0.5, 2.9, 0.17, unit="contacts/week")
    assert text.startswith("About +1.2 contacts a week, likely between -0.5 and +2.9")
    assert "could be chance" in text
    assert "improvement" not in text and "setback" not in text
    # Even with a small p-value, an interval over zero is not called a sure effect.
    assert "unlikely to be chance" not in effect_sentence(1.0, -0.1, 2.1, 0.01)


def test_a_fall_in_a_metric_where_up_is_good_is_a_setback() -> None:
    text = effect_sentence(-3.0, -5.0, -1.0, 0.002, unit="%", direction="up")
    assert "About -3.0 points a week, likely between -5.0 and -1.0" in text
    assert text.endswith("Higher is better here: a setback.")


def test_where_down_is_good_a_fall_is_an_improvement_and_a_rise_a_setback() -> None:
    fall = effect_sentence(-12.0, -20.0, -4.0, 0.003, unit="seconds", direction="down")
    assert fall.endswith("Lower is better here: an improvement.")
    rise = effect_sentence(5.0, 1.0, 9.0, 0.01, unit="days", direction="down")
    assert rise.endswith("Lower is better here: a setback.")


def test_unknown_interval_or_effect_says_so() -> None:
    assert effect_sentence(None, None, None, None) == "Not estimated yet."
    assert effect_sentence(math.nan, 0, 1, 0.5) == "Not estimated yet."
    assert "cannot be said" in effect_sentence(2.0, math.nan, math.nan, math.nan)


def test_an_interval_clear_of_zero_without_a_small_p_value_is_not_oversold() -> None:
    text = effect_sentence(2.0, 0.1, 3.9, 0.08)
    assert "unlikely to be chance" not in text and "not sure" in text


def test_numbers_and_units_read_plainly() -> None:
    assert signed(0.04) == "0.0" and signed(-0.04) == "0.0"
    assert signed(2.25) == "+2.2" or signed(2.25) == "+2.3"
    assert signed(-150.4) == "-150"
    assert unit_words("referrals/week") == "referrals a week"
    assert unit_words(" % ") == "points a week"


@given(
    st.floats(-1e6, 1e6),
    st.floats(0, 1e3),
    st.floats(0, 1e3),
    st.one_of(st.none(), st.floats(0, 1)),
    st.sampled_from(["up", "down"]),
)
def test_every_sentence_names_the_estimate_and_never_contradicts_its_interval(
    effect: float, below: float, above: float, p: float | None, direction: str
) -> None:
    low, high = effect - below, effect + above
    text = effect_sentence(effect, low, high, p, unit="%", direction=direction)
    assert text.startswith(f"About {signed(effect)} points a week, likely between")
    if low <= 0 <= high:
        assert "could be chance" in text and "unlikely" not in text
