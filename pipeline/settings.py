"""The settings of a whole deployment: one section per stage, plus service mode and the dashboard.

Each stage owns its section's class and takes only that section (``ingest.settings``, ``vlm.cv.config`` as
``[cv]``, ``vlm.settings`` as ``[vlm]``, ``graph.settings``, ``alerts.settings``, ``query.settings`` as
``[llm]``); this module composes them and holds what belongs to no stage (data directory, zones file, time
zone, service mode, dashboard).

Precedence: CLI flags > environment > settings file > defaults. Variables are ``VIDGRAPH_<SECTION>_<KEY>``
(``VIDGRAPH_INGEST_SAMPLE_FPS=2``, ``VIDGRAPH_GRAPH_BACKEND=ladybug``, ``VIDGRAPH_CV_DETECTOR_PATH=...``),
top-level keys ``VIDGRAPH_<KEY>`` (``VIDGRAPH_DATA_DIR``). The file is ``$VIDGRAPH_CONFIG`` or
``./vidgraph.toml``, with sections ``[ingest]``, ``[cv]``, ``[vlm]``, ``[graph]``, ``[llm]``, ``[alerts]``,
``[service]``, ``[dashboard]``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from alerts.settings import AlertSettings
from common.urls import service_url
from graph.settings import GraphSettings
from ingest.settings import IngestSettings
from query.settings import LLMSettings
from query.timewords import parse_day
from vlm.cv.config import CVSettings
from vlm.settings import CVOnly, VLMConfig


def _a_day(value: str | None) -> str | None:
    """A schedule's ``day``, checked when the settings are read (a word that is not a day stops any command)."""
    if value is not None:
        parse_day(value)
    return value


class ReportSchedule(BaseModel):
    """A report rendered on a schedule by Celery beat (``[[service.schedules]]`` in the settings file)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    every: str = Field(default="daily", description="hourly, daily, weekly, monthly, or a period like 30s, 15m, 6h")
    streams: list[str] | None = None
    since: str = Field(default="24h", description="the window each report covers, back from the newest footage")
    day: Annotated[str | None, AfterValidator(_a_day)] = Field(
        default=None, description="instead of since, calendar days: 'yesterday' for a morning report of the day "
                                  "before, 'last week' (every weekly) or 'last month' (monthly); a date reports "
                                  "that day every time")
    format: Literal["md", "html", "pdf"] = "pdf"
    min_severity: Literal["high", "medium", "low", "info"] = "low"
    webhook_url: Annotated[str | None, service_url("report webhook")] = Field(
        default=None, description="POST {name, path} here when a report is ready")


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
    supervise_s: int = Field(default=30, ge=1, description="beat restarts dead live readers and sends lost "
                                                           "work again this often")
    schedules: list[ReportSchedule] = Field(default_factory=list)
    reconnect_max_s: float = Field(default=30.0, gt=0, description="live streams: longest wait between reconnects")
    open_timeout_s: float = Field(default=10.0, gt=0, description="live streams: connect and read timeout")
    split_s: float = Field(default=0.0, ge=0, description="cv perception: a file longer than this is analysed in "
                                                          "parts of about this length by several workers (0: one "
                                                          "task per file)")
    split_warm_s: float = Field(default=20.0, ge=0, description="a part of a split file begins reading this much "
                                                                "before its own start (at least the motion model's "
                                                                "memory: 200 sampled frames)")


class DashboardSettings(BaseModel):
    api_url: str | None = Field(default=None, description="service mode: the API the dashboard asks (else in-process)")
    password: SecretStr | None = Field(default=None, description="asked for before anything is shown")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VIDGRAPH_",
        env_nested_delimiter="_",
        env_nested_max_split=1,  # VIDGRAPH_INGEST_SAMPLE_FPS -> ingest.sample_fps
        extra="ignore",
    )

    data_dir: Path = Field(default=Path(".vidgraph"), description="graph, thumbnails and reports live here")
    zones_file: Path | None = Field(default=None, description="named polygons and counting lines (common/site.py)")
    timezone: str = Field(default="UTC", description="the site's time zone, for clock times in questions and reports")
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    cv: CVSettings = Field(default_factory=CVSettings)
    vlm: VLMConfig = Field(default_factory=CVOnly)
    graph: GraphSettings = Field(default_factory=GraphSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    dashboard: DashboardSettings = Field(default_factory=DashboardSettings)

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

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def vlm_cache_dir(self) -> Path:
        return self.data_dir / "vlm-cache"

    def perception_fingerprint(self) -> str:
        """The settings that change what perception produces, as canonical JSON (hashed into the run id)."""
        shaping = {
            "ingest": self.ingest.model_dump(mode="json", exclude={"decode_max_width", "decoder"}),
            "profile": self._profile_fingerprint(),
            "summaries": self.graph.summary_scales,
            "zones": self.zones_file.read_text() if self.zones_file and self.zones_file.is_file() else None,
            "cv": self.cv.model_dump(mode="json", exclude={"threads", "detector_path"})
            if self.vlm.backend == "cv" or self.vlm.hybrid else None,
            "vlm": self.vlm.model_dump(
                mode="json",
                exclude={"api_key", "base_url", "timeout_s", "max_retries", "concurrency", "device", "batch_size",
                         "local_files_only", "profile"},
            ),
            "detector": _file_identity(self.cv.resolve_detector()) if self.vlm.backend == "cv" or self.vlm.hybrid
            else None,
        }
        return json.dumps(shaping, sort_keys=True, separators=(",", ":"))

    def _profile_fingerprint(self) -> object:
        if self.vlm.backend == "cv":
            return None
        from vlm.profiles import load_profile

        return load_profile(self.vlm.profile).model_dump(exclude={"severity"})  # report ratings shape no perception

    def with_overrides(self, **sections: dict[str, object]) -> Settings:
        """A copy with some keys of some sections replaced (``None`` values are ignored), re-validated."""
        data = self.model_dump()
        for section, values in sections.items():
            data[section].update({k: v for k, v in values.items() if v is not None})
        return Settings.model_validate(data)


def _file_identity(path: Path | None) -> str:
    """Name and size: the same model file anywhere on disk gives the same run id."""
    return f"{path.name}:{path.stat().st_size}" if path else "none"
