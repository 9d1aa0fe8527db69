"""Settings of the perception stage's VLM backends (section ``[vlm]``, variables ``VIDGRAPH_VLM_<KEY>``).

Each backend declares its own configuration with a ``backend: Literal[...]`` and builds itself from it
(``create``); together they form one discriminated union, :data:`VLMConfig`, chosen by ``backend``. Adding a
backend is a config class with a ``create`` method and an entry in the union: no if/elif chain anywhere.
``backend = "cv"`` means no VLM: the offline perception alone (its settings are the ``[cv]`` section).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, Field, SecretStr

from common.chat_http import endpoint
from common.urls import service_url

if TYPE_CHECKING:
    from vlm.base import PerceptionContext
    from vlm.vlm_base import VLMPerception


class _VLMCommon(BaseModel):
    """What every VLM backend takes."""

    profile: str = Field(default="generic", description="warehouse, traffic, generic, or a profile TOML file")
    frames_per_chunk: int = Field(default=8, ge=1, le=64, description="frames the VLM sees per chunk "
                                                                       "(VSS num_frames_per_chunk)")
    input_width: int = Field(default=640, ge=64, le=4096, description="frames are scaled to this width for the VLM")
    max_tokens: int = Field(default=1024, ge=16)
    hybrid: bool = Field(default=False, description="cv tracks go to the VLM as context; its events link to them")
    marks: bool = Field(default=True, description="hybrid: draw numbered boxes of the tracks on the frames")


class CVOnly(BaseModel):
    """No VLM: the offline ``cv`` perception alone."""

    backend: Literal["cv"] = "cv"
    profile: str = Field(default="generic", description="severity rules for reports (the cv backend has no prompt)")
    hybrid: Literal[False] = False


class OpenAIConfig(_VLMCommon):
    """Any OpenAI-compatible chat-completions endpoint with image input (vLLM, SGLang, NIM, LM Studio, ...)."""

    backend: Literal["openai"] = "openai"
    base_url: Annotated[str | None, service_url("VLM endpoint")] = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://vllm:8000/v1")
    model: str | None = Field(default=None, description="model name the endpoint serves")
    api_key: SecretStr | None = Field(default=None, description="bearer token; else $OPENAI_API_KEY")
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=20, description="retries on timeouts, 429 and 5xx")
    concurrency: int = Field(default=2, ge=1, le=64, description="chunks in flight at once")
    structured_output: bool = Field(default=True, description="send the reply schema as response_format")

    def endpoint(self) -> tuple[str, str, str | None]:
        return endpoint(self.backend, self.base_url, self.model,
                        self.api_key.get_secret_value() if self.api_key else None)

    def create(self, context: PerceptionContext) -> VLMPerception:
        from vlm.openai_backend import OpenAIPerception
        from vlm.profiles import load_profile

        base_url, model, api_key = self.endpoint()
        return OpenAIPerception(
            base_url=base_url, model=model, api_key=api_key, timeout_s=self.timeout_s, max_retries=self.max_retries,
            concurrency=self.concurrency, max_tokens=self.max_tokens, structured_output=self.structured_output,
            profile=load_profile(self.profile), context=context, frames_per_chunk=self.frames_per_chunk,
            input_width=self.input_width, cache_dir=context.cache_dir, draw_marks=self.marks,
        )


class OllamaConfig(OpenAIConfig):
    """The ``openai`` backend with Ollama's defaults: ``http://localhost:11434/v1``, model ``qwen2.5vl``."""

    backend: Literal["ollama"] = "ollama"  # type: ignore[assignment]


class TransformersConfig(_VLMCommon):
    """A local model through Hugging Face transformers (AutoProcessor + AutoModelForImageTextToText)."""

    backend: Literal["transformers"] = "transformers"
    model: str = Field(min_length=1, description="a local model directory or a cached hub id")
    device: str | None = Field(default=None, description="cuda, cpu, ...; default cuda when present")
    dtype: str | None = Field(default=None, description="bfloat16, float16, float32; default by device")
    batch_size: int = Field(default=2, ge=1, le=64, description="chunks per generate() call")
    local_files_only: bool = Field(default=True, description="never reach for a model hub")
    min_new_tokens: int = Field(default=0, ge=0)

    def create(self, context: PerceptionContext) -> VLMPerception:
        from vlm.profiles import load_profile
        from vlm.transformers_backend import TransformersPerception

        return TransformersPerception(
            model=self.model, max_new_tokens=self.max_tokens, min_new_tokens=self.min_new_tokens,
            batch_size=self.batch_size, device=self.device, dtype=self.dtype, local_files_only=self.local_files_only,
            profile=load_profile(self.profile), context=context, frames_per_chunk=self.frames_per_chunk,
            input_width=self.input_width, cache_dir=context.cache_dir, draw_marks=self.marks,
        )


VLMConfig = Annotated[CVOnly | OpenAIConfig | OllamaConfig | TransformersConfig, Field(discriminator="backend")]
VLM_BACKENDS = ("cv", "openai", "ollama", "transformers")
