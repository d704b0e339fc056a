"""Connect to others: the collaboration network of files or of a workspace.

On files (``smartmoves network analyze --interactions FILE``) the interactions are
checked against their contract first, so a bad cell is reported by file, row and
column. On a workspace the imported interactions (``analytics/interactions.parquet``)
and imported Viva ties (``analytics/ties.parquet``) are analyzed once and cached in
``analytics/network/``, keyed by those files' fingerprints, the people import and the
options: pages read the cache after the first time.

Who may see what is decided in :mod:`smartmoves.pathway.network_views`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import pickle
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.analytics import build_ties, person_topics
from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.imports.events import stage_events
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db, org
from smartmoves.data.validate import validate_table
from smartmoves.data.workspace import analytics_path, replace_file, staging_path
from smartmoves.engines.network import NetworkAnalysis, analyze_network, expert_profiles
from smartmoves.errors import ConfigError, DataError
from smartmoves.pathway._store import store
from smartmoves.settings import Settings

__all__ = [
    "RECENT_DAYS",
    "Network",
    "NetworkOptions",
    "analyze_files",
    "demo_step",
    "workspace_network",
    "write_tables",
]

# "Who faces a similar challenge" reads the topics of the last weeks of the data only.
RECENT_DAYS = 91
CACHE_FOLDER = "network"
# Bump when what the cache holds changes, so old files are never unpickled into new code.
CACHE_VERSION = 2
SIGNATURE_BYTES = 32  # an HMAC-SHA256 of the cached payload heads the file
UNKNOWN_UNIT = "(unknown)"

_memory: dict[str, Any] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class NetworkOptions:
    """What an analysis depends on besides the data."""

    since: str | None = None
    until: str | None = None
    engine: str = "duckdb"
    min_group_size: int = 5
    seed: int = 0

    def check(self) -> None:
        if self.min_group_size < 1:
            raise ConfigError(f"--min-group-size must be at least 1, not {self.min_group_size}")


@dataclass(frozen=True, eq=False)
class Network:
    """A workspace's analysis with what suggestions need beside it."""

    analysis: NetworkAnalysis
    people: pd.DataFrame  # person_id, unit_id and attributes (skills...)
    topics: pd.DataFrame  # person_id, topic, events over the window
    recent_topics: pd.DataFrame | None  # the last RECENT_DAYS of the data
    profiles: pd.DataFrame  # person_id, field, text, weight
    key: str

    @property
    def profiles_key(self) -> str:
        """Changes whenever the profiles do (a new application, a new skill...)."""
        digest = pd.util.hash_pandas_object(self.profiles, index=False).to_numpy()
        return hashlib.sha256(digest.tobytes()).hexdigest()[:16]


def _people_file(path: Path) -> pd.DataFrame:
    # Units and managers are not checked: one part of an organization is enough here.
    contract = dataclasses.replace(CONTRACTS["people"], references=())
    return org.spread_attributes(validate_table(read_text_table(path), contract).frame)


def _topics_or_none(source: str | Path, options: NetworkOptions) -> pd.DataFrame | None:
    try:
        topics: pd.DataFrame = person_topics(
            source, backend=options.engine, since=options.since, until=options.until
        )
    except DataError:  # no topic column: communities simply have no top topics
        return None
    return topics


def analyze_files(
    interactions: Path, people: Path | None, options: NetworkOptions
) -> NetworkAnalysis:
    """The analysis of an interactions file (or folder, or glob) and a people file.

    Without a people file every id of the interactions counts as a person of one
    unknown unit, so there are no external contacts and no unit figures to speak of.

    Raises
    ------
    DataError
        A bad cell of either file (file, row, column), or an unreadable file.
    """
    options.check()
    people_frame = _people_file(people) if people is not None else None
    with tempfile.TemporaryDirectory(prefix="smartmoves-network-") as tmp:
        source: str | Path = interactions
        if Path(interactions).is_file():
            # Check every cell against the contract; analyze the checked copy.
            known = {"people": set(people_frame["person_id"])} if people_frame is not None else {}
            staged = stage_events(
                CONTRACTS["interactions"],
                interactions,
                Path(tmp) / "interactions.parquet",
                known=known,
            )
            source = staged.path
        ties = build_ties(source, backend=options.engine, since=options.since, until=options.until)
        topics = _topics_or_none(source, options)
    if people_frame is None:
        ids = sorted(set(ties["person_a"]) | set(ties["person_b"]))
        people_frame = pd.DataFrame({"person_id": ids, "unit_id": UNKNOWN_UNIT})
    return analyze_network(
        ties,
        people_frame,
        topics=topics,
        min_group_size=options.min_group_size,
        seed=options.seed,
    )


def _fingerprint(path: Path) -> list[Any] | None:
    if not path.is_file():
        return None
    stat = path.stat()
    return [path.name, stat.st_size, stat.st_mtime_ns]


def _recent_since(last: Any, options: NetworkOptions) -> pd.Timestamp | None:
    """Start of the recent window: RECENT_DAYS before the last event (or ``until``)."""
    end = pd.Timestamp(options.until) if options.until else None
    if end is None and last:
        end = pd.Timestamp(str(last))
    if end is None or end is pd.NaT:
        return None
    if end.tzinfo is not None:
        end = end.tz_convert("UTC").tz_localize(None)
    start = end - dt.timedelta(days=RECENT_DAYS)
    if options.since and pd.Timestamp(options.since) > start:
        return pd.Timestamp(options.since)
    return start


def _compute(
    events: Path | None,
    imported: Path | None,
    people: pd.DataFrame,
    last_event: Any,
    options: NetworkOptions,
) -> tuple[NetworkAnalysis, pd.DataFrame, pd.DataFrame | None]:
    ties = build_ties(
        events,
        backend=options.engine,
        since=options.since,
        until=options.until,
        imported=imported,
    )
    topics = pd.DataFrame(columns=["person_id", "topic", "events"])
    recent: pd.DataFrame | None = None
    if events is not None:
        topics = person_topics(
            events, backend=options.engine, since=options.since, until=options.until
        )
        start = _recent_since(last_event, options)
        if start is not None:
            recent = person_topics(events, backend=options.engine, since=start, until=options.until)
    analysis = analyze_network(
        ties, people, topics=topics, min_group_size=options.min_group_size, seed=options.seed
    )
    return analysis, topics, recent


Cached = tuple[NetworkAnalysis, pd.DataFrame, pd.DataFrame | None]


def _signature(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).digest()


def _load_cached(path: Path, secret: str) -> Cached | None:
    """The cached analysis, or ``None`` when there is none or it is not ours.

    The file starts with an HMAC of its payload under the workspace's secret key: only a
    file this workspace wrote is ever unpickled (a file put there by anyone else, or a
    damaged one, is recomputed instead).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    mark, payload = data[:SIGNATURE_BYTES], data[SIGNATURE_BYTES:]
    if not hmac.compare_digest(mark, _signature(secret, payload)):
        return None
    try:
        loaded = pickle.loads(payload)  # signed by this workspace: checked above
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(loaded, tuple) or len(loaded) != 3:
        return None
    return loaded


def _store_cached(folder: Path, key: str, value: Cached, secret: str) -> None:
    final = folder / f"{key}.pickle"
    staged = staging_path(final)
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    staged.write_bytes(_signature(secret, payload) + payload)
    replace_file(staged, final)
    for old in folder.glob("*.pickle"):  # one analysis per workspace is enough
        if old != final:
            old.unlink(missing_ok=True)


def workspace_network(settings: Settings, options: NetworkOptions | None = None) -> Network:
    """The network of the workspace's imported interactions, from the cache when it is fresh.

    Raises
    ------
    ConfigError
        No interactions (nor Viva ties) have been imported yet.
    """
    options = options or NetworkOptions(
        engine=settings.analytics_engine, min_group_size=settings.min_group_size
    )
    options.check()
    events = analytics_path(settings, "interactions")
    imported = analytics_path(settings, "ties")
    with db.transaction(store(settings)) as session:
        imports = org.last_imports(session)
        people = org.read_table(session, "people")
        activities = org.read_table(session, "activities")
        allocations = org.read_table(session, "allocations")
        applications = org.read_table(session, "applications")
    if not events.is_file() and not imported.is_file():
        raise ConfigError(
            "no interactions imported yet: put interactions.csv in a folder and run "
            "`smartmoves import FOLDER`"
        )
    if people.empty:
        raise ConfigError("no people imported yet: run `smartmoves import FOLDER` first")
    last_event = imports["interactions"].summary.get("last") if "interactions" in imports else None
    people_import = imports.get("people")
    key_parts = {
        "version": CACHE_VERSION,
        "workspace": str(settings.analytics_dir.resolve()),
        "events": _fingerprint(events),
        "imported": _fingerprint(imported),
        "people": people_import.sha256 if people_import else len(people),
        "last_event": last_event,
        "options": dataclasses.asdict(options),
    }
    key = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode()).hexdigest()[:32]
    folder = settings.analytics_dir / CACHE_FOLDER
    with _lock:
        cached = _memory.get(key)
        if cached is None:
            cached = _load_cached(folder / f"{key}.pickle", settings.secret_key)
        if cached is None:
            cached = _compute(
                events if events.is_file() else None,
                imported if imported.is_file() else None,
                people,
                last_event,
                options,
            )
            folder.mkdir(parents=True, exist_ok=True)
            _store_cached(folder, key, cached, settings.secret_key)
        _memory.clear()  # keep one analysis in memory: a 100,000-person one is large
        _memory[key] = cached
    analysis, topics, recent = cached
    profiles = expert_profiles(
        people,
        topics=topics,
        activities=activities if not activities.empty else None,
        allocations=allocations if not allocations.empty else None,
        applications=applications if not applications.empty else None,
    )
    return Network(analysis, people, topics, recent, profiles, key)


def _flat(value: Any) -> Any:
    """Lists as ``a;b`` for CSV (Parquet keeps them as lists)."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


def write_tables(analysis: NetworkAnalysis, folder: Path) -> list[Path]:
    """Write every table as Parquet and CSV, and the parameters and summary as JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("people", "units", "brokers", "communities", "unit_matrix"):
        frame: pd.DataFrame = getattr(analysis, name)
        parquet = folder / f"{name}.parquet"
        frame.to_parquet(parquet, index=False)
        csv = folder / f"{name}.csv"
        frame.apply(lambda column: column.map(_flat)).to_csv(csv, index=False)
        written += [parquet, csv]
    meta = folder / "parameters.json"
    data = analysis.to_dict()
    meta.write_text(
        json.dumps({"parameters": data["parameters"], "summary": data["summary"]}, indent=2),
        encoding="utf-8",
    )
    return [*written, meta]


def demo_step(settings: Settings, truth: dict[str, Any]) -> None:
    """Compute the demo's network once, so its pages open at once (about 8 s for the
    2,000-person bank on a 2-core machine, then a fraction of a second from the cache)."""
    workspace_network(settings)
