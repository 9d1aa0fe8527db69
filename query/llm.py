"""The language model that answers open questions from retrieved evidence (the ``[llm]`` settings).

Two backends, as for perception: any OpenAI-compatible chat endpoint (vLLM, SGLang, Ollama, NIM, OpenAI) and a
local ``transformers`` text model. Each counts tokens with the answering model's tokenizer where it has one
(the local model's own; for an endpoint, ``llm.tokenizer`` pointing at a local tokenizer directory); without
one, a conservative 3 characters per token is used and :attr:`LLM.exact_tokens` says so.
"""

from __future__ import annotations

import math
import threading
from typing import Any, Protocol

from common.chat_http import ChatClient, ChatError
from query.settings import LLMSettings

_CHARS_PER_TOKEN = 3.0  # conservative for English and digits; over-counting only makes the context shorter


def estimate_tokens(text: str) -> int:
    """Tokens of ``text`` without a tokenizer: 3 characters per token, rounded up."""
    return math.ceil(len(text) / _CHARS_PER_TOKEN)


class LLMError(ChatError):
    """The answering model failed (unreachable endpoint, bad reply, missing local model)."""


class LLM(Protocol):
    name: str
    exact_tokens: bool

    def chat(self, system: str, user: str, max_tokens: int) -> str: ...

    def count_tokens(self, text: str) -> int: ...


class _Tokens:
    """Token counting with a local tokenizer when given, else the character estimate."""

    def __init__(self, tokenizer: Any = None) -> None:
        self._tokenizer = tokenizer
        self.exact_tokens = tokenizer is not None

    def count_tokens(self, text: str) -> int:
        if self._tokenizer is not None:
            return len(self._tokenizer.encode(text, add_special_tokens=False))
        return estimate_tokens(text)


def _load_tokenizer(path: str | None) -> Any:
    if not path:
        return None
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path, local_files_only=True)
    except OSError as err:
        raise LLMError(f"cannot load tokenizer {path!r}: {str(err).splitlines()[0]}") from err


class OpenAILLM(_Tokens):
    def __init__(self, base_url: str, model: str, api_key: str | None = None, *, tokenizer: str | None = None,
                 timeout_s: float = 60.0, max_retries: int = 3, backoff_s: float = 1.0) -> None:
        super().__init__(_load_tokenizer(tokenizer))
        self.model, self.name = model, f"{model} at {base_url}"
        self._chat = ChatClient(base_url, api_key, timeout_s=timeout_s, max_retries=max_retries,
                                backoff_s=backoff_s, error=LLMError)

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        body = {"model": self.model, "temperature": 0.0, "max_tokens": max_tokens,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}]}
        return self._chat.complete(body)

    def close(self) -> None:
        self._chat.close()


_LOCAL: dict[str, tuple[Any, Any]] = {}
_LOCAL_LOCK = threading.Lock()


class TransformersLLM(_Tokens):
    """A local causal LM with a chat template (Qwen2.5-Instruct, Llama 3.x Instruct, SmolLM2, ...), on CPU or GPU."""

    def __init__(self, model: str, *, device: str | None = None, min_new_tokens: int = 0) -> None:
        from common.devices import pick_device

        self.device, dtype = pick_device(device)
        with _LOCAL_LOCK:
            if model not in _LOCAL:
                import torch
                from transformers import AutoModelForCausalLM, AutoTokenizer

                try:
                    tokenizer = AutoTokenizer.from_pretrained(model, local_files_only=True)
                    loader: Any = AutoModelForCausalLM  # transformers' stubs do not type from_pretrained(str)
                    lm = loader.from_pretrained(model, local_files_only=True, dtype=getattr(torch, dtype))
                except OSError as err:
                    raise LLMError(f"cannot load model {model!r}: {str(err).splitlines()[0]}") from err
                _LOCAL[model] = (tokenizer, lm.to(self.device).eval())
        tokenizer, self._model = _LOCAL[model]
        super().__init__(tokenizer)
        self.name, self.min_new_tokens = f"{model} (local)", min_new_tokens

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        import torch

        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        inputs = self._tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                     return_dict=True).to(self.device)
        with torch.inference_mode():
            output = self._model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False,
                                          min_new_tokens=min(self.min_new_tokens, max_tokens))
        return self._tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)

    def close(self) -> None:
        """The model stays cached for the process (it is shared by every caller)."""


def create_llm(llm: LLMSettings) -> LLM | None:
    """The LLM the ``[llm]`` settings name, or None for ``backend = "none"`` (evidence-only answers)."""
    if llm.backend == "none":
        return None
    if llm.backend == "transformers":
        if not llm.model:
            raise ValueError("llm backend transformers needs llm.model (a local model directory)")
        return TransformersLLM(llm.model, device=llm.device)
    base_url, model, key = llm.endpoint()
    return OpenAILLM(base_url, model, key, tokenizer=llm.tokenizer, timeout_s=llm.timeout_s,
                     max_retries=llm.max_retries)
