"""Matching by meaning in a workspace: the phrases are embedded with the analysis, and a
server never loads the sentence model inside a request (it answers by words and says so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.pathway.act import connect
from smartmoves.pathway.act.connect import analysis, meaning, memo
from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.settings import Settings

from orgfiles import write_org
from services import ADMIN


@pytest.fixture
def loaded(workspace: Settings, tmp_path: Path) -> Settings:
    import_files(workspace, find_table_files(write_org(tmp_path / "org")))
    analysis._memory.clear()
    memo.INDEXES.clear()
    memo.ANSWERS.clear()
    return workspace


def test_the_import_embeds_every_profile_phrase_with_the_analysis(loaded: Settings) -> None:
    if not meaning.installed():
        pytest.skip("the embeddings extra is not installed")
    network = connect.workspace_network(loaded)
    assert meaning.warm_model()  # what a server's start, or a command, does
    assert meaning.encoder_for(loaded, network) is not None
    kept = meaning._stored(loaded, network.key)
    assert kept is not None
    assert set(network.profiles["text"].astype(str)) <= set(kept)
    found = connect.experts(loaded, ADMIN, "customers who stop paying")
    assert found.method == "embeddings"


def test_a_server_answers_by_words_while_the_model_loads(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = connect.workspace_network(loaded)
    started: list[bool] = []
    monkeypatch.setattr(meaning, "installed", lambda: True)
    monkeypatch.setattr(meaning, "in_background", lambda: True)
    monkeypatch.setattr(meaning, "model_ready", lambda: False)
    monkeypatch.setattr(meaning, "_start_loading", lambda: started.append(True))
    assert meaning.encoder_for(loaded, network) is None
    assert started == [True]  # loading in a thread, not in the request
    note = meaning.matching_for("tfidf").note
    assert note.startswith("Matched by exact words only (TF-IDF) for now")
    monkeypatch.setattr(meaning, "installed", lambda: False)
    assert "not installed" in meaning.matching_for("tfidf").note
    assert meaning.matching_for("embeddings").note.startswith("Matched by meaning")
