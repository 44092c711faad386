"""The ingest command against moto (SSM parameters of the bedrock stack, S3) and, for scrape,
a local web server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from competency_domain.corpus import read_corpus
from competency_ingest.__main__ import main
from competency_ingest.local_index import SAMPLE_CORPUS
from moto import mock_aws

from tests.apps.competency_ingest.conftest import Site

BUCKET = "genai-dev-kb-documents-123456789012"


@pytest.fixture
def aws() -> Iterator[Any]:
    with mock_aws():
        yield


def publish_stack_parameters() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    for name, value in {
        "knowledge-base-id": "KBID123456",
        "data-source-id": "DSID123456",
        "documents-bucket": BUCKET,
        "documents-prefix": "documents/",
    }.items():
        ssm.put_parameter(Name=f"/genai/dev/bedrock/{name}", Value=value, Type="String")


def test_publish_uploads_a_corpus_to_the_stacks_bucket(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_stack_parameters()
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    argv = ["publish", "--env", "dev", "--corpus", str(SAMPLE_CORPUS), "--no-sync"]
    documents = len(read_corpus(SAMPLE_CORPUS))
    assert main(argv) == 0
    assert f"s3://{BUCKET}/documents/: uploaded {documents}, unchanged 0" in capsys.readouterr().out
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"uploaded 0, unchanged {documents}" in out and "no ingestion job started" in out


def test_sync_before_the_stack_is_applied_says_so(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--env", "staging"]) == 1
    err = capsys.readouterr().err
    assert "/genai/staging/bedrock/ lacks knowledge-base-id" in err
    assert "scripts/tf staging bedrock apply" in err


def test_bad_usage_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sync", "--env", "Prod!"])
    assert exit_info.value.code == 2


def test_index_local_needs_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index-local"]) == 2
    assert "QDRANT_PATH" in capsys.readouterr().err


# python -m competency_ingest, with the program list swapped for pages of the local server.
_RUN_WITH_PROGRAMS = """
import json, runpy, sys
from competency_domain import programs
programs.PROGRAMS = tuple(programs.Program(*program) for program in json.loads(sys.argv.pop(1)))
runpy.run_module("competency_ingest", run_name="__main__", alter_sys=True)
"""


def test_scrape_reports_each_broken_page_keeps_the_rest_and_fails_at_the_end(
    site: Site, tmp_path: Path
) -> None:
    page = (Path(__file__).with_name("pages") / "checklist.html").read_text()
    page = page.replace("</h1>", "</h1><p>Zürich — 東京 ✓</p>").encode()
    pages = {
        "corrupt-gzip": ({"Content-Type": "text/html", "Content-Encoding": "gzip"}, page),
        "truncated": ({"Content-Type": "text/html", "Content-Length": "100000"}, page[:400]),
        "labelled": ({"Content-Type": "text/html; charset=utf-8"}, page),
        "meta-charset-only": ({"Content-Type": "text/html"}, page),
        "unknown-charset": ({"Content-Type": "text/html; charset=x-nonsense"}, page),
    }
    programs = [
        (slug, slug, site.reply(f"/{slug}.html", 200, headers, body))
        for slug, (headers, body) in pages.items()
    ]
    out = tmp_path / "corpus"
    run = subprocess.run(
        [sys.executable, "-c", _RUN_WITH_PROGRAMS, json.dumps(programs), "scrape", "--out", out],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    failed = run.stderr.splitlines()
    assert failed[0].startswith(f"failed corrupt-gzip: {programs[0][2]}: ")
    assert "failed to decode" in failed[0]
    assert failed[1].startswith(f"failed truncated: {programs[1][2]}: ")
    assert "IncompleteRead" in failed[1]
    assert failed[2:] == ["2 of 5 pages failed (see above)"]
    assert f"wrote 3 documents to {out}" in run.stdout
    assert sorted(path.name for path in out.glob("*.txt")) == [
        "labelled.txt",
        "meta-charset-only.txt",
        "unknown-charset.txt",
    ]
    for path in out.glob("*.txt"):
        assert "Zürich — 東京 ✓" in path.read_text(encoding="utf-8").splitlines()
