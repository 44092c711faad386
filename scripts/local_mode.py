#!/usr/bin/env python3
"""Local mode: the platform on this machine, with no AWS account and no Docker.

Runs what the apps declare under ``local:`` in apps/*/app.yaml, plus local mode's own
processes (scripts/localmode/platform.yaml: a moto server as the AWS endpoint, seeded from the
apps' ``data`` declarations), each as soon as what it depends on is ready; prints the URLs;
Ctrl-C stops everything within 2 s. Logs and data live under .local/ (LOCAL_DATA_DIR); each
port moves with the variable its declaration names.

Chat model: the labelled offline stand-in, or any OpenAI-compatible server when
OPENAI_BASE_URL and OPENAI_MODEL are set (e.g. Ollama: http://127.0.0.1:11434/v1, llama3.1).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from genai_common.declarations import load_apps
from localmode.plan import Plan, PlanError, load_platform, plan, taken_ports
from localmode.runner import Runner

ROOT = Path(__file__).resolve().parents[1]


def chat_provider(env: Mapping[str, str]) -> tuple[str, str]:
    """CHAT_PROVIDER for every app, and how to name that model on the terminal."""
    if not env.get("OPENAI_BASE_URL"):
        return "offline", "the offline stand-in (no model)"
    if not env.get("OPENAI_MODEL"):
        raise PlanError(
            "OPENAI_BASE_URL is set but OPENAI_MODEL is not (e.g. OPENAI_MODEL=llama3.1)"
        )
    return "openai", f"{env['OPENAI_MODEL']} at {env['OPENAI_BASE_URL']}"


def print_table(local: Plan, model: str) -> None:
    rows = [*local.table(), ("Logs and data", str(local.data), "one <process>.log each")]
    width = max(len(label) for label, _, _ in rows)
    print("Local mode is up (Ctrl-C stops everything):", flush=True)
    for label, url, note in rows:
        print(f"  {label:<{width}}  {url}" + (f"   ({note})" if note else ""), flush=True)
    print(f"Chat model: {model}.", flush=True)


def main() -> int:
    started = time.monotonic()
    data = Path(os.environ.get("LOCAL_DATA_DIR", ROOT / ".local")).resolve()
    try:
        provider, model = chat_provider(os.environ)
        local = plan(load_apps(), load_platform(), os.environ, data, ROOT)
        specs = local.specs({**os.environ, "CHAT_PROVIDER": provider})

        def up(pending: list[str]) -> None:
            print_table(local, model)
            if pending:
                print(f"Still starting: {', '.join(pending)} (output below).", flush=True)

        def settled() -> None:
            print(f"Start-up finished in {time.monotonic() - started:.0f} s.", flush=True)

        runner = Runner(specs, on_up=up, on_settled=settled)
    except ValueError as error:  # a declaration local mode cannot run (PlanError and others)
        print(f"local mode: {error}", file=sys.stderr)
        return 1
    if taken := taken_ports(local.processes):
        print("\n".join(f"local mode: {message}" for message in taken), file=sys.stderr)
        return 1
    data.mkdir(parents=True, exist_ok=True)
    return asyncio.run(runner.run())


if __name__ == "__main__":
    sys.exit(main())
