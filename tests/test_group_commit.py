"""Group commit (``graph.group``): what merges, in what order, and that a bad write costs only itself."""

from __future__ import annotations

import pytest
from conftest import make_settings

from graph import cypher
from graph.group import MAX_GROUP_ROWS, groups, merged
from pipeline import open_graph


def _seg(i: int, caption: str = "") -> dict:
    return {"id": f"s/r/seg/{i}", "stream_id": "s", "run": "r", "idx": i, "t0": i * 10.0, "t1": i * 10.0 + 10,
            "caption": caption or f"segment {i}", "motion": 0.0, "status": "ok", "error": "", "counts": "{}",
            "thumbnail": "", "seen": "{}", "unexplained": -1.0}


def _chunk(i: int, caption: str = "") -> list:
    """What one live chunk commits: its segment, then the link to its stream."""
    return [(cypher.UPSERT_SEGMENTS, {"rows": [_seg(i, caption)]}),
            (cypher.LINK_HAS, {"rows": [{"src": "s", "dst": f"s/r/seg/{i}"}]})]


def test_consecutive_upserts_merge_nodes_first_and_the_last_row_of_a_key_wins():
    txs = [_chunk(0), [(cypher.LINK_NEXT, {"rows": [{"src": "s/r/seg/0", "dst": "s/r/seg/1"}]}), *_chunk(1)],
           _chunk(0, "rewritten")]
    (group,) = groups(txs)
    one = merged(group)
    assert [q for q, _ in one] == [cypher.UPSERT_SEGMENTS, cypher.LINK_HAS, cypher.LINK_NEXT]  # nodes first
    segments = one[0][1]["rows"]
    assert [r["id"] for r in segments] == ["s/r/seg/0", "s/r/seg/1"]
    assert segments[0]["caption"] == "rewritten"  # as if applied one after another
    assert len(one[1][1]["rows"]) == 2  # the same link twice is one row


def test_anything_but_row_upserts_commits_alone_in_its_place():
    delete = [(cypher.DELETE_EVENTS, {"stream": "s", "keep": "r"})]
    out = groups([_chunk(0), _chunk(1), delete, _chunk(2)])
    assert [len(g) for g in out] == [2, 1, 1] and out[1] == [delete]


def test_a_group_stops_at_its_row_bound():
    out = groups([_chunk(i) for i in range(10)], max_rows=6)
    assert [len(g) for g in out] == [3, 3, 3, 1] and MAX_GROUP_ROWS >= 5_000


def test_a_bad_write_in_a_group_costs_only_itself(tmp_path):
    """On the embedded store: a row LadybugDB refuses (text for a DOUBLE) fails its own transaction; the
    others queued with it are committed, and the failure reaches the caller at the next flush."""
    with open_graph(make_settings(tmp_path)) as store:
        store._writes.put([(cypher.UPSERT_SEGMENTS, {"rows": [_seg(99)]})])  # holds the writer briefly
        for i in range(20):
            tx = _chunk(i)
            if i == 7:
                tx[0][1]["rows"][0]["t0"] = "soon"
            store._writes.put([tx[0]])
        with pytest.raises(RuntimeError):
            store.flush()
        ids = {r["id"] for r in store._read("MATCH (s:Segment) RETURN s.id AS id")}
        assert "s/r/seg/7" not in ids and {f"s/r/seg/{i}" for i in range(20) if i != 7} <= ids


def test_a_write_after_close_is_refused_not_queued_forever(tmp_path):
    """Before: a write put after close sat in the queue with no writer thread (lost, and the next flush waited
    forever); closing twice queued a second stop nobody took."""
    from graph.group import WriteQueue

    done: list[object] = []
    writes = WriteQueue(done.append, "test-writer")
    writes.put([("q", {"rows": [{"id": "a"}]})])
    writes.close()
    writes.close()
    assert len(done) == 1
    with pytest.raises(RuntimeError, match="closed"):
        writes.put([("q", {"rows": [{"id": "b"}]})])
    writes.flush()  # returns: nothing is waiting
