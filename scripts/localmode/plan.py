"""What local mode runs: the apps' declared local processes plus platform.yaml's, resolved.

Resolving means: each port from its variable or its default, each placeholder in commands,
environments and notes replaced ({port}, {url}, {data}, {repo}, {url:<process>},
{table|bucket|stream:<package>:<logical>}, the last three checked against that app's ``data``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from genai_common.declarations import App, LocalProcess, local_name
from genai_common.metering.spec import metering_spec
from pydantic import BaseModel, ConfigDict, ValidationError

from localmode.runner import Spec, port_in_use

PLATFORM_FILE = Path(__file__).with_name("platform.yaml")
PLATFORM = "local mode"  # the owner named in messages about platform.yaml's processes
HOST = "127.0.0.1"
PLACEHOLDER = re.compile(r"\{([a-z]+)(?::([^{}]*))?\}")
# The caller's AWS identity never reaches the local endpoint.
DROPPED_ENV = ("AWS_PROFILE", "AWS_SESSION_TOKEN")


class PlanError(ValueError):
    """A declaration local mode cannot run: a bad port, an unknown reference, a taken port."""


class Platform(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    env: dict[str, str]
    processes: list[LocalProcess]


@dataclass(frozen=True)
class Process:
    """A declared local process with its port settled."""

    owner: str  # the app's package, or PLATFORM
    declared: LocalProcess
    port: int | None

    def __str__(self) -> str:
        where = PLATFORM if self.owner == PLATFORM else f"apps/{self.owner}"
        return f"{self.declared.name} ({where})"

    @property
    def url(self) -> str | None:
        return f"http://{HOST}:{self.port}" if self.port else None


@dataclass(frozen=True)
class Plan:
    processes: list[Process]
    platform_env: dict[str, str]
    data: Path
    repo: Path
    apps: tuple[App, ...]

    def resolve(self, text: str, process: Process | None = None) -> str:
        return PLACEHOLDER.sub(lambda match: self._value(match, process), text)

    def specs(self, base_env: Mapping[str, str]) -> list[Spec]:
        """The runner's view: full commands and environments, one log per process."""
        inherited = {k: v for k, v in base_env.items() if k not in DROPPED_ENV}
        return [
            Spec(
                name=p.declared.name,
                argv=(sys.executable, *(self.resolve(a, p) for a in p.declared.command)),
                env={
                    **inherited,
                    **{k: self.resolve(v) for k, v in self.platform_env.items()},
                    **metering_env(self.apps, p.owner),
                    **{k: self.resolve(v, p) for k, v in p.declared.env.items()},
                },
                log=self.data / f"{p.declared.name}.log",
                ready_url=f"{p.url}{p.declared.ready}" if p.declared.ready else None,
                depends_on=tuple(p.declared.depends_on),
                cwd=self.repo,
                port_variable=p.declared.port_variable,
            )
            for p in self.processes
        ]

    def table(self) -> list[tuple[str, str, str]]:
        """(label, URL, note) of each process that declares a label, in declaration order."""
        return [
            (p.declared.label, p.url or "", self.resolve(p.declared.note or "", p))
            for p in self.processes
            if p.declared.label
        ]

    def _value(self, match: re.Match[str], process: Process | None) -> str:
        kind, argument = match.group(1), match.group(2)
        if argument is None:
            if kind in ("port", "url") and process and process.port:
                return str(process.port) if kind == "port" else str(process.url)
            if kind == "data":
                return str(self.data)
            if kind == "repo":
                return str(self.repo)
        elif kind == "url":
            for other in self.processes:
                if other.declared.name == argument and other.url:
                    return other.url
            raise PlanError(f"{match.group(0)}: no local service is named {argument!r}")
        elif kind in ("table", "bucket", "stream"):
            return self._data_name(kind, argument, match.group(0))
        raise PlanError(f"{match.group(0)} is not a placeholder local mode knows")

    def _data_name(self, kind: str, argument: str, placeholder: str) -> str:
        package, _, logical = argument.partition(":")
        for app in self.apps:
            if app.package == package:
                declared = {
                    "table": app.data.tables.keys(),
                    "bucket": app.data.buckets,
                    "stream": app.data.streams,
                }[kind]
                if logical in declared:
                    return local_name(logical)
                raise PlanError(
                    f"{placeholder}: apps/{package}/app.yaml declares no {kind} {logical!r}"
                )
        raise PlanError(f"{placeholder}: no app package is named {package!r}")


def load_platform(path: Path = PLATFORM_FILE) -> Platform:
    try:
        return Platform.model_validate(yaml.safe_load(path.read_text()))
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise PlanError(f"{path}: {error}") from None


def plan(
    apps: tuple[App, ...], platform: Platform, env: Mapping[str, str], data: Path, repo: Path
) -> Plan:
    """Every local process, apps first (in package order), then the platform's."""
    declared = [(app.package, p) for app in apps for p in app.local]
    declared += [(PLATFORM, p) for p in platform.processes]
    names = [p.name for _, p in declared]
    if len(set(names)) != len(names):
        raise PlanError(f"a local process name is declared twice: {sorted(names)}")
    processes = [Process(owner, p, _port(p, env)) for owner, p in declared]
    by_port: dict[int, Process] = {}
    for process in processes:
        if process.port is None:
            continue
        if first := by_port.get(process.port):
            raise PlanError(
                f"port {process.port} is set for both {first} and {process}: set "
                f"{first.declared.port_variable} or {process.declared.port_variable} to another port"
            )
        by_port[process.port] = process
    return Plan(processes, platform.env, data, repo, apps)


def metering_env(apps: tuple[App, ...], owner: str) -> dict[str, str]:
    """The meter's settings for a process of ``owner``: the app's name, local mode's budget table
    and, for an app that calls models, its budgets at the development tier (local mode's)."""
    app = next((a for a in apps if a.package == owner), None)
    if app is None:
        return {}
    env = {
        "APP_NAME": app.name,
        "TOKEN_BUDGET_TABLE": local_name(metering_spec().budget_table.logical_name),
    }
    if app.budgets is not None:
        env["APP_DAILY_TOKEN_BUDGET"] = str(app.budgets.app_daily_tokens["development"])
        env["USER_DAILY_TOKEN_BUDGET"] = str(app.budgets.user_daily_tokens["development"])
    return env


def _port(process: LocalProcess, env: Mapping[str, str]) -> int | None:
    if process.port is None or process.port_variable is None:
        return None
    value = env.get(process.port_variable, str(process.port))
    if not value.isdigit() or not 1024 <= int(value) <= 65535:
        raise PlanError(f"{process.port_variable}={value} is not a port from 1024 to 65535")
    return int(value)


def taken_ports(processes: list[Process]) -> list[str]:
    """A message for each process whose port another program holds already."""
    messages = []
    for process in processes:
        if process.port is not None and port_in_use(HOST, process.port):
            messages.append(
                f"port {process.port} for {process} is in use: "
                f"set {process.declared.port_variable} to another port"
            )
    return messages
