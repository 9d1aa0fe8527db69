"""VLM perception through any OpenAI-compatible chat-completions endpoint with image input.

vLLM, SGLang, Ollama (``/v1``), NVIDIA NIM, LM Studio, OpenAI and Gemini's compatible endpoint all speak it.
Per chunk: the frames as JPEG image parts, the profile's system prompt, and its JSON schema as
``response_format`` where the server accepts it (a server that rejects it is asked again without, and
remembered). Timeouts and 429/5xx are retried with exponential backoff (``Retry-After`` honoured) a bounded
number of times; what still fails raises :class:`VLMError`, which fails that chunk only.
"""

from __future__ import annotations

import base64
import logging
import random
import time
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np

from vlm.base import PerceptionContext
from vlm.profiles import Profile
from vlm.vlm_base import VLMError, VLMPerception

log = logging.getLogger(__name__)

__all__ = ["OpenAIPerception", "VLMError"]


class OpenAIPerception(VLMPerception):
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
    ) -> None:
        super().__init__(model_id=f"{base_url}|{model}", profile=profile, context=context,
                         frames_per_chunk=frames_per_chunk, input_width=input_width, cache_dir=cache_dir)
        self.model = model
        self.max_retries, self.backoff_s, self.max_tokens = max_retries, backoff_s, max_tokens
        self.concurrency = max(1, concurrency)  # chunks are independent: the pipeline runs this many at once
        self.structured_output = structured_output
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/") + "/", headers=headers,
                                    timeout=httpx.Timeout(timeout_s))

    def describe(self) -> str:
        return f"openai-compatible {self.model} at {self._client.base_url} (profile {self.profile.name})"

    def close(self) -> None:
        self._client.close()

    def _generate(self, system: str, text: str, images: list[np.ndarray]) -> str:
        content: list[dict[str, Any]] = [{"type": "text", "text": text}]
        content += [{"type": "image_url", "image_url": {"url": _jpeg_data_url(image)}} for image in images]
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": content}],
            "max_tokens": self.max_tokens,
            "temperature": 0.0,
        }
        if self.structured_output:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": f"vidgraph_{self.profile.name}", "schema": self.profile.reply_schema()},
            }
        return self._complete(body)

    def _complete(self, body: dict[str, Any]) -> str:
        last, retry_after = "", None
        for attempt in range(self.max_retries + 1):
            if attempt:
                time.sleep(self._delay(attempt, retry_after))
            try:
                response = self._client.post("chat/completions", json=body)
            except httpx.TimeoutException:
                last = f"timed out after {self._client.timeout.read:.0f} s"
                continue
            except httpx.TransportError as err:
                last = f"cannot reach {self._client.base_url}: {err}"
                continue
            if response.status_code == 400 and "response_format" in body and "response_format" in response.text:
                log.info("%s rejects response_format; using the tolerant parser", self._client.base_url)
                self.structured_output = False
                return self._complete({k: v for k, v in body.items() if k != "response_format"})
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


def _jpeg_data_url(rgb: np.ndarray) -> str:
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise VLMError("JPEG encoding failed")
    return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode()
