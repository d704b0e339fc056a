"""What a user waits for first: ``smartmoves --help``, a cold ``/network`` and a
workgroup's Connect page, this tree beside a baseline commit, in one run.

    python benchmarks/first_pages.py                         # baseline: before issue 12
    python benchmarks/first_pages.py --baseline 115a847 --repeat 3

Each version gets its own demo workspace, built by that version (``smartmoves demo
build``; workspaces of different versions need not be readable by the other), in
``--workdir``, kept for later runs. Then, in fresh processes (``--repeat`` of them,
alternating versions), like a server just started:

- ``--help``: the command line's start (the median of ``--repeat`` runs);
- ``/network``: the first request for the network page, as the champion; and the same
  in a copy of the workspace whose stored analysis was deleted (the wait for it to be
  computed: inside the request before issue 12, as a job the page polls after);
- Connect: the first Connect page of the demo pilot's first workgroup, as the
  supervisor who coaches it, then the same page again;
- ``entry-points`` and ``report``: ``smartmoves entry-points --format json`` and
  ``smartmoves report --pilot 1 --out report.pdf``, each a fresh process (after one run
  of each, which keeps what a first run keeps); ``-`` where that version lacks them.

    python benchmarks/first_pages.py --baseline 832b2d3   # before the estimates were kept

A page that answers 202 (analysis started as a job) is polled until it answers 200:
the time is the user's wait for the figures, whichever way they come.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from connect_page import REPO, baseline_source

BASELINE = "25943d5"


def _login(client: Any, workspace: Path, role: str) -> None:
    logins = json.loads((workspace / "demo-logins.json").read_text(encoding="utf-8"))
    login = next(item for item in logins if item["role"] == role)
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert found, "no login form"
    form = {"email": login["email"], "password": login["password"], "csrf": found.group(1)}
    answer = client.post("/login", data={**form, "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303, f"could not log in as {role}"


def _wait(client: Any, path: str) -> float:
    """Seconds until ``path`` answers 200 (polling while it answers 202)."""
    started = time.perf_counter()
    answer = client.get(path)
    while answer.status_code == 202:
        time.sleep(0.5)
        answer = client.get(path)
    assert answer.status_code == 200, f"{path}: {answer.status_code}"
    return time.perf_counter() - started


def child(workspace: Path, page: str) -> dict[str, Any]:
    """In a fresh process: the first request for one page, and the same again."""
    from fastapi.testclient import TestClient

    from smartmoves.settings import get_settings
    from smartmoves.web import create_app

    if page == "recompute":  # a copy with no stored analysis
        copy = Path(tempfile.mkdtemp(prefix="smartmoves-recompute-")) / "workspace"
        shutil.copytree(workspace, copy)
        shutil.rmtree(copy / "analytics" / "network", ignore_errors=True)
        workspace, page = copy, "network"
    role = "champion" if page == "network" else "supervisor"
    with TestClient(create_app(get_settings(workspace)), base_url="https://testserver") as client:
        _login(client, workspace, role)
        if page == "network":
            path = "/network"
        else:
            pilot = client.get("/api/v1/pilots").json()[0]["id"]
            path = f"/pilots/{pilot}/workgroups/{_coached(workspace)}/connect"
        first = _wait(client, path)
        again = _wait(client, path)
    return {"first": first, "again": again, "path": path}


def _coached(workspace: Path) -> int:
    """The first workgroup the demo's supervisor coaches (else the first workgroup: an
    older demo may not give them one)."""
    import sqlite3

    logins = json.loads((workspace / "demo-logins.json").read_text(encoding="utf-8"))
    person = next(item for item in logins if item["role"] == "supervisor").get("person_id")
    with sqlite3.connect(workspace / "smartmoves.db") as con:
        rows = con.execute("SELECT id, coach_id FROM workgroups ORDER BY id").fetchall()
    assert rows, "the demo has no workgroups"
    return next((wid for wid, coach in rows if coach == person), rows[0][0])


def _python(source: Path, *arguments: str, check: bool = True) -> str:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(
        [sys.executable, *arguments], check=check, capture_output=True, text=True, env=env
    )
    return done.stdout


def _help_seconds(source: Path) -> float:
    started = time.perf_counter()
    _python(source, "-m", "smartmoves", "--help")
    return time.perf_counter() - started


def _command_seconds(source: Path, workspace: Path, command: str) -> float | None:
    """Seconds of one ``smartmoves`` command in a fresh process; None when it fails."""
    arguments = {
        "entry-points": ["entry-points", "--format", "json"],
        "report": ["report", "--pilot", "1", "--out", str(workspace / "benchmark-report.pdf")],
    }[command]
    env = {**os.environ, "PYTHONPATH": str(source)}
    command_line = [sys.executable, "-m", "smartmoves", *arguments, "--workspace", str(workspace)]
    started = time.perf_counter()
    done = subprocess.run(command_line, capture_output=True, env=env, check=False)
    return time.perf_counter() - started if done.returncode == 0 else None


def _median(figures: list[float | None]) -> str:
    known = [f for f in figures if f is not None]
    return f"{statistics.median(known):22.2f}" if len(known) == len(figures) else f"{'-':>22}"


def _page(source: Path, workspace: Path, page: str) -> dict[str, Any]:
    out = _python(source, __file__, "--child", page, "--workspace", str(workspace))
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/smartmoves-first-pages"))
    parser.add_argument(
        "--child", choices=["network", "recompute", "connect"], help=argparse.SUPPRESS
    )
    parser.add_argument("--workspace", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.workspace, args.child)))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="smartmoves-baseline-") as tmp:
        sources = {
            f"baseline {args.baseline}": baseline_source(args.baseline, Path(tmp)),
            "this tree": REPO / "src",
        }
        workspaces = {}
        for name, source in sources.items():
            workspace = args.workdir / name.replace(" ", "-")
            if not (workspace / "demo-logins.json").is_file():
                print(f"building the demo for {name}...", flush=True)
                _python(source, "-m", "smartmoves", "demo", "build", str(workspace))
            workspaces[name] = workspace
        runs: dict[str, dict[str, list[float | None]]] = {name: {} for name in sources}
        for name, source in sources.items():  # what a first run keeps is kept for both
            for command in ("entry-points", "report"):
                _command_seconds(source, workspaces[name], command)
        for _ in range(args.repeat):
            for name, source in sources.items():
                figures = runs[name]
                figures.setdefault("--help", []).append(_help_seconds(source))
                for page in ("network", "connect"):
                    found = _page(source, workspaces[name], page)
                    figures.setdefault(f"{page}, first", []).append(found["first"])
                    figures.setdefault(f"{page}, again", []).append(found["again"])
                found = _page(source, workspaces[name], "recompute")
                figures.setdefault("network, nothing stored", []).append(found["first"])
                for command in ("entry-points", "report"):
                    seconds = _command_seconds(source, workspaces[name], command)
                    figures.setdefault(command, []).append(seconds)
    names = list(sources)
    print(f"\nmedian seconds of {args.repeat} fresh processes")
    print(f"{'':24}" + "".join(f"{name:>22}" for name in names))
    for row in runs[names[0]]:
        cells = "".join(_median(runs[name][row]) for name in names)
        print(f"{row:24}{cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
