"""A small client for OpenAI-compatible ``/chat/completions``: retries, backoff, ``response_format`` fallback.

Shared by VLM perception (``vlm.openai_backend``) and the question-answering LLM (``query.llm``). Timeouts,
transport errors, 429 and 5xx are retried with exponential backoff (``Retry-After`` honoured, capped at 30 s) a
bounded number of times; anything else, or what still fails, raises the caller's error type with the reason.
"""

from __future__ import annotations

import logging
import os
import random
import time
from typing import TYPE_CHECKING, Any

from common.urls import UrlRefused, check_service_url

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)


_DEFAULTS = {  # base URL and model when the settings name none
    "openai": ("https://api.openai.com/v1", "gpt-4o-mini"),
    "ollama": ("http://localhost:11434/v1", "qwen2.5vl"),
}


def endpoint(backend: str, base_url: str | None, model: str | None, api_key: str | None) -> tuple[str, str, str | None]:
    """Base URL, model and API key for an OpenAI-compatible backend, with per-backend defaults; the key falls
    back to ``$OPENAI_API_KEY`` (Ollama ignores it, but some proxies want one)."""
    default_url, default_model = _DEFAULTS.get(backend, ("", ""))
    key = api_key or os.environ.get("OPENAI_API_KEY")
    if backend == "ollama" and not key:
        key = "ollama"
    return base_url or default_url, model or default_model, key


class ChatError(RuntimeError):
    """The endpoint could not give a reply (unreachable, refused, or not a chat-completions reply)."""


class ChatClient:
    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout_s: float = 60.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        error: type[Exception] = ChatError,
    ) -> None:
        import httpx  # here, not at import: 14 MB that a run without an endpoint never needs

        try:  # the settings were checked unresolved; here the host's addresses are known
            check_service_url(base_url, "chat endpoint")
        except UrlRefused as refused:
            raise error(str(refused)) from None
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client: httpx.Client = httpx.Client(base_url=base_url.rstrip("/") + "/", headers=headers,
                                    timeout=httpx.Timeout(timeout_s))
        self.max_retries, self.backoff_s, self.error = max_retries, backoff_s, error
        self.accepts_response_format = True  # until the server rejects it once

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    def close(self) -> None:
        self._client.close()

    def complete(self, body: dict[str, Any]) -> str:
        """The assistant message's text for one request body."""
        import httpx

        if not self.accepts_response_format:
            body = {k: v for k, v in body.items() if k != "response_format"}
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
                self.accepts_response_format = False
                return self.complete(body)
            if response.status_code == 429 or response.status_code >= 500:
                last = f"HTTP {response.status_code}: {response.text[:200]}"
                retry_after = response.headers.get("retry-after")
                continue
            if response.status_code >= 400:
                raise self.error(f"HTTP {response.status_code} from {self._client.base_url}: {response.text[:200]}")
            try:
                return response.json()["choices"][0]["message"]["content"] or ""
            except (ValueError, KeyError, IndexError, TypeError) as err:
                raise self.error(f"not a chat-completions reply: {response.text[:200]}") from err
        raise self.error(f"{last} (gave up after {self.max_retries + 1} attempts)")

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """The server's Retry-After (seconds, capped at 30) or exponential backoff with jitter."""
        if retry_after:
            try:
                return min(float(retry_after), 30.0)
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff
        return self.backoff_s * 2 ** (attempt - 1) * (0.5 + random.random() / 2)
