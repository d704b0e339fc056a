"""Turn the options of ``form_workgroups`` into one plan every solver reads.

A plan says, for ``N`` people and ``K`` workgroups: each group's label and the sizes it
may take (a box ``lo..hi``), who is pinned to which group (``fixed`` and ``existing``),
the must-link blocks (``keep_together``), the cannot-link classes (``apart``) and the
balanced categories (``balance``) with the counts each group may hold. Everything that
is plainly impossible is refused here, with reasons a user can act on.

Sizes. With ``groups=K`` (or ``size=S``, read as ``K = round(N / S)``), the K groups'
sizes differ by at most one: every group holds ``N // K`` or ``N // K + 1`` people.
With ``existing`` groups, the people listed there (and anyone ``fixed``) stay put and the
others, the newcomers, fill the smallest groups first, so the sizes end as even as the
existing groups allow (water-filling); a group already above that level keeps its size.
No new group is made unless ``groups`` (or ``size``) asks for more than exist.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.engines.teams._figures import GroupLabel, group_label, plain
from smartmoves.errors import ConfigError, DataError, InfeasibleError

__all__ = ["Assignment", "Plan", "make_plan"]

Assignment: TypeAlias = Mapping[Any, Any] | pd.DataFrame
REFUSED = "the workgroups cannot be formed as asked"


@dataclass(frozen=True)
class Plan:
    """Everything a solver needs besides the distances (group codes are 0..K-1)."""

    labels: tuple[GroupLabel, ...]
    lo: np.ndarray  # per group, smallest allowed size
    hi: np.ndarray  # per group, largest allowed size
    pinned: np.ndarray  # per person, group code or -1
    block: np.ndarray  # per person, must-link block id or -1
    blocks: tuple[np.ndarray, ...]  # members of each block
    apart: np.ndarray  # per person, cannot-link class id or -1
    balance: np.ndarray  # per person, balanced category id or -1
    balance_lo: np.ndarray  # per category, fewest members a group may hold
    balance_hi: np.ndarray  # per category, most members a group may hold
    named: np.ndarray  # per group: named by fixed/existing (not interchangeable)

    @property
    def size(self) -> int:
        return len(self.pinned)

    @property
    def groups(self) -> int:
        return len(self.labels)


def _id_key(value: Any) -> str:
    value = plain(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _codes(column: pd.Series) -> np.ndarray:
    """Category codes of a column; missing or blank values get -1 (no constraint)."""
    text = column.map(lambda v: None if pd.isna(v) or not str(v).strip() else str(v).strip())
    codes, _ = pd.factorize(text, use_na_sentinel=True)
    return np.asarray(codes, dtype=int)


def _read_assignment(table: Assignment, ids: Sequence[Hashable], what: str) -> dict[int, Any]:
    """Row index -> label from a mapping or a frame with person_id and group/workgroup."""
    if isinstance(table, pd.DataFrame):
        require_columns(table, ["person_id"], what=f"the {what} table")
        column = next((c for c in ("group", "workgroup") if c in table.columns), None)
        if column is None:
            raise DataError(f"the {what} table lacks column(s) group (or workgroup)")
        pairs = list(zip(table["person_id"], table[column], strict=True))
    else:
        pairs = list(table.items())
    rows = {_id_key(v): k for k, v in enumerate(ids)}
    out: dict[int, Any] = {}
    unknown, repeated = [], []
    for person, label in pairs:
        if pd.isna(label) or not str(label).strip():
            continue
        row = rows.get(_id_key(person))
        if row is None:
            unknown.append(_id_key(person))
        elif row in out and out[row] != group_label(label):
            repeated.append(_id_key(person))
        else:
            out[row] = group_label(label)
    if unknown:
        raise DataError(f"{what} names people not in the people table: {', '.join(unknown[:5])}")
    if repeated:
        raise DataError(f"{what} puts a person in two workgroups: {', '.join(repeated[:5])}")
    return out


def _check_options(
    groups: int | None, size: int | None, min_size: int, max_size: int, existing: bool
) -> None:
    for name, bound in (("min_size", min_size), ("max_size", max_size)):
        if not isinstance(bound, int | np.integer) or bound < 1:
            raise ConfigError(f"{name} must be a whole number >= 1, not {bound}")
    if min_size > max_size:
        raise ConfigError(f"min_size ({min_size}) is larger than max_size ({max_size})")
    if groups is not None and size is not None:
        raise ConfigError("give the number of workgroups or their size, not both")
    if groups is None and size is None and not existing:
        raise ConfigError("give the number of workgroups (groups) or their size (size)")
    for name, value in (("groups", groups), ("size", size)):
        if value is not None and (not isinstance(value, int | np.integer) or value < 1):
            raise ConfigError(f"{name} must be a whole number >= 1, not {value}")


def _group_count(n: int, named: int, existing: int, groups: int | None, size: int | None) -> int:
    if groups is not None:
        if groups < existing:
            raise ConfigError(f"there are {existing} existing workgroups; groups={groups} is fewer")
        return int(groups)
    if size is not None:
        return max(named, existing, int(np.floor(n / size + 0.5)), 1)
    return existing


def _boxes(n: int, k: int, settled: np.ndarray, existing: bool) -> tuple[np.ndarray, np.ndarray]:
    """Allowed size of each group: even sizes, or water-filling around existing groups."""
    if not existing:
        q, r = divmod(n, k)
        return np.full(k, q), np.full(k, q + (r > 0))
    newcomers = n - int(settled.sum())
    level = int(settled.min())
    while np.maximum(0, level + 1 - settled).sum() <= newcomers:
        level += 1
    leftover = newcomers - int(np.maximum(0, level - settled).sum())
    low = np.where(settled > level, settled, level)
    return low, np.where(settled > level, settled, level + (leftover > 0))


def make_plan(
    frame: pd.DataFrame,
    ids: Sequence[Hashable],
    *,
    groups: int | None,
    size: int | None,
    min_size: int,
    max_size: int,
    keep_together: str | None,
    apart: str | None,
    balance: str | None,
    fixed: Assignment | None,
    existing: Assignment | None,
) -> Plan:
    """Read and check every option; raise ``InfeasibleError`` listing what cannot hold."""
    n = len(frame)
    _check_options(groups, size, min_size, max_size, existing is not None)
    require_columns(
        frame, [c for c in (keep_together, apart, balance) if c], what="the people table"
    )
    if n == 0:
        raise DataError("the people table has no rows")
    stays: dict[int, Any] = {}
    wants: dict[int, Any] = {}
    if existing is not None:
        stays = _read_assignment(existing, ids, "existing")
    if fixed is not None:
        wants = _read_assignment(fixed, ids, "fixed")
    reasons = [
        f"{ids[row]} is fixed to workgroup {label} but is in existing workgroup {stays[row]}"
        for row, label in wants.items()
        if row in stays and stays[row] != label
    ]
    pins = {**stays, **wants}
    existing_labels = list(dict.fromkeys(stays.values()))
    named = list(dict.fromkeys([*existing_labels, *wants.values()]))
    k = _group_count(n, len(named), len(existing_labels), groups, size)
    if len(named) > k:
        reasons.append(f"fixed and existing name {len(named)} workgroups, but only {k} are asked")
    if k > n:
        reasons.append(f"{n} people cannot fill {k} workgroups")
    if reasons:
        raise InfeasibleError(REFUSED, reasons)
    free = (x for x in range(1, n + k + 2) if x not in set(named))
    labels = tuple(named) + tuple(next(free) for _ in range(k - len(named)))
    code = {label: g for g, label in enumerate(labels)}
    pinned = np.full(n, -1)
    for row, label in pins.items():
        pinned[row] = code[label]
    block = _codes(frame[keep_together]) if keep_together else np.full(n, -1)
    _spread_pins_to_blocks(block, pinned, ids, reasons)
    settled = np.bincount(pinned[pinned >= 0], minlength=k)
    lo, hi = _boxes(n, k, settled, existing is not None)
    _check_sizes(labels, (lo, hi), settled, (min_size, max_size), n, reasons)
    blocks = _check_blocks(frame, keep_together, block, hi, reasons)
    apart_codes = _codes(frame[apart]) if apart else np.full(n, -1)
    _check_apart(frame, apart, apart_codes, block, pinned, k, ids, reasons)
    balance_codes = _codes(frame[balance]) if balance else np.full(n, -1)
    counts = np.bincount(balance_codes[balance_codes >= 0], minlength=0)
    b_lo, b_hi = counts // k, -(-counts // k)
    _check_balance(frame, balance, balance_codes, block, pinned, labels, b_hi, reasons)
    if reasons:
        raise InfeasibleError(REFUSED, reasons)
    return Plan(
        labels=labels,
        lo=lo,
        hi=hi,
        pinned=pinned,
        block=block,
        blocks=blocks,
        apart=apart_codes,
        balance=balance_codes,
        balance_lo=b_lo,
        balance_hi=b_hi,
        named=np.arange(k) < len(named),
    )


def _spread_pins_to_blocks(
    block: np.ndarray, pinned: np.ndarray, ids: Sequence[Hashable], reasons: list[str]
) -> None:
    """A must-link block with a pinned member is pinned whole to that member's group."""
    for b in np.unique(block[block >= 0]):
        members = np.flatnonzero(block == b)
        targets = np.unique(pinned[members][pinned[members] >= 0])
        if len(targets) > 1:
            names = ", ".join(str(ids[i]) for i in members[pinned[members] >= 0][:4])
            reasons.append(f"keep-together people {names} are pinned to different workgroups")
        elif len(targets) == 1:
            pinned[members] = targets[0]


def _check_sizes(
    labels: Sequence[GroupLabel],
    box: tuple[np.ndarray, np.ndarray],
    settled: np.ndarray,
    bounds: tuple[int, int],
    n: int,
    reasons: list[str],
) -> None:
    (lo, hi), (min_size, max_size), k = box, bounds, len(labels)
    for g, label in enumerate(labels):
        if settled[g] > min(hi[g], max_size):
            reasons.append(
                f"workgroup {label} already has {settled[g]} members (fixed, existing or kept "
                f"together with them), more than it may hold ({min(hi[g], max_size)})"
            )
    if k * max_size < n:
        reasons.append(
            f"{n} people need more than {k} workgroups of at most {max_size} "
            f"({k} x {max_size} < {n})"
        )
    small = [str(labels[int(g)]) for g in np.flatnonzero(lo < min_size)]
    if small:
        reasons.append(
            f"{n} people in {k} workgroups leave workgroup(s) {', '.join(small[:5])} with "
            f"{lo.min()} members, below the minimum size {min_size}"
        )


def _check_blocks(
    frame: pd.DataFrame, column: str | None, block: np.ndarray, hi: np.ndarray, reasons: list[str]
) -> tuple[np.ndarray, ...]:
    blocks = []
    for b in range(int(block.max()) + 1):
        members = np.flatnonzero(block == b)
        if len(members) > hi.max():
            value = frame[column].iloc[members[0]] if column else b
            reasons.append(
                f"keep-together {column} '{value}' has {len(members)} people, more than a "
                f"workgroup can hold ({hi.max()})"
            )
        if len(members) < 2:
            block[members] = -1  # one person alone is no constraint
        else:
            blocks.append(members)
    renumber = np.full(int(block.max()) + 2, -1)
    for new, members in enumerate(blocks):
        renumber[block[members[0]]] = new
    block[block >= 0] = renumber[block[block >= 0]]
    return tuple(blocks)


def _check_apart(
    frame: pd.DataFrame,
    column: str | None,
    classes: np.ndarray,
    block: np.ndarray,
    pinned: np.ndarray,
    k: int,
    ids: Sequence[Hashable],
    reasons: list[str],
) -> None:
    for c in range(int(classes.max()) + 1):
        members = np.flatnonzero(classes == c)
        value = frame[column].iloc[members[0]] if column else c
        if len(members) > k:
            reasons.append(
                f"{len(members)} people share apart {column} '{value}' but there are only "
                f"{k} workgroups"
            )
        blocks = block[members][block[members] >= 0]
        if len(blocks) != len(np.unique(blocks)):
            reasons.append(f"people with apart {column} '{value}' are also kept together")
        groups = pinned[members][pinned[members] >= 0]
        if len(groups) != len(np.unique(groups)):
            reasons.append(
                f"people with apart {column} '{value}' are pinned to one workgroup (fixed or "
                "existing)"
            )


def _check_balance(
    frame: pd.DataFrame,
    column: str | None,
    categories: np.ndarray,
    block: np.ndarray,
    pinned: np.ndarray,
    labels: Sequence[GroupLabel],
    most: np.ndarray,
    reasons: list[str],
) -> None:
    for c in range(len(most)):
        members = np.flatnonzero(categories == c)
        value = frame[column].iloc[members[0]] if column else c
        per_group = np.bincount(pinned[members][pinned[members] >= 0], minlength=len(labels))
        for g in np.flatnonzero(per_group > most[c]):
            reasons.append(
                f"workgroup {labels[int(g)]} already has {per_group[g]} people with {column} "
                f"'{value}'; balance allows at most {most[c]}"
            )
        per_block = np.bincount(block[members][block[members] >= 0], minlength=0)
        if len(per_block) and per_block.max() > most[c]:
            reasons.append(
                f"a keep-together group has {per_block.max()} people with {column} '{value}'; "
                f"balance allows at most {most[c]} per workgroup"
            )
