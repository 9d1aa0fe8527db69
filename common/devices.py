"""Which torch device and dtype a local model runs on (VLM perception, the answering LLM)."""

from __future__ import annotations


def pick_device(device: str | None = None, dtype: str | None = None) -> tuple[str, str]:
    """``cuda``/``bfloat16`` when a GPU is present (``float16`` if it lacks bf16), else ``cpu``/``float32``."""
    import torch

    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if dtype is None:
        if device.startswith("cuda"):
            dtype = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        else:
            dtype = "float32"  # CPU half precision is slow or unsupported for most kernels
    return device, dtype
