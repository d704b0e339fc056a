"""Answers kept in memory: a view's JSON, and a page's HTML, by what they are made of.

With fifty users who never pause, templating and JSON encoding were most of the CPU a
request cost, for answers that change only when the data do. So, per process:

- **a view's JSON** is kept by the view *object* (:func:`view_json`). Views are frozen,
  and the use cases hand out the same object until what it shows changes (their
  :class:`~smartmoves.pathway._cache.Kept` keys: imports, decisions, saves...), so the
  same object always encodes to the same bytes. An entry holds its view, so the object
  it names cannot be freed and its ``id`` reused while the entry lives.
- **a page's HTML** is kept by a digest of everything its template reads
  (:func:`page_key`): the template, the account (role, person, name: what the
  navigation and ``may(...)`` answer from), the path, query and HTMX headers, and the
  *content* of every value the route put in the context. A write changes a view, so the
  next key is new; nothing is invalidated by hand, and no worker must tell another.
  A value whose content cannot be told (an object no JSON encoder knows) leaves the page
  rendered every time, never kept.

What is never kept: the request's checks. The session is read, the policy asked and
person-level views audited by the use case on every request, before any kept body is
looked up, so a logout, a deactivation or a role change takes effect at once. The CSRF
token is not in a kept body either: pages are rendered with a placeholder that each
answer replaces by its own session's token.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError, to_json

__all__ = [
    "CSRF_PLACEHOLDER",
    "Bodies",
    "etag_of",
    "page_key",
    "view_json",
]

V = TypeVar("V")

# Random per process, so no page's own text can ever contain it by chance.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
MAX_BODY = 2_000_000  # bytes; a larger answer is rendered each time, not kept


class Bodies(Generic[V]):
    """The most recently used entries, at most ``entries`` of them and ``max_bytes`` of
    bodies in all, shared by the threads of a process. ``size`` tells an entry's bytes."""

    def __init__(self, entries: int, max_bytes: int, size: Callable[[V], int]) -> None:
        self.entries, self.max_bytes, self._size = entries, max_bytes, size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        size = self._size(value)
        if size > MAX_BODY:
            return
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self._bytes -= self._size(old)
            self._values[key] = value
            self._bytes += size
            while len(self._values) > self.entries or self._bytes > self.max_bytes:
                _, dropped = self._values.popitem(last=False)
                self._bytes -= self._size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0


def etag_of(body: bytes) -> str:
    """A strong ETag for ``body``: a digest of the bytes themselves."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


# id(view) -> (the view itself, its JSON, its ETag)
_JSON: Bodies[tuple[BaseModel, bytes, str]] = Bodies(1024, 64_000_000, lambda e: len(e[1]))


def view_json(view: BaseModel) -> tuple[bytes, str]:
    """``view`` as the API answers it (its model's fields, by alias) and its ETag, encoded
    once per view object."""
    found = _JSON.get(id(view))
    if found is not None and found[0] is view:
        return found[1], found[2]
    body = type(view).__pydantic_serializer__.to_json(view, by_alias=True)
    tag = etag_of(body)
    _JSON.put(id(view), (view, body, tag))
    return body, tag


# id(view) -> (the view itself, the digest of its content) for the pages' keys
_DIGESTS: Bodies[tuple[BaseModel, bytes]] = Bodies(4096, 1_000_000, lambda e: len(e[1]))


def _content(value: Any) -> bytes:
    """What ``value`` holds, as bytes: two values that give the same bytes render the same.
    A view is encoded once per object; any other value each time (they are small: forms,
    flags, links). Every field counts, a subclass's too (``serialize_as_any``)."""
    if isinstance(value, BaseModel):
        found = _DIGESTS.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        digest = hashlib.blake2b(to_json(value, serialize_as_any=True), digest_size=20).digest()
        _DIGESTS.put(id(value), (value, digest))
        return digest
    return to_json(value, serialize_as_any=True)


def page_key(
    name: str, status: int, account: Any, place: tuple[str, ...], context: Mapping[str, Any]
) -> str | None:
    """The digest of everything the template ``name`` reads, or ``None`` when a value of
    the context cannot be told by its content (that page is rendered each time).

    ``place``: the request's path, query and the headers templates read (HTMX's).
    """
    digest = hashlib.blake2b(digest_size=20)
    try:
        digest.update(to_json([name, status, account, place]))
        for key in sorted(context):
            digest.update(key.encode() + b"\0")
            digest.update(_content(context[key]) + b"\0")
    except (PydanticSerializationError, TypeError, ValueError):
        return None
    return digest.hexdigest()
