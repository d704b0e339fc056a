"""The libraries a server imports before it answers: every library the package imports
inside a function is either preloaded or named as used by jobs and commands only."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import smartmoves
from smartmoves.web import preload

PACKAGE = Path(smartmoves.__file__).parent


def _imported_in_functions() -> dict[str, set[str]]:
    """Every module named by an import inside a function or method: its files."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    # ``from scipy import stats`` imports scipy.stats: both are named.
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                else:
                    continue
                for name in names:
                    found.setdefault(name, set()).add(str(path.relative_to(PACKAGE)))
    return found


def _imported_with_the_web() -> set[str]:
    """Modules a fresh process holds once it has imported the web package."""
    code = "import sys, smartmoves.web; print(' '.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def _decided(name: str, loaded: set[str]) -> bool:
    known = preload.LIBRARIES + preload.NOT_PRELOADED
    if any(name == k or name.startswith(k + ".") or k.startswith(name + ".") for k in known):
        return True
    if name in loaded:
        return True
    # ``from jinja2 import Environment``: a name of a loaded module, not a module itself.
    parent = name.rpartition(".")[0]
    return parent in loaded and importlib.util.find_spec(name) is None


def test_every_library_imported_inside_a_function_is_decided() -> None:
    found = _imported_in_functions()
    standard = set(sys.stdlib_module_names)
    third_party = {
        name: files
        for name, files in found.items()
        if name.split(".")[0] not in standard and name.split(".")[0] != "smartmoves"
    }
    assert "altair" in third_party  # the scan sees what it should: the charts' import
    loaded = _imported_with_the_web()
    undecided = {
        name: sorted(files) for name, files in third_party.items() if not _decided(name, loaded)
    }
    assert not undecided, f"add these to web/preload.py's LIBRARIES or NOT_PRELOADED: {undecided}"


def test_the_lists_do_not_overlap_and_name_real_imports() -> None:
    assert not set(preload.LIBRARIES) & set(preload.NOT_PRELOADED)
    found = _imported_in_functions()
    for name in preload.LIBRARIES:
        assert any(f == name or f.startswith(name + ".") for f in found), f"{name} is not used"


def test_preload_imports_every_library_in_a_fresh_process() -> None:
    code = (
        "import sys\n"
        "from smartmoves.web import preload\n"
        "before = set(sys.modules)\n"
        "preload.preload()\n"
        f"missing = [n for n in {preload.LIBRARIES!r} if n not in sys.modules]\n"
        "print(missing, 'altair' in before)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    # Nothing left out, and the web package alone had not imported the charts' library.
    assert done.stdout.split() == ["[]", "False"]
