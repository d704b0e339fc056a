"""One adapter class per analytics backend; their SQL differences are held as data.

The named queries (:mod:`._ties`, :mod:`._topics`) are written once, against the small vocabulary of
:attr:`AnalyticsBackend.templates` (split a list, filter it, explode it...). Each backend
spells that vocabulary in its own dialect, registers a source as a view, and returns
Arrow tables, so a query's result does not depend on which backend ran it.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar

from smartmoves.data._duckdb import connect
from smartmoves.data.analytics._sources import TableSource
from smartmoves.data.engine_words import engine_reason
from smartmoves.errors import ConfigError, DataError, Problem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["BACKENDS", "AnalyticsBackend", "DuckDBBackend", "get_backend"]

_view_numbers = itertools.count(1)


class AnalyticsBackend:
    """What every backend provides: dialect templates, views over files, Arrow results.

    Subclasses set :attr:`name`, :attr:`string_type`, :attr:`identifier_quote` and
    :attr:`templates`, and implement :meth:`_register_files`, :meth:`columns`,
    :meth:`arrow` and :meth:`close`. Use a backend as a context manager so that its
    views and connections are released.
    """

    name: ClassVar[str]
    string_type: ClassVar[str]
    identifier_quote: ClassVar[str]
    # Keys are the query vocabulary; values are str.format templates of this dialect.
    templates: ClassVar[Mapping[str, str]]

    def sql(self, template: str, **parts: str) -> str:
        """Spell one vocabulary word: ``sql("size", list="l")`` -> ``len(l)``."""
        return self.templates[template].format(**parts)

    def ident(self, name: str) -> str:
        q = self.identifier_quote
        return q + name.replace(q, q + q) + q

    def register(self, source: TableSource, *, stem: str = "src") -> str:
        """Make ``source`` a view; return the view's name (unique within the process)."""
        view = f"sm_{stem}_{next(_view_numbers)}"
        try:
            self._register_files(view, source)
        except DataError:
            raise
        except Exception as exc:  # each engine has its own error types; name the file
            message = engine_reason(exc)
            raise DataError(
                [Problem(source.label, None, None, f"cannot read: {message}", source.format)]
            ) from None
        return view

    def _register_files(self, view: str, source: TableSource) -> None:
        raise NotImplementedError

    def columns(self, view: str) -> list[str]:
        raise NotImplementedError

    def arrow(self, query: str) -> pa.Table:
        raise NotImplementedError

    def register_arrow(self, table: pa.Table) -> str:
        raise NotImplementedError(f"{self.name} does not read Arrow tables in place")

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> AnalyticsBackend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _literal_list(files: tuple[str, ...]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


class DuckDBBackend(AnalyticsBackend):
    """The embedded default: an in-process DuckDB connection, closed with the backend.

    Parameters
    ----------
    memory_limit
        DuckDB's ``memory_limit`` (e.g. ``"4GB"``); beyond it DuckDB spills to disk.
    threads
        Worker threads; default: DuckDB's choice (all cores).

    Examples
    --------
    >>> with DuckDBBackend() as backend:
    ...     backend.sql("size", list="people")
    'len(people)'
    """

    name = "duckdb"
    string_type = "VARCHAR"
    identifier_quote = '"'
    templates: ClassVar[Mapping[str, str]] = {
        "split": "string_split({text}, ';')",
        "transform": "list_transform({list}, lambda x: {body})",
        "filter": "list_filter({list}, lambda x: {body})",
        "distinct": "list_distinct({list})",
        "size": "len({list})",
        "prepend": "list_prepend({item}, {list})",
        "list_of": "[{item}]",
        "explode": "unnest({list})",
        # 1-based positions; "after" is the part of the list past that position.
        "explode_with_position": (
            "unnest({list}) AS {item}, unnest(range(1, len({list}) + 1)) AS {pos}"
        ),
        "after": "list_slice({list}, {pos} + 1, len({list}))",
        "join_sorted_set": "string_agg(DISTINCT {value}, '+' ORDER BY {value})",
    }

    def __init__(self, *, memory_limit: str | None = None, threads: int | None = None) -> None:
        self._con: Any = connect()
        self._con.execute("SET TimeZone = 'UTC'")
        # Every query sorts its own output, so rows may flow in any order: less memory on
        # large inputs. What spills goes to the system's temp folder, not the current one.
        self._con.execute("SET preserve_insertion_order = false")
        self._spill = tempfile.TemporaryDirectory(prefix="smartmoves-duckdb-")
        self._con.execute(f"SET temp_directory = '{self._spill.name}'")
        if memory_limit:
            self._con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")

    def _register_files(self, view: str, source: TableSource) -> None:
        files = _literal_list(source.files)
        if source.format == "parquet":
            relation = f"read_parquet({files}, union_by_name = true)"
        else:
            relation = f"read_csv({files}, all_varchar = true, header = true, union_by_name = true)"
        self._con.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM {relation}")
        self._con.execute(f"DESCRIBE {view}")

    def columns(self, view: str) -> list[str]:
        return [str(row[0]) for row in self._con.execute(f"DESCRIBE {view}").fetchall()]

    def arrow(self, query: str) -> pa.Table:
        return self._con.sql(query).to_arrow_table()

    def batches(self, query: str, rows: int) -> pa.RecordBatchReader:
        """The result in batches of about ``rows`` rows, as DuckDB makes them: a result
        larger than memory is never held whole."""
        return self._con.sql(query).to_arrow_reader(rows)

    def register_arrow(self, table: pa.Table) -> str:
        """Make an Arrow table a view (read in place, not copied); return its name."""
        view = f"sm_arrow_{next(_view_numbers)}"
        self._con.register(view, table)
        return view

    def close(self) -> None:
        self._con.close()
        self._spill.cleanup()


def _spark_backend(**options: Any) -> AnalyticsBackend:
    from smartmoves.data.analytics._spark import SparkBackend

    return SparkBackend(**options)


BACKENDS: Mapping[str, Any] = {"duckdb": DuckDBBackend, "spark": _spark_backend}


def get_backend(name: str, **options: Any) -> AnalyticsBackend:
    """A new backend called ``name`` (``duckdb`` or ``spark``).

    Raises
    ------
    ConfigError
        For an unknown name, or ``spark`` without PySpark and Java.
    """
    try:
        make = BACKENDS[name]
    except KeyError:
        raise ConfigError(
            f"unknown analytics backend {name!r} (expected one of {', '.join(BACKENDS)})"
        ) from None
    backend: AnalyticsBackend = make(**options)
    return backend
