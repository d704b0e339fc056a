"""The workgroups' diversity figures in words a champion reads: each figure with a
sentence that says what it measures and whether it is good, beside the bare number.

>>> [r.figure for r in readings(12.4, 1.035, 0.42, 0.12)]
['+3.5%', '12.4', '0.42', '0.12 SD']
>>> import textwrap
>>> print(textwrap.fill(readings(None, 1.035, None, None)[0].meaning, 80))
How different the members are: 3.5% more different from each other than in
random groups of the same sizes (1.035 times as diverse).
>>> print(textwrap.fill(readings(None, None, None, 0.3)[0].meaning, 80))
The most any workgroup's average strays from everyone's on a numeric feature:
small (0.30 standard deviations; under 0.2 is negligible, 0.8 or more large).
"""

from __future__ import annotations

from smartmoves.pathway._views import View

__all__ = ["Reading", "readings"]

# Cohen's rule of thumb for a difference in standard deviations.
SIZES = ((0.2, "negligible"), (0.5, "small"), (0.8, "moderate"))


class Reading(View):
    figure: str  # the number as the card shows it
    meaning: str  # what it says, in a sentence


def _versus_random(ratio: float) -> Reading:
    change = ratio - 1
    if abs(change) < 0.01:
        words = "about as different from each other as in random groups of the same sizes"
    else:
        more = "more" if change > 0 else "less"
        words = (
            f"{abs(change):.1%} {more} different from each other than in random groups of "
            f"the same sizes ({ratio:.3f} times as diverse)"
        )
    return Reading(figure=f"{change:+.1%}", meaning=f"How different the members are: {words}.")


def _gap(sd: float) -> str:
    size = next((name for top, name in SIZES if sd < top), "large")
    return (
        f"The most any workgroup's average strays from everyone's on a numeric feature: "
        f"{size} ({sd:.2f} standard deviations; under 0.2 is negligible, 0.8 or more large)."
    )


def readings(
    diversity: float | None,
    vs_random: float | None,
    dispersion: float | None,
    deviation_sd: float | None,
    random_mean: float | None = None,
) -> list[Reading]:
    """The cards of the workgroups page, in order; figures the formation lacks are left out."""
    out = []
    if vs_random is not None:
        out.append(_versus_random(vs_random))
    if diversity is not None:
        random = "" if random_mean is None else f" (random groups: {random_mean:,.1f})"
        out.append(
            Reading(
                figure=f"{diversity:,.1f}",
                meaning="Diversity: how far apart every two members of a workgroup are, "
                f"added up over the features and the workgroups{random}.",
            )
        )
    if dispersion is not None:
        out.append(
            Reading(
                figure=f"{dispersion:.2f}",
                meaning="How far apart the two most alike people sharing a workgroup are "
                "(0: two people with the same profile in one workgroup; higher is better).",
            )
        )
    if deviation_sd is not None:
        out.append(Reading(figure=f"{deviation_sd:.2f} SD", meaning=_gap(deviation_sd)))
    return out
