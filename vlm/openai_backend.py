"""VLM perception through any OpenAI-compatible chat-completions endpoint with image input.

vLLM, SGLang, Ollama (``/v1``), NVIDIA NIM, LM Studio, OpenAI and Gemini's compatible endpoint all speak it.
Per chunk: ``frames_per_chunk`` frames as JPEG image parts (scaled to ``input_width``), the profile's system
prompt, and its JSON schema as ``response_format`` where the server accepts it (a server that rejects it is
asked again without, and remembered). The reply goes through :func:`vlm.reply.parse_reply`.

Failure is visible and recoverable: timeouts and 429/5xx are retried with exponential backoff (``Retry-After``
honoured) a bounded number of times; what still fails becomes a ``failed`` observation with its reason, and
the run goes on. Successful replies are cached on disk by a hash of the request, so a re-run pays only for
the chunks that failed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import random
import time
from pathlib import Path
from typing import Any

import cv2
import httpx

from ingest.chunker import Chunk
from vlm.base import PerceptionBackend, PerceptionContext
from vlm.profiles import Profile
from vlm.reply import ReplyError, VLMReply, parse_reply
from vlm.schema import EntityObservation, EventObservation, Observation

log = logging.getLogger(__name__)


class VLMError(RuntimeError):
    """The endpoint could not give a usable reply for a chunk (after retries)."""


class OpenAIPerception(PerceptionBackend):
    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None,
        profile: Profile,
        context: PerceptionContext,
        frames_per_chunk: int = 8,
        input_width: int = 640,
        timeout_s: float = 60.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        concurrency: int = 2,
        max_tokens: int = 1024,
        structured_output: bool = True,
        cache_dir: Path | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.model, self.profile, self.context = model, profile, context
        self.frames_per_chunk, self.input_width = frames_per_chunk, input_width
        self.max_retries, self.backoff_s, self.max_tokens = max_retries, backoff_s, max_tokens
        self.concurrency = max(1, concurrency)  # chunks are independent: the pipeline runs this many at once
        self.structured_output = structured_output
        self.cache_dir = cache_dir
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/", headers=headers, timeout=httpx.Timeout(timeout_s), transport=transport
        )
        self.requests = 0  # HTTP requests sent (cache hits send none)

    def describe(self) -> str:
        return f"openai-compatible {self.model} at {self._client.base_url} (profile {self.profile.name})"

    # -- the interface ----------------------------------------------------------------------------------
    def perceive(self, chunk: Chunk) -> Observation:
        if not chunk.active:
            return Observation(chunk_idx=chunk.idx, t0=chunk.t0, t1=chunk.t1, status="static",
                               caption="no motion; not sent to the VLM", motion=chunk.motion)
        frames = chunk.pick(self.frames_per_chunk)
        body = self._request_body(chunk, frames)
        try:
            reply = self._reply(body)
        except (VLMError, ReplyError) as err:
            log.warning("chunk %d (%.1f-%.1f s) failed: %s", chunk.idx, chunk.t0, chunk.t1, err)
            return Observation(chunk_idx=chunk.idx, t0=chunk.t0, t1=chunk.t1, status="failed", error=str(err),
                               motion=chunk.motion)
        return self._observation(chunk, reply)

    def close(self) -> None:
        self._client.close()

    # -- request ------------------------------------------------------------------------------------------
    def _request_body(self, chunk: Chunk, frames: list) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{
            "type": "text",
            "text": f"Chunk {chunk.t0:.1f}-{chunk.t1:.1f} s. Frames at: "
                    + ", ".join(f"{f.t:.1f} s" for f in frames) + ".",
        }]
        for frame in frames:
            content.append({"type": "image_url", "image_url": {"url": self._jpeg_data_url(frame.image)}})
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": self.profile.prompt(len(frames))},
                {"role": "user", "content": content},
            ],
            "max_tokens": self.max_tokens,
            "temperature": 0.0,
        }
        if self.structured_output:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": f"vidgraph_{self.profile.name}", "schema": self.profile.reply_schema()},
            }
        return body

    def _jpeg_data_url(self, rgb) -> str:
        h, w = rgb.shape[:2]
        if w > self.input_width:
            rgb = cv2.resize(rgb, (self.input_width, round(h * self.input_width / w)), interpolation=cv2.INTER_AREA)
        ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
        if not ok:
            raise VLMError("JPEG encoding failed")
        return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode()

    # -- reply, with cache and retries ---------------------------------------------------------------------
    def _reply(self, body: dict[str, Any]) -> VLMReply:
        key = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        cached = self.cache_dir / key[:2] / f"{key}.txt" if self.cache_dir else None
        if cached is not None and cached.is_file():
            return parse_reply(cached.read_text())
        text = self._complete(body)
        reply = parse_reply(text)  # only usable replies are cached
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(text)
        return reply

    def _complete(self, body: dict[str, Any]) -> str:
        last, retry_after = "", None
        for attempt in range(self.max_retries + 1):
            if attempt:
                time.sleep(self._delay(attempt, retry_after))
            try:
                self.requests += 1
                response = self._client.post("chat/completions", json=body)
            except httpx.TimeoutException:
                last = f"timed out after {self._client.timeout.read:.0f} s"
                continue
            except httpx.TransportError as err:
                last = f"cannot reach {self._client.base_url}: {err}"
                continue
            if response.status_code == 400 and "response_format" in body and "response_format" in response.text:
                # a server without structured output: ask again without it, and remember
                log.info("%s rejects response_format; falling back to the tolerant parser", self._client.base_url)
                self.structured_output = False
                body = {k: v for k, v in body.items() if k != "response_format"}
                return self._complete(body)
            if response.status_code == 429 or response.status_code >= 500:
                last = f"HTTP {response.status_code}: {response.text[:200]}"
                retry_after = response.headers.get("retry-after")
                continue
            if response.status_code >= 400:
                raise VLMError(f"HTTP {response.status_code} from {self._client.base_url}: {response.text[:200]}")
            try:
                return response.json()["choices"][0]["message"]["content"] or ""
            except (ValueError, KeyError, IndexError, TypeError) as err:
                raise VLMError(f"not a chat-completions reply: {response.text[:200]}") from err
        raise VLMError(f"{last} (gave up after {self.max_retries + 1} attempts)")

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """The server's Retry-After (seconds, capped at 30) or exponential backoff with jitter."""
        if retry_after:
            try:
                return min(float(retry_after), 30.0)
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff
        return self.backoff_s * 2 ** (attempt - 1) * (0.5 + random.random() / 2)

    # -- observation ---------------------------------------------------------------------------------------
    def _observation(self, chunk: Chunk, reply: VLMReply) -> Observation:
        prefix = f"vlm-{chunk.idx}"

        def clamp(t: float) -> float:
            return min(max(t, chunk.t0), chunk.t1)

        entities = [
            EntityObservation(key=f"{prefix}-{obj.id}", cls=obj.cls.lower(), confidence=0.5, first_seen=chunk.t0,
                              last_seen=chunk.t1, attributes={"description": obj.description, "source": "vlm"})
            for obj in reply.objects
        ]
        known = {obj.id for obj in reply.objects}
        events = []
        for i, event in enumerate(reply.events):
            t0, t1 = sorted((clamp(event.start), clamp(event.end)))
            involved = [f"{prefix}-{o}" for o in event.objects if o in known]
            events.append(EventObservation(
                key=f"{prefix}-e{i}", type=event.type, t0=t0, t1=t1, confidence=event.confidence,
                description=event.description or event.type.replace("_", " "), entities=involved,
                roles={k: "subject" for k in involved}, attributes={"source": "vlm", "repaired": reply.repaired},
            ))
        counts: dict[str, int] = {}
        for entity in entities:
            counts[entity.cls] = counts.get(entity.cls, 0) + 1
        return Observation(chunk_idx=chunk.idx, t0=chunk.t0, t1=chunk.t1, status="ok", caption=reply.caption,
                           motion=chunk.motion, counts=counts, events=events, entities=entities)
