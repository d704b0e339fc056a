"""How long a text may be, wherever it comes in: one table for the page's forms
(``web/texts.py``) and the API's bodies (``api/bodies.py``), so that both refuse the same
name at the same length. docs/security.md ("Limits") lists it for users.

A text beyond its limit, or holding a NUL character (PostgreSQL cannot store one, and no
name or note needs it), is refused with a 4xx naming the field; nothing is stored. The
use cases keep their own, tighter limits where the product has a reason (a charter's
field is read in one sitting: 4,000 characters).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CHOICE",
    "EMAIL",
    "FIELDS",
    "NAME",
    "NEXT_URL",
    "PASSWORD",
    "TEXT",
    "limit_of",
    "text_problem",
]

NAME = 200  # a pilot's name, an id (the store keeps ids in 200 characters), a feature
CHOICE = 40  # one of a few words: a status, a decision, an action, a checklist part
EMAIL = 320  # the longest address SMTP allows: 64 before the @, 255 after
PASSWORD = 1_024  # room for any passphrase; argon2 hashes it whatever its length
NEXT_URL = 2_000  # the page a login goes back to: about what browsers keep of a URL
TEXT = 20_000  # anything else: a call, an opportunity, notes, an application

_KINDS: dict[int, Iterable[str]] = {
    NAME: (
        "name",
        "display_name",
        "unit_id",
        "person_id",
        "coach_id",
        "activity_id",
        "metric_id",
        "parent_id",
        "features",
        "volunteers",
        "csrf",
    ),
    CHOICE: ("status", "part", "action", "decision", "suggested", "role", "level", "direction"),
    EMAIL: ("email",),
    PASSWORD: ("password",),
    NEXT_URL: ("next",),
}

# Field name -> its limit; a field not named here is a TEXT.
FIELDS: dict[str, int] = {field: limit for limit, names in _KINDS.items() for field in names}


def limit_of(field: str) -> int:
    """The most characters the field ``field`` (of a form or a body) may hold."""
    return FIELDS.get(field, TEXT)


def text_problem(field: str, value: str) -> tuple[str, str] | None:
    """What is wrong with ``value`` as the field ``field``: a kind (as pydantic names
    it, for the API's 422) and a few words for the user; ``None`` when nothing is."""
    if "\x00" in value:
        return "string_nul", "must not contain a NUL character"
    limit = limit_of(field)
    if len(value) > limit:
        return "string_too_long", f"at most {limit:,} characters"
    return None
