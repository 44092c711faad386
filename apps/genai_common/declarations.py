"""The apps' declarations: one ``apps/<package>/app.yaml`` per app, read by every tool.

Terraform reads the same files with ``yamldecode``; this module is the Python reader for
local mode, the images workflow's matrix, the smoke check and the contract tests. It validates
the shape once, so a mistyped key or a bad port is reported with the file's name instead of
surfacing later as a KeyError in one of those tools.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

APPS_DIR = Path(__file__).resolve().parents[1]
DECLARATION = "app.yaml"

DnsLabel = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")]
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")]
UrlPath = Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9/_.-]*$")]
Port = Annotated[int, Field(ge=1024, le=65535)]
Tier = Literal["development", "production"]
ModelRole = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Image(_Strict):
    """How CI builds the app's container image (apps/Dockerfile unless ``dockerfile``)."""

    script: str | None = None
    extra: str | None = None
    dockerfile: str = "apps/Dockerfile"


class Resources(_Strict):
    requests_cpu: str = "250m"
    requests_memory: str = "512Mi"
    limits_cpu: str = "1"
    limits_memory: str = "1Gi"


class Service(_Strict):
    """A long-running Deployment behind a Service in the cluster."""

    port: Port
    readiness: UrlPath
    liveness: UrlPath
    # How people reach it in every environment: cluster (port-forward) or internal (an internal
    # NLB). An environment's workloads.tfvars may say otherwise; internet needs its allow-list.
    exposure: Literal["cluster", "internal"] = "cluster"
    resources: Resources = Resources()
    replicas: dict[Tier, Annotated[int, Field(ge=1, le=20)]] = {"development": 1, "production": 2}


class Key(_Strict):
    name: str
    type: Literal["S", "N", "B"]


class Table(_Strict):
    hash_key: Key
    range_key: Key | None = None
    ttl: str | None = None


class Data(_Strict):
    """AWS data resources the app owns, by logical name: Terraform and local mode create them."""

    tables: dict[DnsLabel, Table] = {}
    buckets: list[DnsLabel] = []
    streams: list[DnsLabel] = []


class LocalProcess(_Strict):
    """One process local mode runs (scripts/localmode/plan.py reads the fields): a service when
    it has ``port`` and ``ready``, a one-shot task that must exit 0 when it has neither."""

    name: DnsLabel
    command: list[str]
    port: Port | None = None
    port_variable: EnvName | None = None
    ready: UrlPath | None = None
    depends_on: list[str] = []
    env: dict[EnvName, str] = {}
    label: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _service_or_task(self) -> LocalProcess:
        if len({self.port is None, self.port_variable is None, self.ready is None}) != 1:
            raise ValueError("a service declares port, port_variable and ready; a task none")
        return self


class Budgets(_Strict):
    """Daily token budgets per tier (apps/genai_common/metering/metering.json): Terraform sets
    them as the app's APP_DAILY_TOKEN_BUDGET and USER_DAILY_TOKEN_BUDGET in each environment."""

    app_daily_tokens: dict[Tier, Annotated[int, Field(ge=1)]]
    user_daily_tokens: dict[Tier, Annotated[int, Field(ge=1)]]

    @model_validator(mode="after")
    def _every_tier(self) -> Budgets:
        tiers = set(get_args(Tier))
        for field in ("app_daily_tokens", "user_daily_tokens"):
            if set(getattr(self, field)) != tiers:
                raise ValueError(f"{field} sets a budget for each tier: {sorted(tiers)}")
        if any(self.user_daily_tokens[t] > self.app_daily_tokens[t] for t in tiers):
            raise ValueError("a user's daily budget cannot exceed the app's")
        return self


class App(_Strict):
    name: DnsLabel
    summary: str
    runs_on: Literal["eks-deployment", "eks-job", "lambda", "managed-flink", "mwaa", "operator"]
    image: Image | None = None
    service: Service | None = None
    settings: list[EnvName] = []
    permissions: list[str] = []
    data: Data = Data()
    local: list[LocalProcess] = []
    # The model roles (environments/models.yaml `roles`) the app calls: Terraform gives it an
    # application inference profile per model of those roles, and its role may invoke only them.
    models: list[ModelRole] = []
    budgets: Budgets | None = None
    package: str = ""

    @model_validator(mode="after")
    def _metered_apps_have_budgets(self) -> App:
        if bool(self.models) != (self.budgets is not None):
            raise ValueError("an app that declares models declares budgets, and only such an app")
        return self

    @property
    def local_names(self) -> list[str]:
        return [p.name for p in self.local]


def local_name(logical: str) -> str:
    """A declared data resource's name in local mode (Terraform's: <project>-<env>-<logical>)."""
    return f"genai-local-{logical}"


class DeclarationError(ValueError):
    """An app.yaml that is missing, not YAML, or not of the declared shape."""


def load_app(path: Path) -> App:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text())
        app = App.model_validate({**(raw or {}), "package": path.parent.name})
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise DeclarationError(f"{path}: {error}") from None
    if app.runs_on == "eks-deployment" and (app.service is None or app.image is None):
        raise DeclarationError(f"{path}: an eks-deployment app declares image and service")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", app.package):
        raise DeclarationError(f"{path}: the folder name {app.package!r} is not a package name")
    return app


@cache
def load_apps(apps_dir: Path = APPS_DIR) -> tuple[App, ...]:
    """Every declared app, in package order; names must be unique."""
    apps = tuple(load_app(p) for p in sorted(apps_dir.glob(f"*/{DECLARATION}")))
    seen: dict[str, str] = {}
    for app in apps:
        for name in (app.name, *app.local_names):
            if name in seen and seen[name] != app.package:
                raise DeclarationError(
                    f"{name!r} is declared by both {seen[name]} and {app.package}"
                )
            seen[name] = app.package
    return apps
