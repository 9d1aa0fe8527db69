"""Local VLMs through Hugging Face transformers: ``AutoProcessor`` + ``AutoModelForImageTextToText``.

Covers the image-text-to-text families transformers ships (Qwen2.5-VL, Qwen3-VL, SmolVLM2, Idefics3,
LLaVA-OneVision, Llama 3.2 Vision, ...): several frames per chunk as images in one chat turn, chunks batched
together on the device, cuda + bfloat16 when a GPU is there and cpu + float32 otherwise, ``local_files_only``
honoured (no hub here), and each model loaded once per process however many streams use it.

torch and transformers are an optional extra: ``pip install -e '.[local-vlm]'``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from common.devices import pick_device
from vlm.base import PerceptionContext
from vlm.profiles import Profile
from vlm.vlm_base import VLMError, VLMPerception

_MODELS: dict[tuple[str, str, str], tuple[Any, Any]] = {}
_MODELS_LOCK = threading.Lock()


def load_model(model: str, device: str, dtype: str, local_files_only: bool = True) -> tuple[Any, Any]:
    """The (processor, model) pair for ``model``, loaded once per process."""
    key = (model, device, dtype)
    with _MODELS_LOCK:
        if key not in _MODELS:
            import torch
            from transformers import AutoModelForImageTextToText, AutoProcessor

            try:
                processor = AutoProcessor.from_pretrained(model, local_files_only=local_files_only)
                loader: Any = AutoModelForImageTextToText  # transformers' stubs do not type from_pretrained(str)
                vlm = loader.from_pretrained(model, local_files_only=local_files_only, dtype=getattr(torch, dtype))
            except OSError as err:  # missing files, or a hub id with local_files_only
                raise VLMError(f"cannot load model {model!r}: {str(err).splitlines()[0]}") from err
            tokenizer = getattr(processor, "tokenizer", None)
            if tokenizer is not None:
                tokenizer.padding_side = "left"  # batched generation continues every prompt at its end
            _MODELS[key] = (processor, vlm.to(device).eval())
        return _MODELS[key]


class TransformersPerception(VLMPerception):
    name = "transformers"

    def __init__(
        self,
        *,
        model: str,
        profile: Profile,
        context: PerceptionContext,
        frames_per_chunk: int = 8,
        input_width: int = 448,
        max_new_tokens: int = 512,
        batch_size: int = 2,
        device: str | None = None,
        dtype: str | None = None,
        local_files_only: bool = True,
        cache_dir: Path | None = None,
        min_new_tokens: int = 0,
        draw_marks: bool = True,
    ) -> None:
        self.device, self.dtype = pick_device(device, dtype)
        super().__init__(model_id=f"transformers|{model}|{self.dtype}", profile=profile, context=context,
                         frames_per_chunk=frames_per_chunk, input_width=input_width, cache_dir=cache_dir,
                         draw_marks=draw_marks)
        self.model_name = model
        self.batch_size = max(1, batch_size)
        self.max_new_tokens, self.min_new_tokens = max_new_tokens, min_new_tokens
        self.processor, self.model = load_model(model, self.device, self.dtype, local_files_only)

    def describe(self) -> str:
        return f"transformers {self.model_name} on {self.device}/{self.dtype} (profile {self.profile.name})"

    def _generate(self, system: str, text: str, images: list[np.ndarray]) -> str:
        reply = self._generate_batch([(system, text, images)])[0]
        if isinstance(reply, Exception):
            raise reply
        return reply

    def _generate_batch(self, requests: Sequence[tuple[str, str, list[np.ndarray]]]) -> list[str | Exception]:
        import torch
        from PIL import Image

        prompts, images = [], []
        for system, text, frames in requests:
            messages = [
                {"role": "system", "content": [{"type": "text", "text": system}]},
                {"role": "user", "content": [*({"type": "image"} for _ in frames), {"type": "text", "text": text}]},
            ]
            prompts.append(self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False))
            images.append([Image.fromarray(frame) for frame in frames])
        try:
            inputs = self.processor(text=prompts, images=images, return_tensors="pt", padding=True).to(self.device)
            with torch.inference_mode():
                output = self.model.generate(**inputs, max_new_tokens=self.max_new_tokens,
                                             min_new_tokens=self.min_new_tokens, do_sample=False)
        except (RuntimeError, ValueError) as err:  # out of memory, a processor that rejects the input, ...
            return [VLMError(f"generation failed: {str(err).splitlines()[0]}") for _ in requests]
        new_tokens = output[:, inputs["input_ids"].shape[1]:]
        return list(self.processor.batch_decode(new_tokens, skip_special_tokens=True))
