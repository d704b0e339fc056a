"""Consolidation plan: free pilot volunteers for at least 75% of their hours.

The remaining work of each freed volunteer goes, in whole hours, to qualified
non-volunteers with room, never above ``max_load`` of their contracted hours. CP-SAT
solves it lexicographically in three stages (most freed, then the lightest largest
receiver load, then the fewest handoffs); see ``_model`` for why stages and how the
model stays small on large organizations.

Search settings are deliberate. CP-SAT's default runs one worker per core; on a 2-core
machine those two workers can find a small optimum at once and still not prove it before
the time limit. We run one worker (``workers=1``) with a fixed ``seed``: one
deterministic search, so the same inputs give the same plan whenever the search ends by
proof; the handoff stage uses core-based search (``optimize_with_core``), which proves
"fewest handoffs" where branching alone stalls, and the load stage is a bisection whose
probes CP-SAT settles at once. Measured on a shared 2-core machine, on six random
instances of 10 volunteers and 15 receivers (20 s limit): 1 worker proved all six
(<= 9 s), 2 workers two, 8 workers five. More workers run CP-SAT's parallel portfolio,
which is not reproducible from run to run. When the time limit ends a stage, the plan is
the best found and depends on the clock; ``status``, ``bound`` and ``gap`` say so.

``quick_freeable`` is the planner in a quick mode (stage 1 only, half a second): how
many people could be freed at all, before there are volunteers (see ``_quick``).
"""

from smartmoves.engines.capacity.consolidate._plan import (
    DEFAULT_WORKERS,
    Consolidation,
    plan_consolidation,
)
from smartmoves.engines.capacity.consolidate._quick import (
    QUICK_TIME_LIMIT,
    QuickCount,
    quick_freeable,
)
from smartmoves.engines.capacity.consolidate._result import ConsolidationPlan
from smartmoves.engines.capacity.consolidate._stages import Stage

__all__ = [
    "DEFAULT_WORKERS",
    "QUICK_TIME_LIMIT",
    "Consolidation",
    "ConsolidationPlan",
    "QuickCount",
    "Stage",
    "plan_consolidation",
    "quick_freeable",
]
