"""Settings from the environment and an optional TOML file, validated by pydantic-settings.

Precedence: CLI flags > environment > settings file > defaults. Variables are ``VIDGRAPH_<SECTION>_<KEY>``
(``VIDGRAPH_INGEST_SAMPLE_FPS=2``, ``VIDGRAPH_GRAPH_BACKEND=ladybug``, ``VIDGRAPH_VLM_DETECTOR_PATH=...``),
top-level keys ``VIDGRAPH_<KEY>`` (``VIDGRAPH_DATA_DIR``). The file is ``$VIDGRAPH_CONFIG`` or
``./vidgraph.toml``, with sections ``[ingest]``, ``[vlm]``, ``[graph]``, ``[llm]``, ``[alerts]``, ``[service]``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from vlm.cv.config import CVSettings


class IngestSettings(BaseModel):
    sample_fps: float = Field(default=5.0, gt=0, description="frames per second taken from the video")
    chunk_duration: float = Field(default=10.0, gt=0, description="seconds per chunk (VSS chunk_duration)")
    chunk_overlap: float = Field(default=0.0, ge=0, description="seconds shared by consecutive chunks")
    frames_per_chunk: int = Field(default=8, ge=1, description="frames a VLM sees per chunk (VSS num_frames_per_chunk)")
    decoder: Literal["pyav", "decord"] = Field(
        default="pyav", description="pyav streams in flat memory; decord runs ahead of slow consumers (see ingest.source)"
    )
    decode_max_width: int = Field(default=960, ge=64, description="larger frames are scaled down while decoding")
    motion_width: int = Field(default=192, ge=32, description="width of the grey image motion is scored on")
    motion_threshold: float = Field(default=0.002, ge=0, le=1, description="moving fraction that marks a frame active")


_BACKEND_DEFAULTS = {  # base URL and model when the settings name none
    "openai": ("https://api.openai.com/v1", "gpt-4o-mini"),
    "ollama": ("http://localhost:11434/v1", "qwen2.5vl"),
}


def _endpoint(backend: str, base_url: str | None, model: str | None, api_key: SecretStr | None) -> tuple[str, str, str | None]:
    """Base URL, model and API key for an OpenAI-compatible backend, with per-backend defaults."""
    default_url, default_model = _BACKEND_DEFAULTS.get(backend, ("", ""))
    key = api_key.get_secret_value() if api_key else os.environ.get("OPENAI_API_KEY")
    if backend == "ollama" and not key:
        key = "ollama"  # Ollama ignores the key but some proxies require one
    return base_url or default_url, model or default_model, key


class VLMSettings(CVSettings):
    backend: Literal["cv", "openai", "ollama", "transformers"] = Field(default="cv", description="perception backend")
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint, e.g. http://vllm:8000/v1")
    model: str | None = Field(default=None, description="model name the endpoint serves")
    api_key: SecretStr | None = Field(default=None, description="bearer token; else $OPENAI_API_KEY")
    profile: str = Field(default="generic", description="warehouse, traffic, generic, or a profile TOML file")
    input_width: int = Field(default=640, ge=64, description="frames are scaled to this width for the VLM")
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, description="retries on timeouts, 429 and 5xx")
    concurrency: int = Field(default=2, ge=1, description="chunks in flight at once (VLM backends)")
    max_tokens: int = Field(default=1024, ge=16)
    structured_output: bool = Field(default=True, description="send the reply schema as response_format")
    hybrid: bool = Field(default=False, description="cv tracks go to the VLM as context; its events link to them")
    marks: bool = Field(default=True, description="hybrid: draw numbered boxes of the tracks on the frames")
    # transformers backend
    device: str | None = Field(default=None, description="cuda, cpu, ...; default cuda when present")
    dtype: str | None = Field(default=None, description="bfloat16, float16, float32; default by device")
    batch_size: int = Field(default=2, ge=1, description="chunks per generate() call")
    local_files_only: bool = Field(default=True, description="never reach for a model hub")
    min_new_tokens: int = Field(default=0, ge=0)

    def endpoint(self) -> tuple[str, str, str | None]:
        return _endpoint(self.backend, self.base_url, self.model, self.api_key)


class LLMSettings(BaseModel):
    """The model that answers open questions and writes report prose; ``none`` gives evidence-only answers."""

    backend: Literal["none", "openai", "ollama", "transformers"] = "none"
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint")
    model: str | None = Field(default=None, description="model name, or a local directory for transformers")
    api_key: SecretStr | None = Field(default=None, description="bearer token; else $OPENAI_API_KEY")
    tokenizer: str | None = Field(default=None, description="local tokenizer dir to count an endpoint's tokens")
    context_tokens: int = Field(default=6000, ge=256, description="budget for the evidence put in the prompt")
    max_tokens: int = Field(default=512, ge=16, description="longest answer")
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    device: str | None = None

    def endpoint(self) -> tuple[str, str, str | None]:
        return _endpoint(self.backend, self.base_url, self.model, self.api_key)


class AlertSettings(BaseModel):
    rules_file: Path | None = Field(default=None, description="TOML [[rule]] tables (query/alerts.py)")
    webhook_url: str | None = Field(default=None, description="firings are POSTed here as JSON")
    webhook_token: SecretStr | None = Field(default=None, description="sent as a bearer token to the webhook")
    max_retries: int = Field(default=4, ge=0)
    backoff_s: float = Field(default=0.5, ge=0, description="first retry delay, doubled each time")


class ReportSchedule(BaseModel):
    """A report rendered on a schedule by Celery beat (``[[service.schedules]]`` in the settings file)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    every: str = Field(default="daily", description="hourly, daily, or a period like 30s, 15m, 6h")
    streams: list[str] | None = None
    since: str = Field(default="24h", description="the window each report covers, back from the newest footage")
    format: Literal["md", "html", "pdf"] = "pdf"
    min_severity: Literal["high", "medium", "low", "info"] = "low"
    webhook_url: str | None = Field(default=None, description="POST {name, path} here when a report is ready")


class ServiceSettings(BaseModel):
    """Service mode: Celery workers on Redis, the REST API, scheduled reports."""

    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="broker, results and job state")
    api_token: SecretStr | None = Field(default=None, description="bearer token for every API route but /health")
    media_dir: Path = Field(default=Path("media"), description="files the API may analyse live under here")
    max_body_kb: int = Field(default=64, ge=1, description="largest JSON request body the API accepts")
    max_upload_mb: int = Field(default=2048, ge=1, description="largest video upload the API accepts")
    visibility_timeout_s: int = Field(default=3600, ge=5, description="an unacknowledged task is redelivered "
                                                                     "after this long (longer than any task)")
    job_ttl_s: int = Field(default=7 * 86400, ge=60, description="how long finished jobs' state is kept")
    graph_lock_s: int = Field(default=120, ge=2, description="embedded store: a writer lock left by a dead "
                                                             "worker expires after this long")
    schedules: list[ReportSchedule] = Field(default_factory=list)
    reconnect_max_s: float = Field(default=30.0, gt=0, description="live streams: longest wait between reconnects")
    open_timeout_s: float = Field(default=10.0, gt=0, description="live streams: connect and read timeout")


class DashboardSettings(BaseModel):
    api_url: str | None = Field(default=None, description="service mode: the API the dashboard asks (else in-process)")
    password: SecretStr | None = Field(default=None, description="asked for before anything is shown")


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


class GraphSettings(BaseModel):
    backend: Literal["ladybug", "neo4j"] = "ladybug"
    path: Path | None = Field(default=None, description="embedded database path; default <data_dir>/graph.lbdb")
    buffer_pool_mb: int = Field(default=128, ge=64, description="embedded store's page cache (bounds its memory)")
    embedder: str = Field(default="none", description="none, minilm, or st:<local sentence-transformers dir>")
    reid_window_s: float = Field(default=10.0, ge=0, description="same stream: a track lost this long is re-identified")
    transit_s: float = Field(default=120.0, ge=0, description="across cameras: the longest plausible transit")
    min_similarity: float = Field(default=0.8, ge=0, le=1, description="appearance needed for SAME_AS")
    summary_scales: list[float] = Field(default=[300.0, 3600.0, 86400.0], description="seconds per summary level")
    # Neo4j's own variable names, as its tools use them
    neo4j_uri: str | None = Field(default_factory=lambda: _env("NEO4J_URI"))
    neo4j_user: str = Field(default_factory=lambda: _env("NEO4J_USER", "neo4j"))
    neo4j_password: SecretStr | None = Field(default_factory=lambda: _env("NEO4J_PASSWORD"), validate_default=True)
    neo4j_database: str | None = Field(default_factory=lambda: _env("NEO4J_DATABASE"))
    neo4j_buffer_batches: int = Field(default=256, ge=1, description="writes held while Neo4j is unreachable; "
                                                                     "when full, ingestion pauses")
    neo4j_max_backoff_s: float = Field(default=30.0, gt=0, description="longest wait between write retries")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VIDGRAPH_",
        env_nested_delimiter="_",
        env_nested_max_split=1,  # VIDGRAPH_INGEST_SAMPLE_FPS -> ingest.sample_fps
        extra="ignore",
    )

    data_dir: Path = Field(default=Path(".vidgraph"), description="graph, thumbnails and reports live here")
    zones_file: Path | None = Field(default=None, description="named polygons and counting lines (vlm/cv/zones.py)")
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    vlm: VLMSettings = Field(default_factory=VLMSettings)
    graph: GraphSettings = Field(default_factory=GraphSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    dashboard: DashboardSettings = Field(default_factory=DashboardSettings)
    timezone: str = Field(default="UTC", description="the site's time zone, for clock times in questions and reports")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get("VIDGRAPH_CONFIG", "vidgraph.toml"))
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file)
        return init_settings, env_settings, toml, file_secret_settings

    @property
    def graph_path(self) -> Path:
        return self.graph.path or self.data_dir / "graph.lbdb"

    @property
    def thumbs_dir(self) -> Path:
        return self.data_dir / "thumbs"

    def perception_fingerprint(self) -> str:
        """The settings that change what perception produces, as canonical JSON (hashed into the run id)."""
        shaping = {
            "ingest": self.ingest.model_dump(mode="json", exclude={"decode_max_width", "decoder"}),
            "profile": self._profile_fingerprint(),
            "summaries": self.graph.summary_scales,
            "zones": self.zones_file.read_text() if self.zones_file and self.zones_file.is_file() else None,
            "vlm": self.vlm.model_dump(
                mode="json",
                exclude={"threads", "detector_path", "api_key", "base_url", "timeout_s", "max_retries", "concurrency",
                         "device", "batch_size", "local_files_only"},
            ),
            "detector": _file_identity(self.vlm.resolve_detector()),
        }
        return json.dumps(shaping, sort_keys=True, separators=(",", ":"))

    def _profile_fingerprint(self) -> object:
        if self.vlm.backend == "cv":
            return None
        from vlm.profiles import load_profile

        return load_profile(self.vlm.profile).model_dump(exclude={"severity"})  # report ratings shape no perception

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def vlm_cache_dir(self) -> Path:
        return self.data_dir / "vlm-cache"

    def with_overrides(self, **sections: dict[str, object]) -> Settings:
        """A copy with some keys of some sections replaced (``None`` values are ignored), re-validated."""
        data = self.model_dump()
        for section, values in sections.items():
            data[section].update({k: v for k, v in values.items() if v is not None})
        return Settings.model_validate(data)


def _file_identity(path: Path | None) -> str:
    """Name and size: the same model file anywhere on disk gives the same run id."""
    return f"{path.name}:{path.stat().st_size}" if path else "none"
