"""A workgroup's Connect page: this tree's time beside a baseline commit's, in one run.

    python benchmarks/connect_page.py                       # the demo in /tmp/demo-connect
    python benchmarks/connect_page.py --baseline 115a847 --repeat 5
    python benchmarks/connect_page.py --workspace my-demo --people 5000 --weeks 26

The demo workspace is built first when the folder holds none (``smartmoves demo build``,
with this tree). The baseline is the ``src/`` of a commit, taken with ``git archive``
into a temporary folder. Each version runs in fresh processes (``--repeat`` of them,
alternating), like a server just started: it logs in (as the champion, by default),
then opens the Connect page of each workgroup of the demo pilot in turn, the first of
them twice. The text-search library (scikit-learn) is imported before the first page
and timed apart: the first page after a start pays for it once, whichever version runs.
Last, each version's answers (the pages' JSON twins) are compared: they must be equal.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def child(workspace: Path, role: str, workgroups: int) -> dict[str, Any]:
    """Open the Connect pages in this process; what :func:`main` reads back as JSON."""
    import re

    from fastapi.testclient import TestClient

    import smartmoves
    from smartmoves.settings import get_settings
    from smartmoves.web import create_app

    logins = json.loads((workspace / "demo-logins.json").read_text(encoding="utf-8"))
    login = next(item for item in logins if item["role"] == role)
    client = TestClient(create_app(get_settings(workspace)), base_url="https://testserver")
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert found, "no login form"
    form = {"email": login["email"], "password": login["password"], "csrf": found.group(1)}
    answer = client.post("/login", data={**form, "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303, f"could not log in as {role}"
    pages = []
    for pilot in client.get("/api/v1/pilots").json():
        listed = client.get(f"/api/v1/pilots/{pilot['id']}/workgroups").json()
        pages += [(pilot["id"], w["id"]) for w in listed.get("workgroups", [])]
    assert pages, "the demo has no workgroups"
    pages = pages[:workgroups]

    started = time.perf_counter()
    import sklearn.feature_extraction.text  # noqa: F401  (timed apart: see the docstring)

    figures: dict[str, Any] = {"sklearn_import": time.perf_counter() - started, "pages": []}
    for pilot_id, workgroup_id in [*pages, pages[0]]:
        started = time.perf_counter()
        page = client.get(f"/pilots/{pilot_id}/workgroups/{workgroup_id}/connect")
        figures["pages"].append(time.perf_counter() - started)
        assert page.status_code == 200, f"Connect page answered {page.status_code}"
    answers = []
    for pilot_id, workgroup_id in pages:
        twin = client.get(f"/api/v1/pilots/{pilot_id}/workgroups/{workgroup_id}/connect")
        assert twin.status_code == 200 and "connections" in twin.json(), "no analysis kept?"
        answers.append(twin.json())
    text = json.dumps(answers, sort_keys=True)
    figures["answers"] = hashlib.sha256(text.encode()).hexdigest()
    figures["workgroups"] = [w for _, w in pages]
    figures["source"] = str(Path(smartmoves.__file__).resolve().parents[1])
    return figures


def baseline_source(ref: str, into: Path) -> Path:
    """The ``src/`` folder of commit ``ref``, written under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref, "src"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run(source: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--workspace", str(args.workspace)]
    command += ["--role", args.role, "--workgroups", str(args.workgroups)]
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(figures["source"]) == source.resolve(), f"imported {figures['source']}"
    return figures


def ensure_demo(args: argparse.Namespace) -> None:
    if (args.workspace / "demo-logins.json").is_file():
        return
    print(f"building the demo in {args.workspace} ({args.people} people)...", flush=True)
    command = [sys.executable, "-m", "smartmoves", "demo", "build", str(args.workspace)]
    command += ["--people", str(args.people), "--weeks", str(args.weeks)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/demo-connect"))
    parser.add_argument("--people", type=int, default=2000, help="when building the demo")
    parser.add_argument("--weeks", type=int, default=26, help="when building the demo")
    parser.add_argument("--baseline", default="115a847", help="the commit to compare with")
    parser.add_argument("--role", default="champion", help="whose login opens the pages")
    parser.add_argument("--workgroups", type=int, default=4, help="how many workgroups")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per version")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workspace = args.workspace.expanduser().resolve()
    if args.child:
        print(json.dumps(child(args.workspace, args.role, args.workgroups)))
        return 0
    ensure_demo(args)
    with tempfile.TemporaryDirectory(prefix="connect-baseline-") as folder:
        versions = {
            args.baseline: baseline_source(args.baseline, Path(folder)),
            "this tree": REPO / "src",
        }
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
        for _ in range(args.repeat):
            for name, source in versions.items():  # alternating: both see the same load
                runs[name].append(run(source, args))
    report(args, runs)
    hashes = {r["answers"] for figures in runs.values() for r in figures}
    return 0 if len(hashes) == 1 else 1


def report(args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]]) -> None:
    base, ours = runs
    workgroups = runs[ours][0]["workgroups"]
    labels = [f"first page of workgroup {w}" for w in workgroups]
    labels.append(f"workgroup {workgroups[0]} again")

    def median(name: str, at: int | None = None) -> float:
        figures = runs[name]
        if at is None:
            return statistics.median(f["sklearn_import"] for f in figures)
        return statistics.median(f["pages"][at] for f in figures)

    print(
        f"\nConnect page: demo in {args.workspace}, as {args.role}, "
        f"median of {args.repeat} fresh processes per version (seconds)\n"
    )
    print(f"{'':34}{base:>12}{ours:>12}{'ratio':>9}")
    for at, label in enumerate(labels):
        before, after = median(base, at), median(ours, at)
        print(f"{label:34}{before:12.2f}{after:12.2f}{before / after:8.1f}x")
    total = [sum(median(name, at) for at in range(len(labels) - 1)) for name in (base, ours)]
    print(
        f"{'every first page, together':34}{total[0]:12.2f}{total[1]:12.2f}"
        f"{total[0] / total[1]:8.1f}x"
    )
    print(f"{'sklearn import (before page 1)':34}{median(base):12.2f}{median(ours):12.2f}")
    same = len({r["answers"] for figures in runs.values() for r in figures}) == 1
    print(f"\nthe same answers on every page (JSON twins): {'yes' if same else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())
