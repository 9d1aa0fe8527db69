"""Shared vocabulary, below every stage: nothing here knows about video, models or graphs.

- ``common.text``: how times and counts are written (``clock``, ``plural``);
- ``common.classes``: the object classes people name in questions and rules, and which of them are vehicles;
- ``common.site``: a site's named zones and counting lines (``zones.toml``);
- ``common.appearance``: the appearance descriptor perception stores and entity resolution compares;
- ``common.chat_http``: the HTTP client for OpenAI-compatible chat endpoints (VLM perception, the answering LLM);
- ``common.devices``: which torch device and dtype a local model runs on.
"""
