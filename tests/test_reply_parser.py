"""vlm/reply: what real servers send, read or refused with the reason and the raw text."""

from __future__ import annotations

import json

import pytest

from vlm.reply import ReplyError, parse_reply

GOOD = {"caption": 'a "quoted" {brace} [bracket]', "objects": [{"id": "1", "class": "forklift"}],
        "events": [{"type": "forklift_moving", "start": 1, "end": 2}, {"type": "spill", "start": 3, "end": 4}]}
TEXT = json.dumps(GOOD)


def test_braces_and_escaped_quotes_inside_strings_do_not_confuse_the_scanner():
    reply = parse_reply("Here you go: " + TEXT + " trailing {")
    assert reply.caption == GOOD["caption"] and len(reply.events) == 2 and not reply.repaired


def test_truncation_keeps_every_complete_event():
    cut = TEXT[: TEXT.index('{"type": "spill"') + 10]
    reply = parse_reply(cut)
    assert reply.repaired and [e.type for e in reply.events] == ["forklift_moving"]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "no JSON object"),
        ('{"caption": 3, "events": []}', "does not match the schema: caption"),
        ('{"caption": "x", "events": [{"type": "spill"}]}', "does not match the schema: events.0.start"),
        ('{"caption": "never closed', "cannot be closed"),
        ('{"caption": "x",, "events": []}', "malformed JSON"),
    ],
)
def test_unusable_replies_say_why_and_keep_the_raw_text(text, reason):
    with pytest.raises(ReplyError) as raised:
        parse_reply(text)
    assert reason in str(raised.value) and raised.value.raw == text
