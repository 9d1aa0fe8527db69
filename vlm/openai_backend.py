"""VLM perception through any OpenAI-compatible chat-completions endpoint with image input.

vLLM, SGLang, Ollama (``/v1``), NVIDIA NIM, LM Studio, OpenAI and Gemini's compatible endpoint all speak it.
Per chunk: the frames as JPEG image parts, the profile's system prompt, and its JSON schema as
``response_format`` where the server accepts it (a server that rejects it is asked again without, and
remembered). Timeouts and 429/5xx are retried with exponential backoff (``Retry-After`` honoured) a bounded
number of times (``common.chat_http``); what still fails raises :class:`VLMError`, which fails that chunk only.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from common.chat_http import ChatClient
from vlm.base import PerceptionContext
from vlm.profiles import Profile
from vlm.vlm_base import VLMError, VLMPerception

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
        draw_marks: bool = True,
    ) -> None:
        super().__init__(model_id=f"{base_url}|{model}", profile=profile, context=context,
                         frames_per_chunk=frames_per_chunk, input_width=input_width, cache_dir=cache_dir,
                         draw_marks=draw_marks)
        self.model = model
        self.max_tokens = max_tokens
        self.concurrency = max(1, concurrency)  # chunks are independent: the pipeline runs this many at once
        self._structured_output = structured_output
        self._chat = ChatClient(base_url, api_key, timeout_s=timeout_s, max_retries=max_retries,
                                backoff_s=backoff_s, error=VLMError)

    @property
    def structured_output(self) -> bool:
        """Asked for, and not (yet) rejected by the server."""
        return self._structured_output and self._chat.accepts_response_format

    def describe(self) -> str:
        return f"openai-compatible {self.model} at {self._chat.base_url} (profile {self.profile.name})"

    def close(self) -> None:
        self._chat.close()

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
        return self._chat.complete(body)


def _jpeg_data_url(rgb: np.ndarray) -> str:
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise VLMError("JPEG encoding failed")
    return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode()
