#!/usr/bin/env python3
"""Local mode: the platform on this machine, with no AWS account and no Docker.

Starts a moto server as the AWS endpoint (S3, DynamoDB, Kinesis, Secrets Manager), seeds
it, then each app as a local process on its own port, prints the URLs and waits. Ctrl-C
stops everything. Logs and app data live under .local/. moto keeps AWS data in memory, so
its recorder writes every request made after seeding to .local/aws-recording.jsonl and the
next start replays them: case sheets and anything else the apps store survive a restart.
Delete that file (or .local/) to start from a clean account.

Chat model: the labelled offline stand-in, or any OpenAI-compatible server when
OPENAI_BASE_URL and OPENAI_MODEL are set (e.g. Ollama: http://127.0.0.1:11434/v1, llama3.1).
The AWS Competency assistant answers from the sample corpus, indexed into an embedded Qdrant
under .local/qdrant with local embeddings (again only when the corpus or the indexing code changed); the corpus is
also published to the local S3 bucket the way the ingest job publishes to the real one.
The case-sheet assistant offers the agent's two actions as forms calling the real action
handler against the local S3 bucket and DynamoDB table (no agent runtime runs offline).
MyRetail: the shopping API (shop_rag) keeps the sample catalog in its own embedded Qdrant
under .local/qdrant-shop (loaded through its /load_data once per catalog version) and its chat
history in a local DynamoDB table; the Gradio chatbot in front of it asks it in the Shopping
tab and the chat model in the Loyalty program tab.
Code generation: the API's Lambda handler behind a local HTTP server (each request becomes an API
Gateway v2 event from a local IAM identity), with a page to try it, storing into local S3.
Review sentiment: a local processor reads the Kinesis stream in moto, labels each review with the
offline stand-in (VADER), and stores the results in SQLite, which the dashboard reads; reviews come
from `python -m review_stream produce --local`.
Ports: LOCAL_AWS_PORT (4566), LOCAL_CHAT_PORT (8501), LOCAL_KB_PORT (8502), LOCAL_AGENT_PORT (8503),
LOCAL_SHOP_RAG_PORT (8000), LOCAL_MYRETAIL_PORT (7860), LOCAL_CODEGEN_PORT (8504),
LOCAL_REVIEWS_PORT (8505, the dashboard), LOCAL_REVIEW_PROCESSOR_PORT (8506, its /healthz).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LOCAL_DATA_DIR", ROOT / ".local"))
REGION = "us-east-1"
SEED_BUCKETS = ("genai-local-model-assets",)
KB_BUCKET, KB_PREFIX = "genai-local-kb-documents", "documents/"
CASE_TABLE, CASE_BUCKET = "genai-local-case-sheets", "genai-local-case-sheets"
RECORDING = DATA / "aws-recording.jsonl"
SHOP_HISTORY_TABLE = "genai-local-shop-history"
CODE_BUCKET = "genai-local-generated-code"
REVIEW_STREAM = "reviews"
CATALOG_DIR = ROOT / "datasets" / "myretail"
CATALOG_FILE = "catalog.jsonl"
APPS = ROOT / "apps"
# The code that decides what the sample corpus's index holds (chunks, vectors, payloads): a
# change to it rebuilds that index at the next start, as a change to the corpus does.
CORPUS_INDEX_CODE = (
    APPS / "competency_ingest" / "local_index.py",
    APPS / "competency_ingest" / "corpus.py",
    APPS / "genai_common" / "chunking.py",
    APPS / "genai_common" / "vector_store.py",
    APPS / "genai_common" / "embeddings.py",
)


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, env: dict[str, str]) -> None:
        log = (DATA / f"{self.name}.log").open("ab")
        # Own process group, so Ctrl-C in the terminal reaches only this supervisor, which
        # then stops the services in order.
        self.process = subprocess.Popen(
            self.command,
            env={**env, **self.extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {DATA / (self.name + '.log')}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as response:  # noqa: S310 (loopback only)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not become healthy within {timeout:.0f}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def chat_provider_env() -> dict[str, str]:
    if os.environ.get("OPENAI_BASE_URL"):
        if not os.environ.get("OPENAI_MODEL"):
            sys.exit(
                "local mode: OPENAI_BASE_URL is set but OPENAI_MODEL is not (e.g. OPENAI_MODEL=llama3.1)"
            )
        return {"CHAT_PROVIDER": "openai"}
    return {"CHAT_PROVIDER": "offline"}


def seed(endpoint: str) -> None:
    import boto3
    from competency_ingest.corpus import read_corpus
    from competency_ingest.local_index import SAMPLE_CORPUS
    from competency_ingest.publish import publish

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    for bucket in (*SEED_BUCKETS, KB_BUCKET, CASE_BUCKET, CODE_BUCKET):
        s3.create_bucket(Bucket=bucket)
    publish(s3, KB_BUCKET, KB_PREFIX, read_corpus(SAMPLE_CORPUS))
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)
    dynamodb.create_table(
        TableName=CASE_TABLE,
        KeySchema=[{"AttributeName": "caseSheetId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "caseSheetId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    # The shopping API's chat history: one item per turn of a session, expiring by TTL.
    dynamodb.create_table(
        TableName=SHOP_HISTORY_TABLE,
        KeySchema=[
            {"AttributeName": "sessionId", "KeyType": "HASH"},
            {"AttributeName": "turn", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "sessionId", "AttributeType": "S"},
            {"AttributeName": "turn", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=SHOP_HISTORY_TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"},
    )
    # One shard, as the dev stack's smallest provisioned stream; moto makes it active at once.
    kinesis = boto3.client("kinesis", endpoint_url=endpoint, region_name=REGION)
    kinesis.create_stream(StreamName=REVIEW_STREAM, ShardCount=1)


def restore_and_record(endpoint: str) -> None:
    """Replay what the apps stored in earlier runs, then record what they store from now on.

    Seeding is not recorded: it runs at every start, and replaying it would collide with it.
    """
    recorder = f"{endpoint}/moto-api/recorder"
    drop_stream_traffic(RECORDING)
    if RECORDING.exists() and RECORDING.stat().st_size:
        print("Restoring local AWS data from the last run...", flush=True)
        _post(f"{recorder}/replay-recording")
    _post(f"{recorder}/start-recording")


def drop_stream_traffic(recording: Path) -> None:
    """Leave the Kinesis requests out of the recording: the review processor polls the stream
    every few seconds, and replaying a long session's polls would slow every start. Reviews
    are not kept across restarts, their results are (in SQLite)."""
    if not recording.exists():
        return
    kept = []
    with recording.open() as lines:
        for line in lines:
            headers = json.loads(line).get("headers") or {}
            if not str(headers.get("X-Amz-Target", "")).startswith("Kinesis_"):
                kept.append(line)
    partial = recording.with_suffix(".partial")
    partial.write_text("".join(kept))
    partial.replace(recording)


def _post(url: str) -> None:
    request = urllib.request.Request(url, method="POST")  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=120):  # noqa: S310
        pass


def digest(paths: list[Path]) -> str:
    """One hash of these files' names and contents, in a stable order."""
    sha = hashlib.sha256()
    for path in sorted(paths):
        sha.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def index_sample_corpus(env: dict[str, str]) -> None:
    """Index the sample corpus into the local Qdrant store unless it already holds this version.

    A separate process: the embedded store admits one client, and the assistant opens it next.
    """
    from competency_ingest.local_index import SAMPLE_CORPUS

    version = digest([*SAMPLE_CORPUS.glob("*.txt*"), *CORPUS_INDEX_CODE])
    stamp = Path(env["QDRANT_PATH"]) / ".sample-corpus.sha256"
    if stamp.exists() and stamp.read_text() == version:
        return
    print("Indexing the sample corpus (first start only)...", flush=True)
    with (DATA / "index.log").open("ab") as log:
        subprocess.run(
            [sys.executable, "-m", "competency_ingest", "index-local"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    stamp.write_text(version)


def load_sample_catalog(shop_rag_url: str, qdrant_path: Path) -> None:
    """Load the sample catalog through the shopping API unless its store holds this version.

    Through the running API, not a separate process: its embedded Qdrant admits one client.
    """
    # The catalog only: /load_data itself skips products stored unchanged, so a reload after a
    # code change would change nothing.
    version = digest([CATALOG_DIR / CATALOG_FILE])
    stamp = qdrant_path / ".sample-catalog.sha256"
    if stamp.exists() and stamp.read_text() == version:
        return
    print("Loading the sample catalog into the shopping API (first start only)...", flush=True)
    started = time.monotonic()
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        f"{shop_rag_url}/load_data",
        data=json.dumps({"source": CATALOG_FILE}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=1800) as response:  # noqa: S310
            result = json.load(response)
    except urllib.error.HTTPError as error:
        raise RuntimeError(
            f"loading the sample catalog failed (HTTP {error.code}): {error.read().decode()[:500]}"
        ) from None
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        raise RuntimeError(
            f"loading the sample catalog failed ({error}); see {DATA / 'shop-rag.log'}"
        ) from None
    print(
        f"Loaded {result.get('products')} products in {time.monotonic() - started:.0f} s.",
        flush=True,
    )
    stamp.write_text(version)


def streamlit_service(name: str, module: str, port: int) -> Service:
    return Service(
        name,
        [
            sys.executable,
            "-m",
            module,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        f"http://127.0.0.1:{port}/_stcore/health",
        url=f"http://127.0.0.1:{port}",
    )


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    aws_port = int(os.environ.get("LOCAL_AWS_PORT", "4566"))
    chat_port = int(os.environ.get("LOCAL_CHAT_PORT", "8501"))
    kb_port = int(os.environ.get("LOCAL_KB_PORT", "8502"))
    agent_port = int(os.environ.get("LOCAL_AGENT_PORT", "8503"))
    shop_rag_port = int(os.environ.get("LOCAL_SHOP_RAG_PORT", "8000"))
    myretail_port = int(os.environ.get("LOCAL_MYRETAIL_PORT", "7860"))
    codegen_port = int(os.environ.get("LOCAL_CODEGEN_PORT", "8504"))
    reviews_port = int(os.environ.get("LOCAL_REVIEWS_PORT", "8505"))
    review_processor_port = int(os.environ.get("LOCAL_REVIEW_PROCESSOR_PORT", "8506"))
    endpoint = f"http://127.0.0.1:{aws_port}"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        # moto accepts any credentials; these never leave this machine.
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        **chat_provider_env(),
        "EMBEDDINGS_PROVIDER": "local",
        "QDRANT_PATH": str(DATA / "qdrant"),
        "KB_RETRIEVER": "local",
        "AGENT_MODE": "local",
        "CASE_TABLE": CASE_TABLE,
        "CASE_BUCKET": CASE_BUCKET,
        "REVIEW_STREAM_NAME": REVIEW_STREAM,
        "REVIEW_STORE": "local",
        "REVIEW_DB": str(DATA / "reviews.sqlite3"),
    }
    os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")})
    aws = Service(
        "aws",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(aws_port)],
        f"{endpoint}/moto-api/data.json",
        extra_env={"MOTO_RECORDER_FILEPATH": str(RECORDING)},
    )
    chat = streamlit_service("chat", "claude_chat", chat_port)
    kb = streamlit_service("kb-assistant", "kb_assistant", kb_port)
    agent = streamlit_service("agent-assistant", "agent_assistant", agent_port)
    shop_rag_url = f"http://127.0.0.1:{shop_rag_port}"
    shop_qdrant = DATA / "qdrant-shop"
    shop_rag = Service(
        "shop-rag",
        [sys.executable, "-m", "shop_rag"],
        f"{shop_rag_url}/healthz",
        url=shop_rag_url,
        extra_env={
            "SHOP_RAG_HOST": "127.0.0.1",
            "SHOP_RAG_PORT": str(shop_rag_port),
            # Not .local/qdrant: the KB assistant holds that embedded store, which admits one client.
            "QDRANT_PATH": str(shop_qdrant),
            "CATALOG_DIR": str(CATALOG_DIR),
            "HISTORY_TABLE": SHOP_HISTORY_TABLE,
        },
    )
    myretail = Service(
        "myretail-chat",
        [sys.executable, "-m", "myretail_chat"],
        f"http://127.0.0.1:{myretail_port}/healthz",
        url=f"http://127.0.0.1:{myretail_port}",
        extra_env={
            "MYRETAIL_CHAT_HOST": "127.0.0.1",
            "MYRETAIL_CHAT_PORT": str(myretail_port),
            "SHOP_RAG_URL": shop_rag_url,
        },
    )
    codegen_url = f"http://127.0.0.1:{codegen_port}"
    codegen = Service(
        "code-generation",
        [sys.executable, "-m", "code_generation", "serve", "--port", str(codegen_port)],
        f"{codegen_url}/healthz",
        url=codegen_url,
        extra_env={"CODE_BUCKET": CODE_BUCKET, "POWERTOOLS_SERVICE_NAME": "code-generation"},
    )
    review_processor = Service(
        "review-processor",
        [
            sys.executable,
            "-m",
            "review_stream",
            "process-local",
            "--port",
            str(review_processor_port),
        ],
        f"http://127.0.0.1:{review_processor_port}/healthz",
    )
    reviews = streamlit_service("review-dashboard", "review_stream.dashboard", reviews_port)
    apps = [chat, kb, agent, shop_rag, myretail, codegen, review_processor, reviews]
    services = [aws, *apps]

    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        aws.start(env)
        aws.wait_healthy()
        seed(endpoint)
        restore_and_record(endpoint)
        index_sample_corpus(env)
        for app in apps:
            app.start(env)
        for app in apps:
            # The shopping API loads the embedding model while the other apps start too.
            app.wait_healthy(timeout=240.0 if app is shop_rag else 90.0)
        load_sample_catalog(shop_rag_url, shop_qdrant)
        print("Local mode is up (Ctrl-C stops everything):", flush=True)
        print(f"  Chat               {chat.url}   ({env['CHAT_PROVIDER']} model)", flush=True)
        print(f"  KB assistant       {kb.url}   (sample corpus, local index)", flush=True)
        print(f"  Case sheets        {agent.url}   (the agent's actions as forms)", flush=True)
        print(
            f"  MyRetail chatbot   {myretail.url}   (Shopping: the shopping API; "
            f"Loyalty program: {env['CHAT_PROVIDER']} model)",
            flush=True,
        )
        print(
            f"  Shopping API       {shop_rag.url}   (sample catalog in {shop_qdrant.name}, "
            "history in DynamoDB)",
            flush=True,
        )
        print(
            f"  Code generation    {codegen.url}   (page; API {codegen.url}/code-generation: "
            f'python -m code_generation.client "..." --language go --url {codegen.url}/code-generation)',
            flush=True,
        )
        print(
            f"  Review sentiment   {reviews.url}   (dashboard; send reviews with "
            "python -m review_stream produce --local --rate 5)",
            flush=True,
        )
        print(
            f"  AWS endpoint       {endpoint}   (moto: S3, DynamoDB, Kinesis, Secrets Manager)",
            flush=True,
        )
        print(f"  Logs and data      {DATA}   (AWS data kept in {RECORDING.name})", flush=True)
        while not stopping:
            for service in services:
                if service.process and service.process.poll() is not None:
                    print(
                        f"local mode: {service.name} stopped unexpectedly; see {DATA / (service.name + '.log')}",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(0.5)
        print("Stopping local mode...", flush=True)
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"local mode: {error}", file=sys.stderr)
        return 1
    finally:
        for service in reversed(services):
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
