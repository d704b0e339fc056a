"""A pilot's effect in one sentence a non-statistician reads.

The rules live here, and only here, so that the momentum page, the report and the API
say the same thing in the same words:

- the estimate, signed, in the metric's unit ("points" for a percentage, "contacts a
  week" for a count per week), as "about +4.1 points a week";
- the interval as "likely between +1.9 and +6.3" (the 95% interval);
- whether it could be chance: "unlikely to be chance" only when the interval leaves
  out zero *and* the p-value is under alpha; "could be chance: no change at all is
  among the likely values" when the interval holds zero;
- for a metric where down is good, a fall is called an improvement (and a rise a
  setback), so a reader never has to remember which way is better.

>>> effect_sentence(4.1, 1.9, 6.3, 0.001, unit="%")
'About +4.1 points a week, likely between +1.9 and +6.3; unlikely to be chance.'
"""

from __future__ import annotations

import math

__all__ = ["effect_sentence", "signed", "unit_words"]


def signed(value: float) -> str:
    """``value`` with its sign, one decimal under 100, none above.

    >>> signed(4.14), signed(-0.04), signed(-1234.5)
    ('+4.1', '0.0', '-1,234')
    """
    text = f"{abs(value):,.1f}" if abs(value) < 100 else f"{abs(value):,.0f}"
    if text.strip("0.,") == "":  # rounds to zero: no sign to claim
        return text
    return ("+" if value > 0 else "-") + text


def unit_words(unit: str | None) -> str:
    """How the effect's unit reads after the number: a percentage moves by points, and
    a weekly value's change holds each week.

    >>> unit_words("%"), unit_words("contacts/week"), unit_words("seconds"), unit_words(None)
    ('points a week', 'contacts a week', 'seconds a week', 'a week')
    """
    if not unit:
        return "a week"
    if unit.strip() == "%":
        return "points a week"
    if unit.endswith("/week"):
        return f"{unit[: -len('/week')].strip()} a week"
    return f"{unit.strip()} a week"


def effect_sentence(
    effect: float | None,
    ci_low: float | None,
    ci_high: float | None,
    p_value: float | None,
    *,
    unit: str | None = None,
    direction: str = "up",
    alpha: float = 0.05,
) -> str:
    """The effect, its interval and whether it could be chance, in one sentence.

    Parameters
    ----------
    effect, ci_low, ci_high
        The estimate and its interval, in the metric's units (``None``: not estimated).
    p_value
        The estimate's p-value (``None`` or NaN: unknown).
    unit
        The metric's unit, as the metrics table gives it.
    direction
        ``up`` when more is better, ``down`` when less is.
    alpha
        The test's level: the interval is the ``1 - alpha`` interval.

    Examples
    --------
    >>> print(effect_sentence(0.8, -1.2, 2.8, 0.4, unit="%"))  # doctest: +NORMALIZE_WHITESPACE
    About +0.8 points a week, likely between -1.2 and +2.8; could be chance: no change at
    all is among the likely values.
    >>> print(effect_sentence(-12.0, -20.0, -4.0, 0.003, unit="seconds", direction="down"))
    ... # doctest: +NORMALIZE_WHITESPACE
    About -12.0 seconds a week, likely between -20.0 and -4.0; unlikely to be chance. Lower
    is better here: an improvement.
    """
    if effect is None or not math.isfinite(effect):
        return "Not estimated yet."
    words = unit_words(unit)
    text = f"About {signed(effect)} {words}"
    known = ci_low is not None and ci_high is not None
    known = known and math.isfinite(ci_low) and math.isfinite(ci_high)  # type: ignore[arg-type]
    if not known:
        return text + "; how sure that is cannot be said (too little data for an interval)."
    text += f", likely between {signed(ci_low)} and {signed(ci_high)}"  # type: ignore[arg-type]
    holds_zero = ci_low <= 0 <= ci_high  # type: ignore[operator]
    p_known = p_value is not None and math.isfinite(p_value)
    if holds_zero:
        return text + "; could be chance: no change at all is among the likely values."
    if p_known and p_value < alpha:  # type: ignore[operator]
        text += "; unlikely to be chance."
    else:
        text += "; the interval leaves out no change, but the test is not sure it is not chance."
    if direction == "down":
        text += " Lower is better here: " + ("an improvement." if effect < 0 else "a setback.")
    elif effect < 0:
        text += " Higher is better here: a setback."
    return text
