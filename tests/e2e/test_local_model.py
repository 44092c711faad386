"""Local mode with the small local model (SmolLM2, fetched from PyPI): the chat, code generation,
Loyalty and KB pages answer with the model, not with the offline stand-in, and the KB assistant
searches a follow-up with the conversation the model rewrote."""

from __future__ import annotations

import re
import subprocess

import pytest
from local_model.catalog import SMOLLM2
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

STAND_IN = re.compile(r"offline stand-in|You said:")
WORDS = re.compile(r"\w{2,}")
# A small model on a shared CPU: a whole answer can take a while.
ANSWER_MS = 180_000


@pytest.fixture(scope="module")
def environment(environment: dict[str, str]) -> dict[str, str]:
    # Greedy and short: the same answer every run, and code generation within its 25 s deadline
    # (the API Gateway limit the local server keeps) on a busy CPU.
    return {
        **environment,
        "LOCAL_MODEL": SMOLLM2.name,
        "CHAT_TEMPERATURE": "0",
        "CODE_TEMPERATURE": "0",
        "CHAT_MAX_TOKENS": "64",
    }


def test_chat_answers_two_turns_with_the_model(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    assert "Local model" in local_mode[1]
    page.goto(local_mode[1]["Chat"])
    expect(page.get_by_role("heading", name=f"Chat with {SMOLLM2.name}")).to_be_visible(
        timeout=30_000
    )
    prompt = page.get_by_test_id("stChatInputTextArea")
    messages = page.get_by_test_id("stChatMessage")
    prompt.fill("What is the capital of France? Answer in one word.")
    prompt.press("Enter")
    expect(messages).to_have_count(2, timeout=30_000)
    expect(messages.nth(1)).to_contain_text(re.compile("paris", re.I), timeout=ANSWER_MS)
    expect(messages.nth(1)).not_to_contain_text(STAND_IN)

    prompt.fill("Name one famous museum there.")
    prompt.press("Enter")
    expect(messages).to_have_count(4, timeout=ANSWER_MS)
    expect(messages.nth(3)).to_contain_text(WORDS, timeout=ANSWER_MS)
    expect(messages.nth(3)).not_to_contain_text(STAND_IN)
    expect(messages.nth(3)).not_to_have_text(messages.nth(1).inner_text())


def test_code_generation_returns_code_from_the_model(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["Code generation"])
    expect(page.get_by_role("heading", name="Code generation")).to_be_visible(timeout=30_000)
    page.get_by_label("Instruction").fill("a function that returns the sum of two numbers")
    page.get_by_label("Language").select_option("python")
    page.get_by_role("button", name="Generate code").click()
    code = page.locator("#code")
    expect(code).to_contain_text(re.compile(r"\bdef \w+\(|\breturn\b"), timeout=ANSWER_MS)
    expect(code).not_to_contain_text("offline stand-in")


def test_loyalty_tab_answers_from_the_model(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["MyRetail chatbot"])
    page.get_by_role("tab", name="Loyalty program").click()
    prompt = page.get_by_placeholder("e.g. How do I earn", exact=False)
    prompt.fill("How do I earn MyElite points?")
    prompt.press("Enter")
    reply = page.get_by_test_id("bot").first
    expect(reply).to_contain_text(WORDS, timeout=ANSWER_MS)
    expect(reply).not_to_contain_text(STAND_IN)


def test_kb_assistant_answers_a_follow_up_from_the_program_the_conversation_named(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["KB assistant"])
    prompt = page.get_by_test_id("stChatInputTextArea")
    messages = page.get_by_test_id("stChatMessage")
    sources = page.get_by_test_id("stExpander")
    prompt.fill("Which competency covers generative AI?")
    prompt.press("Enter")
    expect(messages).to_have_count(2, timeout=ANSWER_MS)
    # The answer is whole once its sources are shown: only then is the follow-up asked (the
    # model serves one answer at a time).
    expect(sources).to_have_count(1, timeout=ANSWER_MS)
    prompt.fill("What are its requirements for partners?")
    prompt.press("Enter")
    expect(messages).to_have_count(4, timeout=ANSWER_MS)
    # The model rewrote the follow-up with the conversation ("Searched for: ..."), and the
    # search found the generative-AI program's requirements first.
    expect(page.get_by_text(re.compile(r"^Searched for: "))).to_be_visible(timeout=ANSWER_MS)
    expect(sources).to_have_count(2, timeout=ANSWER_MS)
    sources.nth(1).get_by_text("Sources").click()
    expect(sources.nth(1).get_by_role("link").first).to_have_text(
        "AWS Machine Learning Competency: program requirements"
    )
    expect(messages.nth(3)).not_to_contain_text(STAND_IN)
