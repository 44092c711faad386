"""The meter every model call goes through: tokens and latency as CloudWatch metrics (EMF), and
the app's daily token budgets checked before the call and charged after it.

LangChain models get it from :func:`genai_common.chat_models.chat_model` (a callback handler);
code that calls Bedrock with boto3 wraps the call in :meth:`Meter.measure`. Who is calling (a
user or session key) and who wants to hear of the tokens spent (a page's counter) are set for a
block of code with :func:`metering_scope`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

# The module, not its function: genai_common.errors imports BudgetExceeded from this package.
from genai_common import errors
from genai_common.metering.budget import BudgetExceeded, Budgets
from genai_common.metering.emf import EmfWriter, Sink, stdout_sink
from genai_common.metering.spec import MetricKey, metering_spec

if TYPE_CHECKING:
    from genai_common.metering.settings import MeteringSettings

R = TypeVar("R")
log = logging.getLogger(__name__)
# The log field that names the caller: a property of the record, never a dimension.
USER_PROPERTY = "UserKey"


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


def converse_usage(response: Mapping[str, Any]) -> Usage:
    """The tokens of a Bedrock Converse reply."""
    usage = response.get("usage") or {}
    return Usage(int(usage.get("inputTokens", 0)), int(usage.get("outputTokens", 0)))


@dataclass(frozen=True)
class _Scope:
    user: str | None
    on_usage: Callable[[Usage], None] | None


_UNSCOPED = _Scope(None, None)
_scope: ContextVar[_Scope | None] = ContextVar("metering_scope", default=None)


@contextmanager
def metering_scope(
    user: str | None = None, on_usage: Callable[[Usage], None] | None = None
) -> Iterator[None]:
    """Model calls made in this block are charged to ``user`` (its daily budget) and reported to
    ``on_usage`` once their tokens are known (a page's session counter)."""
    token = _scope.set(_Scope(user, on_usage))
    try:
        yield
    finally:
        _scope.reset(token)


def current_user() -> str | None:
    return (_scope.get() or _UNSCOPED).user


class MetricWriter(Protocol):
    """Where a meter's metrics go: EMF log lines (:class:`EmfWriter`), or PutMetricData where no
    one reads the logs for them (genai_common.metering.cloudwatch)."""

    def record(
        self,
        dimensions: Mapping[str, str],
        values: Mapping[MetricKey, float],
        properties: Mapping[str, str] | None = None,
    ) -> object: ...


@dataclass(frozen=True)
class Meter:
    app: str
    environment: str
    writer: MetricWriter
    budgets: Budgets | None = None
    # The catalog model behind each id the app calls (an application inference profile's ARN
    # names no model, and there is one per app): the Model dimension reads the same on every
    # app's dashboard line. An id missing here is recorded as called.
    models: Mapping[str, str] = field(default_factory=dict)

    def _emit(self, model: str, user: str | None, values: Mapping[MetricKey, float]) -> None:
        dimensions = {
            "Environment": self.environment,
            "App": self.app,
            "Model": self.models.get(model, model),
        }
        self.writer.record(dimensions, values, {USER_PROPERTY: user} if user else None)

    def check(self, model: str, user: str | None) -> None:
        """Raise :class:`BudgetExceeded` (and count the rejection) if a budget is spent."""
        if self.budgets is None:
            return
        try:
            self.budgets.check(user)
        except BudgetExceeded:
            self._emit(model, user, {"budget_rejections": 1})
            raise
        except (BotoCoreError, ClientError):
            # A soft cap: the table being unreachable must not take every model call down.
            log.warning("the token budgets could not be read; the call goes ahead", exc_info=True)

    def charge(self, model: str, user: str | None, usage: Usage, latency_ms: float) -> None:
        """Record a finished call: its metrics, its tokens on the budgets, the scope's listener."""
        values: dict[MetricKey, float] = {
            "calls": 1,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "latency": round(latency_ms, 3),
        }
        if self.budgets is not None and usage.total:
            try:
                share = self.budgets.charge(user, usage.total)
            except (BotoCoreError, ClientError):
                # The answer has arrived and is not withheld; its tokens are still in the metrics.
                log.warning("charging %d tokens to the budgets failed", usage.total, exc_info=True)
            else:
                if share is not None:
                    values["budget_used_percent"] = round(share, 2)
        self._emit(model, user, values)
        listener = (_scope.get() or _UNSCOPED).on_usage
        if listener is not None:
            listener(usage)

    def failed(self, model: str, user: str | None, error: BaseException) -> None:
        self._emit(model, user, {"throttles" if errors.is_throttling(error) else "errors": 1})

    def measure(
        self, model: str, call: Callable[[], R], usage: Callable[[R], Usage] = converse_usage
    ) -> R:
        """``call()`` checked, timed and charged: for code that calls a model without LangChain.
        Over budget, :class:`BudgetExceeded` is raised and ``call`` is never made."""
        user = current_user()
        self.check(model, user)
        started = time.perf_counter()
        try:
            result = call()
        except Exception as error:
            self.failed(model, user, error)
            raise
        self.charge(model, user, usage(result), (time.perf_counter() - started) * 1000)
        return result


def emf_meter(app: str, environment: str, sink: Sink = stdout_sink) -> Meter:
    """A meter that emits metrics and enforces no budget (a stream job has no one to refuse)."""
    return Meter(app, environment, EmfWriter(metering_spec(), sink))


def build_meter(
    settings: MeteringSettings,
    dynamodb: Any = None,
    sink: Sink = stdout_sink,
    models: Mapping[str, str] | None = None,
) -> Meter:
    """A meter for ``settings``; ``dynamodb`` (a client) is needed only with a budget table,
    ``models`` maps each id the app calls to the model it stands for (:attr:`Meter.models`)."""
    spec = metering_spec()
    budgets = None
    if settings.token_budget_table:
        budgets = Budgets(
            dynamodb,
            settings.token_budget_table,
            spec.budget_table,
            settings.app_name,
            settings.app_daily_token_budget,
            settings.user_daily_token_budget,
        )
    return Meter(
        settings.app_name,
        settings.platform_environment,
        EmfWriter(spec, sink),
        budgets,
        models or {},
    )
