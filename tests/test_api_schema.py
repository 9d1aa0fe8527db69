"""Every API operation under generated input (schemathesis, 30 examples each): no server error, no status code
the OpenAPI document does not list, and every body as documented. On a real graph (the car clip analysed), so
reads go past "nothing analysed yet" to the queries."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
import schemathesis.specs.openapi.checks as openapi_checks
from conftest import CAR_CLIP
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from service_helpers import fresh_redis

from pipeline import analyze_file, open_graph
from pipeline.settings import Settings
from vidgraph.api import create_app

TOKEN = "schema-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def _app():
    root = Path(tempfile.mkdtemp(prefix="vidgraph-schema-"))
    atexit.register(shutil.rmtree, root, True)
    media = root / "media"
    media.mkdir()
    shutil.copy(CAR_CLIP, media / "car.mp4")
    config = Settings(data_dir=root / "data", service={"redis_url": fresh_redis(9), "api_token": TOKEN,
                                                       "media_dir": media})
    with open_graph(config) as store:
        analyze_file(CAR_CLIP, config, store, stream_id="car")
    return create_app(config)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app(), headers=HEADERS)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case):
    case.call_and_validate(headers=HEADERS, checks=[not_a_server_error, openapi_checks.status_code_conformance,
                                                    openapi_checks.response_schema_conformance])
