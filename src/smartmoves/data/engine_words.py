"""An analytics engine's error in the product's words.

DuckDB and Spark say what went wrong in their own vocabulary ("Invalid Input Error: No
magic bytes found at end of file '/srv/ws/analytics/interactions.parquet'"). A user
reads the reason without the engine's name for its error class, and without the
server's folders: a file is named by its own name, which is all a user of the web can
act on (and all that an attacker should learn about the server).

>>> engine_reason(OSError("IO Error: No files found that match the pattern "
...                       '"/srv/ws/analytics/events.parquet"'))
'the file is missing (events.parquet)'
>>> without_paths("cannot read /srv/ws/analytics/interactions.parquet: it is damaged")
'cannot read interactions.parquet: it is damaged'
"""

from __future__ import annotations

import re

__all__ = ["engine_reason", "without_paths"]

# An absolute POSIX or Windows path, up to a quote, a space or a closing bracket.
_PATH = re.compile(r"""(?:[A-Za-z]:\\|/)(?:[^\s'"()\[\]<>,;]+[/\\])+([^\s'"()\[\]<>,;/\\]+)""")
# DuckDB's "Invalid Input Error: ", "IO Error: ", "Binder Error: " and the like.
_CLASS = re.compile(r"^(?:[A-Z][A-Za-z]* )+Error: ")
# What an engine says, and what it means for the person who imported the file.
_MEANINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"no magic bytes|not a parquet file|corrupt|invalid parquet", re.I),
     "the file is damaged (it is no longer a readable Parquet file): import it again"),
    (re.compile(r"no files found|path does not exist|no such file", re.I),
     "the file is missing"),
    (re.compile(r"permission denied", re.I), "the server may not read the file"),
    (re.compile(r"out of memory|cannot allocate", re.I),
     "the server ran out of memory reading the file"),
)  # fmt: skip


def without_paths(text: str) -> str:
    """``text`` with every absolute path shortened to its last part (the file's name)."""
    return _PATH.sub(lambda m: m.group(1), text)


def engine_reason(exc: BaseException) -> str:
    """The first line of an engine's error, said plainly: a known cause in words (with
    the file's name where the engine gave one), else the engine's line without its error
    class and without server paths."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    line = _CLASS.sub("", first).strip() or type(exc).__name__
    for pattern, meaning in _MEANINGS:
        if pattern.search(line):
            named = _PATH.search(line)
            return f"{meaning} ({named.group(1)})" if named else meaning
    return without_paths(line)
