"""Settings of the query stage's answering model (section ``[llm]``, variables ``VIDGRAPH_LLM_<KEY>``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr

from common.chat_http import endpoint
from common.urls import service_url


class LLMSettings(BaseModel):
    """The model that answers open questions; ``none`` gives evidence-only answers."""

    backend: Literal["none", "openai", "ollama", "transformers"] = "none"
    base_url: Annotated[str | None, service_url("LLM endpoint")] = Field(default=None,
                                                                   description="OpenAI-compatible endpoint")
    model: str | None = Field(default=None, description="model name, or a local directory for transformers")
    api_key: SecretStr | None = Field(default=None, description="bearer token; else $OPENAI_API_KEY")
    tokenizer: str | None = Field(default=None, description="local tokenizer dir to count an endpoint's tokens")
    context_tokens: int = Field(default=6000, ge=256, description="budget for the evidence put in the prompt")
    max_tokens: int = Field(default=512, ge=16, description="longest answer")
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    device: str | None = None

    def endpoint(self) -> tuple[str, str, str | None]:
        return endpoint(self.backend, self.base_url, self.model,
                        self.api_key.get_secret_value() if self.api_key else None)
