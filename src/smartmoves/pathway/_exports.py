"""Package facades that import their modules only when a name is first used.

Each phase package (``smartmoves.pathway.create.capacity``...) names the public names
of its modules, so callers write ``capacity.plan_for_pilot``. Importing every module of
a package as soon as the package is imported would make a light module of it (its
bounds, read by the command line's ``--help``) cost as much as all of them: the facade
finds a name in its modules the first time it is asked for (PEP 562), then keeps it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, modules: Sequence[str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: a public name (in a module's ``__all__``) is
    imported from the first of ``modules`` that has it.

    >>> getter = lazy_exports("smartmoves.pathway.create.capacity", ["bounds"])
    >>> getter("LOAD_RANGE")
    (0.1, 1.5)
    """

    def __getattr__(name: str) -> Any:
        for module in modules:
            found = importlib.import_module(f"{package}.{module}")
            if name in getattr(found, "__all__", ()):
                value = getattr(found, name)
                setattr(sys.modules[package], name, value)  # asked once, kept
                return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
