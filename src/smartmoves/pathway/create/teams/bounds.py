"""The bounds the formation forms show, and the same words when a value is outside them.

The Workgroups and Cells forms show each rule beside its field (``view.bounds``); the
use cases refuse anything else with ``"<field> must be <rule>, not <value>"`` for the
web, the API and the command line alike. Where the engines already refuse a bound
(sizes below 1, min_size above max_size, cell sizes) the rule uses the engines' words.

>>> workgroup_bounds(12)["groups"]
'a whole number from 1 to 12 (12 people cannot fill more workgroups)'
>>> check_cells(5, 15, -1)
Traceback (most recent call last):
...
smartmoves.errors.ConfigError: seed must be a whole number >= 0, not -1
"""

from __future__ import annotations

from smartmoves.engines._common import MAX_SEED
from smartmoves.engines._common import check_seed as _engine_seed
from smartmoves.errors import ConfigError

__all__ = [
    "CELL_SIZES",
    "MAX_SEED",
    "cell_bounds",
    "check_cells",
    "check_seed",
    "check_workgroups",
    "workgroup_bounds",
]

AT_LEAST_ONE = "a whole number >= 1"  # the engines' words for a size or a count
SEED = "a whole number >= 0"  # the engines' words for a seed
SEED_MAX = f"at most {MAX_SEED}"  # the solvers' limit (the engines' words again)
CELL_SIZES = "1 <= min_size <= max_size"  # the cells engine's words


def workgroup_bounds(volunteers: int) -> dict[str, str]:
    """What each field of the workgroup formation form may hold, in words."""
    return {
        "groups": f"a whole number from 1 to {volunteers} "
        f"({volunteers} people cannot fill more workgroups)",
        "size": AT_LEAST_ONE,
        "min_size": AT_LEAST_ONE,
        "max_size": AT_LEAST_ONE,
        "order": "min_size not larger than max_size",
        "seed": SEED,
        "seed_max": SEED_MAX,
    }


def cell_bounds() -> dict[str, str]:
    """What each field of the cells form may hold, in words."""
    return {"min_size": CELL_SIZES, "max_size": CELL_SIZES, "seed": SEED, "seed_max": SEED_MAX}


def _refuse(name: str, rule: str, value: object) -> ConfigError:
    return ConfigError(f"{name} must be {rule}, not {value}")


def check_seed(seed: int) -> None:
    """The engines' own check, here before anything is read or computed."""
    _engine_seed(seed)


def check_workgroups(
    volunteers: int, groups: int | None, size: int | None, min_size: int, max_size: int, seed: int
) -> None:
    """Refuse what the formation form would not take, before anything is computed.

    >>> check_workgroups(12, 13, None, 3, 15, 0)
    Traceback (most recent call last):
    ...
    smartmoves.errors.ConfigError: groups must be a whole number from 1 to 12 (12 people \
cannot fill more workgroups), not 13
    """
    rules = workgroup_bounds(volunteers)
    if groups is not None and not 1 <= groups <= max(volunteers, 1):
        raise _refuse("groups", rules["groups"], groups)
    if size is not None and size < 1:
        raise _refuse("size", AT_LEAST_ONE, size)
    for name, bound in (("min_size", min_size), ("max_size", max_size)):
        if bound < 1:
            raise _refuse(name, AT_LEAST_ONE, bound)
    if min_size > max_size:
        raise ConfigError(f"min_size ({min_size}) is larger than max_size ({max_size})")
    check_seed(seed)


def check_cells(min_size: int, max_size: int, seed: int) -> None:
    """Refuse what the cells form would not take (the cells engine's words for sizes)."""
    if not 1 <= min_size <= max_size:
        raise ConfigError(f"cell sizes need {CELL_SIZES}, not {min_size}..{max_size}")
    check_seed(seed)
