"""The API's own documentation pages, which work with no network: Swagger UI at /docs and ReDoc
at /redoc from the assets the fastapi-offline package ships (FastAPI's default pages load them
from a CDN and stay blank offline), and / sends a visitor to /docs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline

DOCS_PATH = "/docs"


def documented_api(**fastapi_arguments: Any) -> FastAPI:
    """A FastAPI application (``fastapi_arguments`` as FastAPI takes them) with offline docs."""
    app = FastAPIOffline(docs_url=DOCS_PATH, redoc_url="/redoc", **fastapi_arguments)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        # Behind a path prefix (an ingress's root_path) the pages live under it too.
        return RedirectResponse(f"{request.scope.get('root_path', '')}{DOCS_PATH}")

    return app
