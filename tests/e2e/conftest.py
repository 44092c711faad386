"""What the browser tests share: local mode started as the README does, on free ports, and a
headless Debian Chromium page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.fakes.serving import free_ports

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these flags Chromium keeps reaching for Google services this machine cannot reach.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A first start indexes the sample corpus and loads the sample catalog.
START_TIMEOUT = 900


def port_variables() -> list[str]:
    """Each local service's port variable, from the declarations: a test run takes free ports
    so that it never meets a developer's local mode."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from genai_common.declarations import load_apps
    from localmode.plan import load_platform

    processes = [*load_platform().processes, *(p for app in load_apps() for p in app.local)]
    return [p.port_variable for p in processes if p.port_variable]


def start_local_mode(env: dict[str, str]) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Local mode as the README starts it, once every start-up task (the catalog load too) has
    finished, and the URL of each app by its printed name."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "local_mode.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Start-up finished"):
            break
    urls = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^  (\S.*?\S) +(http://127\.0\.0\.1:\d+)", "".join(lines), re.M)
    }
    assert "Chat" in urls, f"local mode did not come up:\n{''.join(lines)}"
    return process, urls


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AWS_"))}
    variables = port_variables()
    env.update(zip(variables, map(str, free_ports(len(variables))), strict=True))
    env["LOCAL_DATA_DIR"] = str(tmp_path_factory.mktemp("local"))
    # The offline stand-in, whose answers are known; test_local_model.py runs the local model.
    env["LOCAL_MODEL"] = "none"
    return env


@pytest.fixture(scope="module")
def local_mode(
    environment: dict[str, str],
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    process, urls = start_local_mode(environment)
    yield process, urls
    if process.poll() is None:
        process.kill()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()
