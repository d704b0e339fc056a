"""Connect to others: the collaboration network of a workspace (of files:
:mod:`smartmoves.pathway.act.connect.files`).

The imported interactions (``analytics/interactions.parquet``) and imported Viva ties
(``analytics/ties.parquet``) are analyzed once, when they are
imported (and by ``demo build``), and kept in ``analytics/network/`` as Parquet and JSON
(:mod:`smartmoves.pathway.act.connect.stored`), keyed by those files' fingerprints, the
people import and the options. Pages read what is kept; when nothing is (other options,
or data imported without an analysis) they start the analysis as a background job and
show its progress, never computing it inside the request.

Who may see what is decided by the policy, in :mod:`smartmoves.pathway.act.connect.views`
and :mod:`smartmoves.pathway.act.connect.suggestions`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.analytics import build_ties, ties_and_topics
from smartmoves.data.store import db, org, volunteers
from smartmoves.data.store.models import ImportRecord
from smartmoves.data.workspace import analytics_path, file_sha256
from smartmoves.engines.network import NetworkAnalysis, analyze_network, expert_profiles
from smartmoves.errors import ConfigError, DataError
from smartmoves.pathway._store import store
from smartmoves.pathway.act.connect.stored import (
    BUNDLE_VERSION,
    Stored,
    load_analysis,
    save_analysis,
)
from smartmoves.pathway.jobs import (
    JobFailed,
    JobKind,
    JobPending,
    Outcome,
    Progress,
    no_progress,
    register,
    submit,
)
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings

__all__ = [
    "ANALYSIS_JOB",
    "RECENT_DAYS",
    "Network",
    "NetworkOptions",
    "analyze_imported",
    "unit_external_shares",
    "warm",
    "workspace_network",
]

# "Who faces a similar challenge" reads the topics of the last weeks of the data only.
RECENT_DAYS = 91
CACHE_FOLDER = "network"

# The analysis in memory, by the folder that keeps it: the key names the data's content,
# so two workspaces of the same data share a key, and each must still keep its own bundle
# (a page of the second one starts its job rather than borrow the first one's).
_memory: dict[Path, Any] = {}
_lock = threading.Lock()

# The network with what its pages need beside it (people, profiles), by what it was read
# from (:func:`_version`): every page asks for it, and reading four tables of the store
# and building the profiles again took half a second a request. Each is kept with the
# analysis it was built on, and holds only while that analysis is the one in memory.
_networks: dict[tuple[Any, ...], tuple[Path, Any, Network]] = {}


@dataclass(frozen=True)
class NetworkOptions:
    """What an analysis depends on besides the data."""

    since: str | None = None
    until: str | None = None
    engine: str = "duckdb"
    min_group_size: int = 5
    seed: int = 0

    def check(self) -> None:
        if self.min_group_size < 5:  # the product's floor; see docs/security.md
            raise ConfigError(f"--min-group-size must be at least 5, not {self.min_group_size}")


@dataclass(frozen=True, eq=False)
class Network:
    """A workspace's analysis with what suggestions need beside it."""

    analysis: NetworkAnalysis
    people: pd.DataFrame  # person_id, unit_id and attributes (skills...)
    topics: pd.DataFrame  # person_id, topic, events over the window
    recent_topics: pd.DataFrame | None  # the last RECENT_DAYS of the data
    profiles: pd.DataFrame  # person_id, field, text, weight
    key: str

    @cached_property  # a page asks for it once per question: hash the profiles once
    def profiles_key(self) -> str:
        """Changes whenever the profiles do (a new application, a new skill...)."""
        digest = pd.util.hash_pandas_object(self.profiles, index=False).to_numpy()
        return hashlib.sha256(digest.tobytes()).hexdigest()[:16]


# Hashes of analytics files that have no import record, by (path, size, mtime): a page
# asks for the fingerprint on every request, and hashing a large file each time is slow.
_hashed: dict[tuple[str, int, int], str] = {}


def _fingerprint(path: Path, record: ImportRecord | None) -> list[Any] | None:
    """What names the content of an analytics file, so that the same data gives the same
    key wherever the workspace lives: a copied workspace (``cp -r``, a restored backup)
    has new modification times but the same analysis.

    The import that wrote the file recorded the sha256 of the file it read; that names the
    content without reading the file again. Its size beside it catches a file replaced by
    hand after the import. A file no import recorded (written by an older version, or put
    there by hand) is hashed itself.
    """
    if not path.is_file():
        return None
    stat = path.stat()
    if record is not None:
        return [path.name, stat.st_size, "import", record.sha256]
    seen = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _lock:
        digest = _hashed.get(seen)
    if digest is None:
        digest = file_sha256(path)
        with _lock:
            if len(_hashed) >= 16:  # older versions of the files are not asked for again
                _hashed.clear()
            _hashed[seen] = digest
    return [path.name, stat.st_size, "file", digest]


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
    progress: Progress | None = None,
) -> Stored:
    step = progress or no_progress
    # The database steps cannot say how far along they are: an open-ended bar (total 0).
    step("ties and topics from the interactions", 0, 0)
    topics = pd.DataFrame(columns=["person_id", "topic", "events"])
    recent: pd.DataFrame | None = None
    if events is None:
        ties = build_ties(
            None,
            imported=imported,
            backend=options.engine,
            since=options.since,
            until=options.until,
            as_arrow=True,
        )
    else:
        start = _recent_since(last_event, options)
        # One pass over the events for the ties, the whole window's topics and its last
        # weeks'; the ties stay in Arrow (tens of millions of rows at a large bank).
        ties, counted_table = ties_and_topics(
            events,
            imported=imported,
            backend=options.engine,
            since=options.since,
            until=options.until,
            recent_since=start,
            as_arrow=True,
        )
        counted = counted_table.to_pandas()
        topics = counted[["person_id", "topic", "events"]]
        if start is not None:
            recent = (
                counted.loc[counted["recent_events"] > 0, ["person_id", "topic", "recent_events"]]
                .rename(columns={"recent_events": "events"})
                .reset_index(drop=True)
            )
    analysis = analyze_network(
        ties,
        people,
        topics=topics,
        min_group_size=options.min_group_size,
        seed=options.seed,
        progress=lambda stage, done, total: step(f"network figures: {stage}", done, total),
    )
    return analysis, topics, recent


@dataclass(frozen=True)
class _Inputs:
    """What the workspace's analysis is computed from, and the key that names it."""

    events: Path | None
    imported: Path | None
    people: pd.DataFrame
    activities: pd.DataFrame
    allocations: pd.DataFrame
    applications: pd.DataFrame
    last_event: Any
    key: str


def _inputs(settings: Settings, options: NetworkOptions) -> _Inputs:
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
        "version": BUNDLE_VERSION,
        "events": _fingerprint(events, imports.get("interactions")),
        "imported": _fingerprint(imported, imports.get("ties")),
        "people": people_import.sha256 if people_import else len(people),
        "last_event": last_event,
        "options": dataclasses.asdict(options),
    }
    key = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode()).hexdigest()[:32]
    return _Inputs(
        events if events.is_file() else None,
        imported if imported.is_file() else None,
        people,
        activities,
        allocations,
        applications,
        last_event,
        key,
    )


def _file_mark(path: Path) -> tuple[int, int] | None:
    if not path.is_file():
        return None
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _version(settings: Settings, options: NetworkOptions) -> tuple[Any, ...]:
    """What the network and its profiles are read from, cheap enough to ask on every
    request: the store and the workspace, the last import of every table (people,
    activities, allocations, interactions, ties...), the applications (the pilot's web
    form adds and edits them, and they are part of the profiles), the analytics files as
    they are on disk, and the options. Whatever changes one of them gets a new network."""
    with db.reading(store(settings)) as session:
        imports = org.imports_mark(session)
        applications = volunteers.applications_mark(session)
    return (
        settings.sqlalchemy_url,
        str(settings.analytics_dir),
        imports,
        applications,
        _file_mark(analytics_path(settings, "interactions")),
        _file_mark(analytics_path(settings, "ties")),
        dataclasses.astuple(options),
    )


def _remember_network(version: tuple[Any, ...], folder: Path, found: Any, network: Network) -> None:
    with _lock:
        _networks.clear()  # one workspace's data at a time: a large network is large
        _networks[version] = (folder, found, network)


def _known_network(version: tuple[Any, ...]) -> Network | None:
    with _lock:
        kept = _networks.get(version)
        if kept is None or _memory.get(kept[0]) is not kept[1]:
            return None
        return kept[2]


def _kept(settings: Settings, key: str) -> Stored | None:
    """The analysis named ``key``, from this process' memory or the workspace's bundle."""
    folder = settings.analytics_dir / CACHE_FOLDER / key
    with _lock:
        found = _memory.get(folder)
    if found is None:
        found = load_analysis(folder)
        if found is not None:
            _remember(folder, found)
    return found


def _remember(folder: Path, found: Stored) -> None:
    with _lock:
        _memory.clear()  # keep one analysis in memory: a 100,000-person one is large
        _memory[folder] = found


def _keep(settings: Settings, key: str, found: Stored) -> None:
    folder = settings.analytics_dir / CACHE_FOLDER
    save_analysis(folder / key, found)
    for old in folder.iterdir():  # one analysis per workspace is enough
        if old.name == key or old.name.startswith("."):
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()  # an older version's file
    _remember(folder / key, found)


def _default_options(settings: Settings) -> NetworkOptions:
    return NetworkOptions(engine=settings.analytics_engine, min_group_size=settings.min_group_size)


def _run_analysis(
    settings: Settings, account: Account, params: dict[str, Any], progress: Progress
) -> Outcome:
    network = workspace_network(settings, compute=True, progress=progress)
    import multiprocessing

    # In a worker the model may take its seconds; run in the caller's thread (no worker
    # pool: a test, a command) it would be someone's request that waits.
    if multiprocessing.parent_process() is not None:
        _embed(settings, network, progress)
    summary = network.analysis.summary
    return Outcome(
        f"analyzed {summary.get('people', 0):,} people and {summary.get('ties', 0):,} ties",
        {"key": network.key},
    )


ANALYSIS_JOB = register(
    JobKind(
        "network-analysis",
        "Analyzing the collaboration network",
        "organization.read",  # whoever opened a page that needs it follows it
        _run_analysis,
    )
)


def workspace_network(
    settings: Settings,
    options: NetworkOptions | None = None,
    *,
    compute: bool = False,
    account: Account | None = None,
    progress: Progress | None = None,
) -> Network:
    """The network of the workspace's imported interactions, as it was kept.

    When no analysis is kept for the data and options: ``compute=True`` (the command
    line, the import, a job) computes and keeps it here; otherwise it is started as a
    background job for ``account`` and :class:`JobPending` says so (a page shows the
    job's progress and comes back when it is done).

    Raises
    ------
    ConfigError
        No interactions (nor Viva ties) have been imported yet.
    JobPending
        The analysis is being computed by a job.
    """
    options = options or _default_options(settings)
    options.check()
    version = _version(settings, options)
    known = _known_network(version)
    if known is not None:
        return known
    inputs = _inputs(settings, options)
    found = _kept(settings, inputs.key)
    if found is None and not compute:
        if options != _default_options(settings):
            compute = True  # only the workspace's own options run as a job
        else:
            job = submit(settings, account or Account.system("web"), ANALYSIS_JOB, "workspace", {})
            if job.active:
                raise JobPending(job)
            if job.status == "failed":
                raise JobFailed(job)
            found = _kept(settings, inputs.key)  # the job ran at once (no worker pool)
    if found is None:
        found = _compute(
            inputs.events, inputs.imported, inputs.people, inputs.last_event, options, progress
        )
        _keep(settings, inputs.key, found)
    analysis, topics, recent = found
    profiles = expert_profiles(
        inputs.people,
        topics=topics,
        activities=inputs.activities if not inputs.activities.empty else None,
        allocations=inputs.allocations if not inputs.allocations.empty else None,
        applications=inputs.applications if not inputs.applications.empty else None,
    )
    network = Network(analysis, inputs.people, topics, recent, profiles, inputs.key)
    _remember_network(version, settings.analytics_dir / CACHE_FOLDER / inputs.key, found, network)
    return network


def _embed(settings: Settings, network: Network, progress: Progress | None) -> None:
    """Read the profiles for meaning with the analysis, where the extra is installed, so
    that no page embeds them (see :mod:`.meaning`)."""
    from smartmoves.pathway.act.connect.meaning import embed_profiles, installed

    if installed():
        (progress or no_progress)("reading the profiles for meaning", 0, 0)
        embed_profiles(settings, network)


def analyze_imported(settings: Settings, progress: Progress | None = None) -> Network | None:
    """Analyze the network right after an import, so the first page that needs it is
    as fast as the others; ``None`` when there is nothing to analyze yet."""
    try:
        network = workspace_network(settings, compute=True, progress=progress)
    except ConfigError:
        return None
    _embed(settings, network, progress)
    return network


def warm(settings: Settings) -> bool:
    """Read the kept analysis into memory, with the code its pages run (and the sentence
    model, when installed), so the first page after a server starts is as fast as the
    next. Computes nothing, starts no job.

    Returns whether an analysis was kept for the workspace's data.
    """
    from smartmoves.pathway.act.connect.meaning import warm_model

    try:
        options = _default_options(settings)
        found = _kept(settings, _inputs(settings, options).key) is not None
    except (ConfigError, DataError, OSError):  # nothing imported yet, or unreadable: the page says
        return False
    if found:
        warm_model()  # the sentence model, when installed: seconds no page should wait
    return found


def unit_external_shares(
    settings: Settings,
    *,
    compute: bool = False,
    account: Account | None = None,
    progress: Progress | None = None,
) -> dict[str, float] | None:
    """Each unit's external share of collaboration (the weight of its ties that crosses
    the unit), for scoring entry points; units the analysis suppressed are left out, and
    ``None`` means no interactions were imported. ``compute`` as for
    :func:`workspace_network` (without it, a job starts and :class:`JobPending` says so).
    """
    try:
        found = workspace_network(settings, compute=compute, account=account, progress=progress)
    except ConfigError:
        return None
    units = found.analysis.units
    return {
        str(u): float(s)
        for u, s in zip(units["unit_id"], units["external_weight_share"], strict=True)
        if s == s  # NaN: suppressed in the analysis
    }
