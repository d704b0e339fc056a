"""smartmoves: a workbench to redefine work.

Layers point one way (see ``docs/architecture.md``)::

    interfaces (cli, web, api) -> pathway -> engines, data

The package re-exports nothing heavy at import time so that ``python -m smartmoves``
starts quickly.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
