"""Parse what a VLM replied into a validated structure, tolerating what real servers send.

Servers without structured output wrap JSON in code fences, add prose before or after it, or stop mid-object
when they hit ``max_tokens``. This module finds the JSON object, repairs a truncated one by closing it at
the last complete element, and validates it. What cannot be read raises :class:`ReplyError` carrying the
raw text, so a failed chunk keeps the evidence.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, Field, ValidationError


class ReplyObject(BaseModel):
    id: str
    cls: str = Field(alias="class")
    description: str = ""


class ReplyEvent(BaseModel):
    type: str
    start: float
    end: float
    confidence: float = Field(default=0.5, ge=0, le=1)
    description: str = ""
    objects: list[str] = Field(default_factory=list)


class VLMReply(BaseModel):
    caption: str
    objects: list[ReplyObject] = Field(default_factory=list)
    events: list[ReplyEvent] = Field(default_factory=list)
    repaired: bool = False  # the JSON was truncated and closed at its last complete element


class ReplyError(ValueError):
    def __init__(self, reason: str, raw: str) -> None:
        self.reason, self.raw = reason, raw
        super().__init__(f"{reason} (reply began: {raw[:120]!r})")


_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)(?:```|$)", re.S)


def _structure(text: str, start: int = 0):
    """``(index, char)`` for every character outside JSON strings, from ``start``; last item tells if a
    string is still open at the end (``(-1, '"')``)."""
    in_string, escaped = False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        else:
            yield i, ch
    if in_string:
        yield -1, '"'


def _object_span(text: str) -> tuple[str, bool]:
    """The first top-level JSON object in ``text`` and whether it is complete."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object")
    depth = 0
    for i, ch in _structure(text, start):
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start : i + 1], True
    return text[start:], False


def _closers(fragment: str) -> str | None:
    """Brackets that close ``fragment``, or None if it ends inside a string."""
    stack: list[str] = []
    for i, ch in _structure(fragment):
        if i < 0:
            return None
        if ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    return "".join(reversed(stack))


def _repair(fragment: str) -> VLMReply | None:
    """Close a truncated object at its last complete element: the longest cut that parses and validates."""
    cuts = [m.start() for m in re.finditer(r"[,\[{]", fragment)]
    for cut in reversed(cuts[-200:]):
        head = fragment[: cut + 1] if fragment[cut] in "[{" else fragment[:cut]
        closing = _closers(head)
        if closing is None:
            continue
        try:
            return VLMReply.model_validate(json.loads(head + closing))
        except (json.JSONDecodeError, ValidationError):
            continue
    return None


def parse_reply(text: str) -> VLMReply:
    fenced = _FENCE.search(text)
    body = fenced.group(1) if fenced else text
    try:
        candidate, complete = _object_span(body)
    except ValueError:
        raise ReplyError("no JSON object in the reply", text) from None
    if not complete:
        reply = _repair(candidate)
        if reply is None:
            raise ReplyError("truncated JSON that cannot be closed into a valid reply", text)
        reply.repaired = True
        return reply
    try:
        return VLMReply.model_validate(json.loads(candidate))
    except json.JSONDecodeError as err:
        raise ReplyError(f"malformed JSON: {err.msg} at char {err.pos}", text) from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReplyError(f"reply does not match the schema: {where}: {first['msg']}", text) from None
