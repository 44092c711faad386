"""Local mode end to end: the README's command, driven in headless Debian Chromium."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import start_local_mode

pytestmark = pytest.mark.e2e


# Case sheets created in this module, looked up again after a restart.
CREATED: list[str] = []


def test_chat_page_streams_an_offline_reply_and_resets(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["Chat"])
    expect(page.get_by_role("heading", name="Chat (offline stand-in, no model)")).to_be_visible(
        timeout=30_000
    )
    # The apps' users are not their developers: no Deploy button, no developer menu.
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
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


def test_kb_assistant_answers_from_the_sample_corpus_with_sources(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["KB assistant"])
    expect(page.get_by_role("heading", name="AWS Competency assistant")).to_be_visible(
        timeout=30_000
    )
    prompt = page.get_by_test_id("stChatInputTextArea")
    prompt.fill("How many Security Specialty certified staff does the Security Competency need?")
    prompt.press("Enter")
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2, timeout=60_000)
    expect(messages.nth(1)).to_contain_text("at least three staff", timeout=30_000)
    sources = page.get_by_test_id("stExpander")
    expect(sources).to_have_count(1)
    sources.first.get_by_text("Sources").click()
    expect(sources.first).to_contain_text("Security")
    expect(sources.first.get_by_role("link").first).to_have_attribute(
        "href", re.compile(r"^https://apn-checklists\.s3\.amazonaws\.com/competency/security/")
    )

    prompt.fill("What is the airspeed velocity of an unladen swallow?")
    prompt.press("Enter")
    expect(messages).to_have_count(4, timeout=60_000)
    expect(messages.nth(3)).to_contain_text("I don't know", timeout=30_000)


def test_kb_assistant_answers_a_follow_up_from_the_program_the_conversation_named(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["KB assistant"])
    prompt = page.get_by_test_id("stChatInputTextArea")
    prompt.fill("Which competency covers generative AI?")
    prompt.press("Enter")
    messages = page.get_by_test_id("stChatMessage")
    sources = page.get_by_test_id("stExpander")
    expect(messages).to_have_count(2, timeout=60_000)
    # The answer is whole once its sources are shown: only then is the follow-up asked.
    expect(sources).to_have_count(1, timeout=60_000)
    prompt.fill("What are its requirements for partners?")
    prompt.press("Enter")
    expect(messages).to_have_count(4, timeout=60_000)
    # Searched with the conversation, the follow-up's first source is the generative-AI
    # program's requirements.
    expect(
        page.get_by_text(
            "Searched for: What are its requirements for partners? competency covers generative AI"
        )
    ).to_be_visible(timeout=30_000)
    expect(sources).to_have_count(2)
    sources.nth(1).get_by_text("Sources").click()
    expect(sources.nth(1).get_by_role("link").first).to_have_text(
        "AWS Machine Learning Competency: program requirements"
    )
    expect(messages.nth(3)).to_contain_text("[1]")
    # Both answers were metered: the sidebar counts the session's tokens.
    expect(page.get_by_text(re.compile(r"^Tokens used in this session: [1-9]"))).to_be_visible()


def test_case_sheet_forms_create_download_and_look_up_a_case(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["Case sheets"])
    expect(page.get_by_text("Conversation needs Bedrock")).to_be_visible(timeout=30_000)
    values = {
        "Client": "AnyCompany Bank",
        "Case name": "Fraud detection platform",
        "Challenge": "Card fraud losses grew 40% in a year.",
        "Solution": "Amazon Kinesis and a SageMaker model score each payment.",
        "Budget (USD)": "250000",
        "KPI": "30% fewer fraudulent transactions",
    }
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Create case sheet").click()
    created = page.get_by_text(re.compile(r"^Case sheet cs-[a-z2-7]{12}: AnyCompany Bank"))
    expect(created).to_be_visible(timeout=30_000)
    case_id = re.search(r"cs-[a-z2-7]{12}", created.inner_text()).group(0)  # type: ignore[union-attr]
    CREATED.append(case_id)

    download = page.get_by_role("link", name=f"Download case sheet {case_id}")
    sheet = page.request.get(download.get_attribute("href") or "")
    assert sheet.ok and sheet.body()[:2] == b"PK", "the link does not serve the workbook"

    page.get_by_role("tab", name="Look up a case").click()
    page.get_by_label("Case sheet id").fill(case_id)
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text(f"Case sheet {case_id}: AnyCompany Bank").last).to_be_visible(
        timeout=30_000
    )

    page.get_by_label("Case sheet id").fill("cs-unknown00000")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text("No case sheet has the id cs-unknown00000")).to_be_visible(
        timeout=30_000
    )


# A follow-up of the shopping gold set (benchmarks/shop_rag_gold.jsonl, session s02) and the
# products that answer it. Asked alone, the follow-up names no product: only the history
# leads retrieval to these trail runners.
OPENING = "I'm looking for men's waterproof trail runners that grip on ice."
FOLLOW_UP = "Do you have any of them in black?"
FOLLOW_UP_ANSWERS = {"P00331", "P00778", "P01631"}


def test_myretail_shopping_tab_answers_a_follow_up_from_the_history(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["MyRetail chatbot"])
    expect(page.get_by_role("tab", name="Shopping")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    prompt = page.get_by_placeholder("e.g. Suggest walking shoes", exact=False)
    replies = page.get_by_test_id("bot")

    prompt.fill(OPENING)
    prompt.press("Enter")
    expect(replies.nth(1)).to_contain_text(re.compile(r"Sources: \d+ products?"), timeout=60_000)
    expect(replies.nth(0)).to_contain_text("Trail Running Shoe")

    prompt.fill(FOLLOW_UP)
    prompt.press("Enter")
    sources = replies.nth(3)
    expect(sources).to_contain_text(re.compile(r"Sources: \d+ products?"), timeout=60_000)
    expect(replies.nth(2)).to_contain_text("black")
    sources.get_by_text(re.compile(r"Sources: ")).click()
    rows = sources.locator("tbody tr")
    expect(rows.first).to_be_visible(timeout=10_000)
    shown = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    assert all("Trail Running Shoe" in name for _, name, *_ in shown), shown
    assert FOLLOW_UP_ANSWERS & {product_id for product_id, *_ in shown}, shown
    # The control: the same follow-up without a session finds other products.
    alone = page.request.post(
        f"{local_mode[1]['Shopping API']}/generate", data={"prompt": FOLLOW_UP}
    ).json()
    assert not FOLLOW_UP_ANSWERS & {p["product_id"] for p in alone["sources"]}, alone

    page.get_by_role("button", name="New conversation").first.click()
    expect(replies).to_have_count(0, timeout=30_000)


def test_myretail_loyalty_tab_answers_with_the_configured_model(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["MyRetail chatbot"])
    page.get_by_role("tab", name="Loyalty program").click()
    prompt = page.get_by_placeholder("e.g. How do I earn", exact=False)
    prompt.fill("How do I earn MyElite points?")
    prompt.press("Enter")
    expect(page.get_by_test_id("bot").first).to_contain_text(
        'You said: "How do I earn MyElite points?"', timeout=60_000
    )


# Whatever model answers: the meter (moto's DynamoDB) counts a session's tokens, and a second
# answer adds to the first.
USED = re.compile(r"^Tokens used in this session: ([\d,]+)$")


def tokens_used(line: str) -> int:
    match = USED.match(line.strip())
    assert match, line
    return int(match.group(1).replace(",", ""))


def test_the_chat_page_and_myretail_show_the_sessions_tokens(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]], page: Page
) -> None:
    page.goto(local_mode[1]["Chat"])
    line = page.get_by_test_id("stSidebar").get_by_text(USED)
    expect(line).to_have_text("Tokens used in this session: 0", timeout=30_000)
    prompt = page.get_by_test_id("stChatInputTextArea")
    messages = page.get_by_test_id("stChatMessage")
    shown = "Tokens used in this session: 0"
    for n, question in enumerate(["Hello from the browser", "And a second message"], start=1):
        prompt.fill(question)
        prompt.press("Enter")
        expect(messages).to_have_count(2 * n, timeout=60_000)
        expect(line).not_to_have_text(shown, timeout=60_000)
        after = line.inner_text()
        assert tokens_used(after) > tokens_used(shown)
        shown = after

    # Each MyRetail tab counts its own: shop_rag reports an answer's tokens in its done event.
    page.goto(local_mode[1]["MyRetail chatbot"])
    line = page.locator("#shopping-tokens").get_by_text(USED)
    expect(line).to_have_text("Tokens used in this session: 0", timeout=30_000)
    prompt = page.get_by_placeholder("e.g. Suggest walking shoes", exact=False)
    prompt.fill(OPENING)
    prompt.press("Enter")
    expect(line).not_to_have_text("Tokens used in this session: 0", timeout=120_000)
    assert tokens_used(line.inner_text()) > 0

    page.get_by_role("tab", name="Loyalty program").click()
    line = page.locator("#loyalty-tokens").get_by_text(USED)
    expect(line).to_have_text("Tokens used in this session: 0", timeout=30_000)
    prompt = page.get_by_placeholder("e.g. How do I earn", exact=False)
    prompt.fill("How do I earn MyElite points?")
    prompt.press("Enter")
    expect(line).not_to_have_text("Tokens used in this session: 0", timeout=120_000)
    assert tokens_used(line.inner_text()) > 0


def test_code_generation_from_the_page_and_the_terminal(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]],
    environment: dict[str, str],
    page: Page,
    tmp_path: Path,
) -> None:
    url = local_mode[1]["Code generation"]
    page.goto(url)
    expect(page.get_by_role("heading", name="Code generation")).to_be_visible(timeout=30_000)
    page.get_by_label("Instruction").fill("reverse a linked list")
    page.get_by_label("Language").select_option("go")
    page.get_by_role("button", name="Generate code").click()
    expect(page.locator("#code")).to_contain_text("[offline stand-in, no model]", timeout=30_000)
    key = page.locator("#key").inner_text()
    assert key.startswith("generated/") and key.endswith(".go"), key
    first = tokens_used(page.locator("#tokens").inner_text())
    assert first > 0
    stored = page.request.get(page.get_by_role("link", name="Download").get_attribute("href") or "")
    assert stored.ok and stored.text() == page.locator("#code").inner_text()

    # A second request adds its tokens to the page session's count.
    page.get_by_role("button", name="Generate code").click()
    expect(page.locator("#tokens")).not_to_have_text(f"Tokens used in this session: {first:,}")
    assert tokens_used(page.locator("#tokens").inner_text()) > first

    # Blank passes the page's `required`; the API refuses it.
    page.get_by_label("Instruction").fill("   ")
    page.get_by_role("button", name="Generate code").click()
    expect(page.get_by_role("alert")).to_contain_text("Error 400", timeout=30_000)

    out = tmp_path / "reverse.go"
    client = subprocess.run(
        [
            sys.executable,
            "-m",
            "code_generation.client",
            "reverse a linked list",
            "--language",
            "go",
            "--url",
            f"{url}/code-generation",
            "--out",
            str(out),
        ],
        env={k: v for k, v in environment.items() if not k.startswith("AWS_")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert client.returncode == 0, client.stderr
    assert "[offline stand-in, no model]" in out.read_text()
    assert "generated/" in client.stderr


def test_review_dashboard_fills_as_the_producer_runs(
    local_mode: tuple[subprocess.Popen[str], dict[str, str]],
    environment: dict[str, str],
    page: Page,
) -> None:
    page.goto(local_mode[1]["Review sentiment"])
    processed = page.get_by_test_id("stMetric").filter(has_text="Reviews processed")
    expect(processed.get_by_test_id("stMetricValue")).to_have_text("0", timeout=60_000)
    expect(page.get_by_text("produce --local")).to_be_visible()

    # From a terminal with no AWS settings, as a user would run it next to local mode.
    producer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "review_stream",
            "produce",
            "--local",
            "--rate",
            "3",
            "--count",
            "40",
        ],
        env={k: v for k, v in environment.items() if not k.startswith("AWS_")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Filling while the producer runs, not only once it is done.
        expect(processed.get_by_test_id("stMetricValue")).not_to_have_text("0", timeout=60_000)
        assert producer.poll() is None, "the producer finished before the dashboard showed a review"
        output, _ = producer.communicate(timeout=60)
    finally:
        producer.kill()
    assert producer.returncode == 0, output
    expect(processed.get_by_test_id("stMetricValue")).to_have_text("40", timeout=60_000)
    letters = page.get_by_test_id("stMetric").filter(has_text="Dead letters")
    expect(letters.get_by_test_id("stMetricValue")).to_have_text("0")
    expect(page.get_by_role("heading", name="Latest summaries")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("offline stand-in"))).to_be_visible()


def test_ctrl_c_stops_everything(local_mode: tuple[subprocess.Popen[str], dict[str, str]]) -> None:
    process, urls = local_mode
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    for name, url in urls.items():
        port = int(url.rsplit(":", 1)[1])
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"{name} still listens after Ctrl-C"


def test_a_restart_keeps_what_the_apps_stored(environment: dict[str, str], page: Page) -> None:
    assert CREATED, "the case-sheet test did not create a case"
    process, urls = start_local_mode(environment)
    try:
        page.goto(urls["Case sheets"])
        page.get_by_role("tab", name="Look up a case").click()
        page.get_by_label("Case sheet id").fill(CREATED[0])
        page.get_by_role("button", name="Look up").click()
        expect(page.get_by_text(f"Case sheet {CREATED[0]}: AnyCompany Bank")).to_be_visible(
            timeout=30_000
        )
        download = page.get_by_role("link", name=f"Download case sheet {CREATED[0]}")
        sheet = page.request.get(download.get_attribute("href") or "")
        assert sheet.ok and sheet.body()[:2] == b"PK", "the workbook did not survive the restart"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
