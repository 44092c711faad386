"""Local mode end to end: the README's command, driven in headless Debian Chromium."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

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

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def local_mode(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    chat_port, aws_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AWS_"))}
    env.update(
        LOCAL_CHAT_PORT=str(chat_port),
        LOCAL_AWS_PORT=str(aws_port),
        LOCAL_DATA_DIR=str(tmp_path_factory.mktemp("local")),
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "local_mode.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 120
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Chat with Claude" in line:
            break
    url = re.search(r"http://127\.0\.0\.1:\d+", "".join(lines[-1:]))
    assert url, f"local mode did not come up:\n{''.join(lines)}"
    yield process, url.group(0)
    if process.poll() is None:
        process.kill()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


def test_chat_page_streams_an_offline_reply_and_resets(
    local_mode: tuple[subprocess.Popen[str], str], page: Page
) -> None:
    _, url = local_mode
    page.goto(url)
    expect(page.get_by_role("heading", name="Chat with Claude")).to_be_visible(timeout=30_000)
    prompt = page.get_by_test_id("stChatInputTextArea")
    prompt.fill("Hello from the browser")
    prompt.press("Enter")
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2, timeout=30_000)
    expect(messages.nth(1)).to_contain_text('You said: "Hello from the browser"', timeout=30_000)
    expect(messages.nth(1)).to_contain_text("1 user turn(s)")

    prompt.fill("And a second message")
    prompt.press("Enter")
    expect(messages).to_have_count(4, timeout=30_000)
    expect(messages.nth(3)).to_contain_text("2 user turn(s)", timeout=30_000)

    page.get_by_role("button", name="Reset conversation").click()
    expect(messages).to_have_count(0, timeout=30_000)


def test_ctrl_c_stops_everything(local_mode: tuple[subprocess.Popen[str], str]) -> None:
    process, url = local_mode
    port = int(url.rsplit(":", 1)[1])
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the chat app still listens after Ctrl-C"
