"""The HTTP API: /load_data, /generate (JSON or server-sent events) and /healthz.

Endpoints are plain functions: FastAPI runs them in its thread pool, where the blocking
calls to Qdrant, DynamoDB and the models belong. Every failure the service can explain is
a ServiceError, answered with its status and ``{"detail": message}``; the service keeps
serving after any of them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from genai_common.aws import aws_client
from genai_common.chat_models import chat_model
from genai_common.embeddings import dimensions, embeddings
from genai_common.safe_json import loads_bounded
from genai_common.settings import load_settings
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from sse_starlette import EventSourceResponse, ServerSentEvent

from shop_rag.assistant import Prepared, ShopAssistant
from shop_rag.catalog import parse_catalog
from shop_rag.errors import ServiceError
from shop_rag.history import ChatHistory
from shop_rag.loader import Progress, load
from shop_rag.reader import read, resolve
from shop_rag.settings import ShopSettings
from shop_rag.store import Hit, ProductStore, StoreError, open_client

log = logging.getLogger(__name__)
NDJSON = "application/x-ndjson"
MAX_PROMPT_CHARS = 4000
# Request bodies are small flat objects: a prompt at its limit, JSON-escaped at six bytes a
# character, fits; anything larger or nested is refused before it is parsed.
MAX_BODY_BYTES = 64 * 1024
MAX_BODY_DEPTH = 4


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    session_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,128}$")
    stream: StrictBool = False

    @field_validator("prompt")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the prompt is blank")
        return value


class LoadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=1024)
    batch_size: int = Field(default=64, ge=1, le=512, strict=True)


class _BoundedJsonRequest(Request):
    """A request whose JSON body is parsed within MAX_BODY_BYTES and MAX_BODY_DEPTH; FastAPI
    reports a refused one like any body that is not JSON (a 400 via :func:`_invalid`)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_bounded(
                await self.body(), max_bytes=MAX_BODY_BYTES, max_depth=MAX_BODY_DEPTH
            )
        return self._json


class _BoundedJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            return await handler(_BoundedJsonRequest(request.scope, request.receive))

        return bounded


class Problem(BaseModel):
    """Every refusal and failure: what went wrong, for a person to act on."""

    detail: str


class Source(BaseModel):
    product_id: str
    name: str
    brand: str
    category: str
    price: float


class Answer(BaseModel):
    answer: str
    sources: list[Source]
    session_id: str
    search_query: str


class LoadSummary(BaseModel):
    collection: str
    read: int
    upserted: int
    unchanged: int
    products: int


def _refusals(**descriptions: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for the statuses named ``status_NNN``, each a :class:`Problem`."""
    return {
        int(name.removeprefix("status_")): {"model": Problem, "description": text}
        for name, text in descriptions.items()
    }


# What every endpoint with a body answers besides success (the 413 of an oversized body is
# FastAPI's own plain-text answer).
_COMMON = _refusals(
    status_400="The body is not a JSON object within the size and nesting bounds.",
    status_422="A field is missing or invalid; the detail names each.",
    status_429="A model or the history table is throttling; wait Retry-After seconds.",
    status_502="A model refused the request.",
    status_503="Qdrant, DynamoDB or a model is unreachable, or no catalog is loaded yet.",
)


@dataclass
class Services:
    settings: ShopSettings
    store: ProductStore
    assistant: ShopAssistant
    s3: Any
    embeddings_model: str


def embeddings_model(settings: ShopSettings) -> str:
    """The embedding model's identity: changing it re-embeds every product on the next load."""
    name = (
        settings.embeddings_model_id
        if settings.embeddings_provider == "bedrock"
        else "all-MiniLM-L6-v2"
    )
    return f"{settings.embeddings_provider}:{name}:{dimensions(settings)}"


def build_services(settings: ShopSettings) -> Services:
    model_name = embeddings_model(settings)
    store = ProductStore(
        open_client(settings),
        settings.shop_collection,
        embeddings(settings),
        dimensions(settings),
        model_name,
        embedded=settings.qdrant_url is None,
        concurrency=settings.embeddings_concurrency
        if settings.embeddings_provider == "bedrock"
        else 1,
    )
    history = ChatHistory(
        aws_client("dynamodb", settings, interactive=True),
        settings.history_table,
        settings.history_ttl_hours,
        settings.history_max_turns,
    )
    model_id = settings.chat_model_id()
    assistant = ShopAssistant(
        store,
        history,
        chat_model(settings, model_id),
        model_id,
        offline=settings.chat_provider == "offline",
        search_type=settings.shop_search_type,
        top_k=settings.shop_top_k,
        embeddings_model=settings.embeddings_model_id,
    )
    return Services(settings, store, assistant, aws_client("s3", settings), model_name)


def source_of(hit: Hit) -> dict[str, Any]:
    p = hit.product
    return {
        "product_id": p.product_id,
        "name": p.name,
        "brand": p.brand,
        "category": p.category,
        "price": p.price,
    }


def _problem(error: ServiceError, note: str = "") -> JSONResponse:
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
    detail = f"{error} {note}".strip()
    return JSONResponse({"detail": detail}, status_code=error.status, headers=headers)


def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if bad_json is not None:
        reason = bad_json.get("ctx", {}).get("error", "not valid JSON")
        return JSONResponse({"detail": f"the body is {reason}"}, status_code=400)
    if any(e["loc"] == ("body",) and e["type"] == "model_attributes_type" for e in errors):
        return JSONResponse(
            {"detail": "the body must be a JSON object sent as Content-Type: application/json"},
            status_code=400,
        )
    problems = []
    for error in errors:
        where = ".".join(str(part) for part in error["loc"] if part != "body") or "body"
        problems.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
    return JSONResponse({"detail": "; ".join(problems)}, status_code=422)


def create_app(settings: ShopSettings | None = None) -> FastAPI:
    """The API; settings are read from the environment at start unless given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings or load_settings(ShopSettings))
        if services.settings.embeddings_provider == "local":
            # Load the local model before the first request instead of during it.
            services.store.embeddings.embed_query("warm up")
        app.state.services = services
        try:
            yield
        finally:
            services.store.client.close()

    app = FastAPI(
        title="MyRetail shopping assistant", lifespan=lifespan, max_body_size=MAX_BODY_BYTES
    )
    app.router.route_class = _BoundedJsonRoute
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(ServiceError, lambda _, exc: _problem(exc))  # type: ignore[arg-type]

    @app.get("/healthz", responses=_refusals(status_503="Qdrant is unreachable."))
    def healthz(request: Request) -> JSONResponse:
        services: Services = request.app.state.services
        collection = services.store.collection
        try:
            count = services.store.count()
        except StoreError as error:
            return JSONResponse(
                {"status": "unavailable", "collection": collection, "detail": str(error)},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "collection": collection, "products": count or 0})

    @app.post(
        "/load_data",
        response_model=None,
        responses={
            200: {
                "model": LoadSummary,
                "description": "The summary; with Accept: application/x-ndjson, a progress line "
                "per batch, then the summary.",
                "content": {NDJSON: {}},
            },
            **_COMMON,
            **_refusals(
                status_404="No such catalog file.",
                status_409="The collection exists with another embedding model or size.",
                status_413="The catalog file is over CATALOG_MAX_MB.",
            ),
        },
    )
    def load_data(
        body: LoadRequest,
        request: Request,
        accept: Annotated[str, Header()] = "application/json",
    ) -> JSONResponse | StreamingResponse:
        services: Services = request.app.state.services
        source = resolve(body.source, services.settings)
        products = parse_catalog(read(source, services.settings, services.s3), str(source))
        services.store.ensure_collection()
        progress = load(services.store, products, body.batch_size, services.embeddings_model)
        log.info("loading %d products from %s", len(products), source)
        if NDJSON in accept:
            return StreamingResponse(_ndjson(services, progress, len(products)), media_type=NDJSON)
        last = Progress(len(products), 0, 0, 0)
        try:
            for step in progress:
                last = step
        except ServiceError as error:
            return _problem(error, _resume_hint(last))
        return JSONResponse(_summary(services, last))

    @app.post(
        "/generate",
        response_model=None,
        responses={
            200: {
                "model": Answer,
                "description": "The answer; with stream true, server-sent events: sources, "
                "tokens, then done (or error).",
                "content": {"text/event-stream": {}},
            },
            **_COMMON,
            **_refusals(status_409="The session is being written by too many requests at once."),
        },
    )
    def generate(body: GenerateRequest, request: Request) -> JSONResponse | EventSourceResponse:
        services: Services = request.app.state.services
        if not services.store.ready():
            raise StoreError("the catalog has not been loaded yet: POST /load_data first")
        assistant = services.assistant
        prepared = assistant.prepare(body.prompt, body.session_id)
        sources = [source_of(hit) for hit in prepared.hits]
        tokens = assistant.stream_answer(prepared)
        # The first piece is awaited here, so a model that refuses at once (throttling,
        # access) is an HTTP status rather than an event inside a 200 stream.
        first = next(tokens, "")
        if not body.stream:
            answer = first + "".join(tokens)
            assistant.remember(prepared, answer)
            return JSONResponse(
                {
                    "answer": answer,
                    "sources": sources,
                    "session_id": prepared.session_id,
                    "search_query": prepared.search_query,
                }
            )
        return EventSourceResponse(_events(assistant, prepared, sources, first, tokens))

    return app


def _events(
    assistant: ShopAssistant,
    prepared: Prepared,
    sources: list[dict[str, Any]],
    first: str,
    tokens: Iterator[str],
) -> Iterator[ServerSentEvent]:
    yield ServerSentEvent(json.dumps(sources), event="sources")
    pieces = [first]
    try:
        if first:
            yield ServerSentEvent(first, event="token")
        for token in tokens:
            pieces.append(token)
            yield ServerSentEvent(token, event="token")
        assistant.remember(prepared, "".join(pieces))
    except ServiceError as error:
        yield ServerSentEvent(json.dumps({"message": str(error)}), event="error")
        return
    yield ServerSentEvent(json.dumps({"session_id": prepared.session_id}), event="done")


def _resume_hint(progress: Progress) -> str:
    return (
        f"{progress.done} of {progress.read} products were handled before the failure; load "
        "again to finish (stored products are skipped as unchanged)."
    )


def _summary(services: Services, progress: Progress) -> dict[str, Any]:
    return {
        "collection": services.store.collection,
        "read": progress.read,
        "upserted": progress.upserted,
        "unchanged": progress.unchanged,
        "products": services.store.count() or 0,
    }


def _ndjson(services: Services, progress: Iterator[Progress], total: int) -> Iterator[bytes]:
    """A line per batch, then the summary; a failure ends the stream with an error line."""
    last = Progress(total, 0, 0, 0)
    try:
        for last in progress:
            yield (json.dumps(last.as_dict()) + "\n").encode()
        yield (json.dumps(_summary(services, last)) + "\n").encode()
    except ServiceError as error:
        line = {"error": f"{error} {_resume_hint(last)}", "status": error.status}
        yield (json.dumps(line) + "\n").encode()
