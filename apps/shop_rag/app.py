"""The HTTP API: /load_data, /generate (JSON or server-sent events) and /healthz.

Endpoints are plain functions: FastAPI runs them in its thread pool, where the blocking
calls to Qdrant, DynamoDB and the models belong. Every failure the service can explain is
a ServiceError, answered with its status and ``{"detail": message}``; the service keeps
serving after any of them.
"""

from __future__ import annotations

import contextvars
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from genai_common.aws import aws_client
from genai_common.background import start_in_background
from genai_common.chat_models import chat_model
from genai_common.embeddings import dimensions, embeddings, identity
from genai_common.metering import Usage, metering_scope
from genai_common.safe_json import loads_bounded
from genai_common.settings import load_settings
from genai_common.vector_cache import KnownEmbeddings, VectorCache
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from sse_starlette import EventSourceResponse, ServerSentEvent

from shop_rag.assistant import Prepared, ShopAssistant
from shop_rag.catalog import parse_catalog
from shop_rag.docs import documented_api
from shop_rag.errors import ServiceError
from shop_rag.history import ChatHistory
from shop_rag.loader import CatalogState, CatalogStatus, KeptVectors, Progress, load
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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"prompt": "A black jacket under $100", "session_id": "demo-1"},
                {"prompt": "Any of them in size M?", "session_id": "demo-1", "stream": True},
            ]
        },
    )

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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"source": "catalog.jsonl", "batch_size": 64}]},
    )

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


class Health(BaseModel):
    """The service's state: ok; starting while the embedding model loads; failed or
    unavailable (with the detail) when the model or Qdrant cannot serve."""

    status: Literal["ok", "starting", "failed", "unavailable"]
    collection: str
    catalog: CatalogState
    products: int | None = None
    detail: str | None = None


class Source(BaseModel):
    product_id: str
    name: str
    brand: str
    category: str
    price: float
    colors: list[str]
    sizes: list[str]
    stock: int


class TokenUsage(BaseModel):
    """The model tokens one /generate used (its question rewrite and its answer); a UI adds
    them up per session."""

    input_tokens: int
    output_tokens: int

    @classmethod
    def of(cls, spent: list[Usage]) -> TokenUsage:
        return cls(
            input_tokens=sum(u.input_tokens for u in spent),
            output_tokens=sum(u.output_tokens for u in spent),
        )


class Answer(BaseModel):
    answer: str
    sources: list[Source]
    session_id: str
    search_query: str
    usage: TokenUsage


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


class ModelStatus:
    """Whether the embedding model can answer yet: it loads in the background after start,
    so that ``/healthz`` answers at once and says so."""

    def __init__(self, loads: bool) -> None:
        self.state = "loading" if loads else "ready"
        self.detail = ""
        self.ready = threading.Event()
        if not loads:
            self.ready.set()

    def warm(self, embeddings: Embeddings) -> None:
        try:
            embeddings.embed_query("warm up")
        except Exception as error:  # any failure is reported by /healthz, not lost in a thread
            log.exception("the embedding model failed to load")
            self.state, self.detail = "failed", f"the embedding model failed to load: {error}"
        else:
            self.state = "ready"
        self.ready.set()


@dataclass
class Services:
    settings: ShopSettings
    store: ProductStore
    assistant: ShopAssistant
    s3: Any
    embeddings_model: str
    kept: KeptVectors | None
    catalog: CatalogStatus
    model: ModelStatus


def build_services(settings: ShopSettings) -> Services:
    # Changing it re-embeds every product on the next load.
    model_name = identity(settings)
    threads = settings.embeddings_threads if settings.embeddings_provider == "local" else None
    kept = None
    model: Embeddings = embeddings(settings, threads)
    if settings.embeddings_cache_dir is not None:
        model = KnownEmbeddings(model)
        cache = VectorCache(
            settings.embeddings_cache_dir,
            model_name,
            dimensions(settings),
            settings.embeddings_seed_dir,
        )
        kept = KeptVectors(cache, model)
    store = ProductStore(
        open_client(settings),
        settings.shop_collection,
        model,
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
    return Services(
        settings,
        store,
        assistant,
        aws_client("s3", settings),
        model_name,
        kept,
        CatalogStatus(),
        # Bedrock's model needs no loading; the local one takes seconds.
        ModelStatus(loads=settings.embeddings_provider == "local"),
    )


def source_of(hit: Hit) -> dict[str, Any]:
    p = hit.product
    return {
        "product_id": p.product_id,
        "name": p.name,
        "brand": p.brand,
        "category": p.category,
        "price": p.price,
        "colors": list(p.colors),
        "sizes": list(p.sizes),
        "stock": p.stock,
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


def create_app(
    settings: ShopSettings | None = None, *, warm_after: Callable[[], bool] | None = None
) -> FastAPI:
    """The API; settings are read from the environment at start unless given. The embedding
    model loads in the background at start, or once ``warm_after()`` is true (the server
    listens: see :func:`genai_common.background.start_in_background`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings or load_settings(ShopSettings))
        if not services.model.ready.is_set():
            # The model loads beside the serving API, before the first question rather than
            # during it; a question that comes first waits for the same load.
            start_in_background(
                lambda: services.model.warm(services.store.embeddings),
                "load-embedding-model",
                after=warm_after,
            )
        app.state.services = services
        try:
            yield
        finally:
            services.store.client.close()

    app = documented_api(
        title="MyRetail shopping assistant", lifespan=lifespan, max_body_size=MAX_BODY_BYTES
    )
    app.router.route_class = _BoundedJsonRoute
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(ServiceError, lambda _, exc: _problem(exc))  # type: ignore[arg-type]

    @app.get(
        "/healthz",
        response_model=None,
        responses={
            200: {"model": Health, "description": "Serving, or starting."},
            503: {"model": Health, "description": "Qdrant or the embedding model failed."},
        },
    )
    def healthz(request: Request) -> JSONResponse:
        """The service's state, answered from the moment it listens (local mode waits for
        this): status ok, or starting while the embedding model loads; the products stored;
        and the latest catalog load (state, done of total) while it runs and after."""
        body, status = _health(request.app.state.services)
        return JSONResponse(body, status_code=status)

    @app.get(
        "/readyz",
        response_model=None,
        responses={
            200: {"model": Health, "description": "Ready to answer."},
            503: {"model": Health, "description": "Starting, or Qdrant or the model failed."},
        },
    )
    def readyz(request: Request) -> JSONResponse:
        """Kubernetes' readiness: 200 only once a question can be answered without waiting
        for the model, with the body of /healthz."""
        body, _ = _health(request.app.state.services)
        return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

    @app.get("/livez")
    def livez() -> dict[str, str]:
        """Kubernetes' liveness: the process serves requests. Nothing it depends on is checked,
        so an outage of Qdrant does not restart every replica."""
        return {"status": "alive"}

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
        """Load a catalog (a JSON Lines file under CATALOG_DIR, or s3://<bucket>/<key> in the
        catalog bucket): products whose text and embedding model are unchanged are skipped,
        so loading again is cheap and finishes an interrupted load."""
        services: Services = request.app.state.services
        source = resolve(body.source, services.settings)
        products = parse_catalog(read(source, services.settings, services.s3), str(source))
        services.store.ensure_collection()
        progress = services.catalog.track(
            load(
                services.store,
                products,
                body.batch_size,
                services.embeddings_model,
                services.kept,
            ),
            str(source),
            len(products),
        )
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
                "tokens, then done with the session_id and the usage (or error).",
                "content": {"text/event-stream": {}},
            },
            **_COMMON,
            **_refusals(status_409="The session is being written by too many requests at once."),
        },
    )
    def generate(body: GenerateRequest, request: Request) -> JSONResponse | EventSourceResponse:
        """Answer a shopping question from the catalog: the products found (price, size and
        the other constraints the question states applied as filters) and the assistant's
        answer about them. Pass the returned session_id again to ask a follow-up."""
        services: Services = request.app.state.services
        if not services.store.ready():
            raise StoreError("the catalog has not been loaded yet: POST /load_data first")
        assistant = services.assistant
        # Model calls are charged to the session (its daily budget) from the moment it has one,
        # and their tokens are collected for the response.
        spent: list[Usage] = []
        with metering_scope(body.session_id, spent.append):
            prepared = assistant.prepare(body.prompt, body.session_id)
        sources = [source_of(hit) for hit in prepared.hits]
        with metering_scope(prepared.session_id, spent.append):
            answering = contextvars.copy_context()
        tokens = _read_in(answering, assistant.stream_answer(prepared))
        # The first piece is awaited here, so a model that refuses at once (throttling,
        # access, a spent token budget) is an HTTP status rather than an event in a 200 stream.
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
                    "usage": TokenUsage.of(spent).model_dump(),
                }
            )
        return EventSourceResponse(_events(assistant, prepared, sources, first, tokens, spent))

    return app


def _read_in(context: contextvars.Context, pieces: Iterator[str]) -> Iterator[str]:
    """``pieces`` read in ``context`` (the request's metering scope): the stream is read on
    after the endpoint returns, in Starlette's threads, where the scope does not follow."""
    while True:
        try:
            yield context.run(next, pieces)
        except StopIteration:
            return


def _events(
    assistant: ShopAssistant,
    prepared: Prepared,
    sources: list[dict[str, Any]],
    first: str,
    tokens: Iterator[str],
    spent: list[Usage],
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
    done = {"session_id": prepared.session_id, "usage": TokenUsage.of(spent).model_dump()}
    yield ServerSentEvent(json.dumps(done), event="done")


def _health(services: Services) -> tuple[dict[str, Any], int]:
    """/healthz's body and status."""
    body: dict[str, Any] = {
        "status": {"ready": "ok", "loading": "starting"}.get(services.model.state, "failed"),
        "collection": services.store.collection,
        "catalog": services.catalog.get().as_dict(),
    }
    if services.model.detail:
        body["detail"] = services.model.detail
    try:
        body["products"] = services.store.count() or 0
    except StoreError as error:
        body.update(status="unavailable", detail=str(error))
    return body, 503 if body["status"] in ("failed", "unavailable") else 200


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
