"""The API's own documentation, usable offline and from a browser: Swagger UI 5 served from this server (the
assets the ``fastapi-offline`` package ships; FastAPI's default loads them from a CDN), and an "Authorize"
button where the bearer token is entered, so /docs and /openapi.json open without the token and every call
made from the page carries it. ReDoc (CDN only) is off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
PUBLIC = ("/health", "/docs", "/openapi.json")  # what the token guard lets through (and what lies under /docs)


def is_public(path: str) -> bool:
    return path in PUBLIC or (path.startswith(ASSETS + "/") and ".." not in path)


def add_docs(app: FastAPI) -> None:
    """Serve /docs from local assets and describe the bearer token in the OpenAPI document."""
    import fastapi_offline  # only for its static files (Swagger UI 5: 4.x cannot read OpenAPI 3.1)

    static = Path(fastapi_offline.__file__).with_name("static")
    app.mount(ASSETS, StaticFiles(directory=static), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon.png")

    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes)
            document.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "the server's VIDGRAPH_SERVICE_API_TOKEN"}}
            for path, operations in document.get("paths", {}).items():
                if not is_public(path):
                    for operation in operations.values():
                        operation["security"] = [{"bearer": []}]
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]
