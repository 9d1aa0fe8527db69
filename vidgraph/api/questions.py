"""Questions: ``/ask``, the OpenAI-style ``/v1/chat/completions``, and ``/summarize``."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from common.text import clock
from query import AmbiguousStream, NoQuestion, UnknownStream, ask
from vidgraph.api.context import ERRORS, ApiContext, ctx

router = APIRouter(tags=["questions"], responses=ERRORS)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    streams: list[str] | None = None


class ChatMessage(BaseModel):
    role: str
    content: str = Field(max_length=8000)


class ChatRequest(BaseModel):
    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1, max_length=50)


class SummarizeRequest(BaseModel):
    stream_id: str = Field(min_length=1, max_length=64)
    scale: float | None = Field(default=None, description="300, 3600 or 86400; default: all levels")


def answer(c: ApiContext, question: str, streams: list[str] | None) -> dict[str, Any]:
    from query.llm import LLMError, create_llm

    try:
        llm = create_llm(c.settings.llm)
    except (ValueError, LLMError) as err:
        raise HTTPException(503, f"the answering model is not available: {err}") from err
    with c.reader() as store:
        try:
            result = ask(store, question, streams=streams, llm=llm, tz=c.settings.timezone,
                         context_tokens=c.settings.llm.context_tokens, max_tokens=c.settings.llm.max_tokens)
        except LLMError as err:
            raise HTTPException(502, f"the answering model failed: {err}") from err
        except AmbiguousStream as err:  # it exists, more than once: which one is for the caller to say
            raise HTTPException(409, str(err)) from err
        except UnknownStream as err:
            raise HTTPException(404, str(err)) from err
        except NoQuestion as err:
            raise HTTPException(422, str(err)) from err
    return result.to_dict()


@router.post("/ask")
def ask_route(body: AskRequest, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    """A question about the footage: the answer and its citations (stream, time, thumbnail, ids)."""
    return answer(c, body.question, body.streams)


@router.post("/v1/chat/completions")
def chat(body: ChatRequest, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    """OpenAI-style: the last user message is the question; citations ride along in ``citations``."""
    question = next((m.content for m in reversed(body.messages) if m.role == "user"), None)
    if not question:
        raise HTTPException(422, "no user message to answer")
    result = answer(c, question, None)
    lines = [result["text"], *(f"[{cite['stream']} @ {clock(cite['t0'])}-{clock(cite['t1'])}] {cite['what']}"
                               for cite in result["citations"])]
    return {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion", "model": body.model or "vidgraph",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "\n".join(lines)}}],
            "citations": result["citations"], "supported": result["supported"]}


@router.post("/summarize")
def summarize(body: SummarizeRequest, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    """The stream's hierarchical digests (VSS's /summarize, without an LLM: structured digests)."""
    with c.reader() as store:
        if store.get_stream(body.stream_id) is None:
            raise HTTPException(404, f"no stream {body.stream_id}")
        rows = store.summaries(streams=[body.stream_id], scale=body.scale)
    return {"stream_id": body.stream_id, "summaries": rows}
