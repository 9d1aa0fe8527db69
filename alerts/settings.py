"""Settings of the alerts stage (section ``[alerts]``, variables ``VIDGRAPH_ALERTS_<KEY>``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr

from common.urls import service_url


class AlertSettings(BaseModel):
    rules_file: Path | None = Field(default=None, description="TOML [[rule]] tables (alerts/rules.py)")
    webhook_url: Annotated[str | None, service_url("alert webhook")] = Field(
        default=None, description="firings are POSTed here as JSON")
    webhook_token: SecretStr | None = Field(default=None, description="sent as a bearer token to the webhook")
    max_retries: int = Field(default=4, ge=0)
    backoff_s: float = Field(default=0.5, ge=0, description="first retry delay, doubled each time")
