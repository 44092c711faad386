"""``python -m competency_ingest``: build and publish the AWS Competency knowledge base.

    scrape  --out DIR               fetch the eight program pages into DIR (text + sidecars)
    publish --env ENV [--corpus DIR] [--no-sync]
                                    scrape (or take DIR), upload what changed, then sync
    sync    --env ENV               start an ingestion job and wait for it (scripts/kb-sync)
    index-local [--corpus DIR] [--if-changed]
                                    index DIR (default: the sample corpus) into QDRANT_PATH
    publish-local --bucket BUCKET [--corpus DIR]
                                    upload DIR (default: the sample corpus) to BUCKET as
                                    publish does (local mode's knowledge-base bucket)

Exit status: 0 on success, 1 when a page, an upload or the ingestion failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from competency_domain.corpus import CorpusDocument, read_corpus, write_corpus
from competency_domain.programs import PROGRAMS
from competency_domain.publish import publish
from competency_domain.sync import SyncFailed, sync
from genai_common.aws import aws_client
from genai_common.commands import module_command
from genai_common.settings import PlatformSettings, SettingsError, load_settings
from genai_common.stacks import environment_name

from competency_ingest import local_index
from competency_ingest.stack import knowledge_base_target


def _scrape_all() -> tuple[list[CorpusDocument], list[str]]:
    # Here, not at the top: the scraper's HTTP and HTML libraries cost local mode's tasks
    # (index-local, publish-local) most of their start.
    from competency_domain import scrape

    documents, failures = [], []
    http = scrape.session()
    for program in PROGRAMS:
        try:
            documents.append(scrape.scrape(http, program))
            print(f"fetched {program.slug}: {len(documents[-1].text):,} characters")
        except scrape.PageError as error:
            failures.append(str(error))
            print(f"failed {program.slug}: {error}", file=sys.stderr)
    return documents, failures


def _cmd_scrape(args: argparse.Namespace, settings: PlatformSettings) -> int:
    documents, failures = _scrape_all()
    write_corpus(documents, args.out)
    print(f"wrote {len(documents)} documents to {args.out}")
    if failures:
        print(f"{len(failures)} of {len(PROGRAMS)} pages failed (see above)", file=sys.stderr)
    return 1 if failures else 0


def _cmd_sync(args: argparse.Namespace, settings: PlatformSettings) -> int:
    target = knowledge_base_target(aws_client("ssm", settings), args.project, args.env)
    result = sync(
        aws_client("bedrock-agent", settings), target.knowledge_base_id, target.data_source_id
    )
    print(result.summary())
    return 0


def _cmd_publish(args: argparse.Namespace, settings: PlatformSettings) -> int:
    if args.corpus:
        documents, failures = read_corpus(args.corpus), []
    else:
        documents, failures = _scrape_all()
    target = knowledge_base_target(aws_client("ssm", settings), args.project, args.env)
    report = publish(aws_client("s3", settings), target.bucket, target.prefix, documents)
    print(
        f"s3://{target.bucket}/{target.prefix}: uploaded {len(report.uploaded)}, "
        f"unchanged {len(report.unchanged)}"
    )
    status = 1 if failures else 0
    if report.changed and not args.no_sync:
        status = max(status, _cmd_sync(args, settings))
    elif not report.changed:
        print("nothing changed; no ingestion job started")
    return status


def _cmd_index_local(args: argparse.Namespace, settings: PlatformSettings) -> int:
    if settings.qdrant_path is None and settings.qdrant_url is None:
        print("index-local needs QDRANT_PATH (embedded store) or QDRANT_URL", file=sys.stderr)
        return 2
    if args.if_changed:
        count = local_index.index_if_changed(settings, args.corpus, args.collection)
    else:
        count = local_index.index_corpus(settings, args.corpus, args.collection)
    if count is None:
        print(f"collection {args.collection!r} holds {args.corpus} already: nothing to index")
    else:
        print(f"indexed {count} passages of {args.corpus} into collection {args.collection!r}")
    return 0


def _cmd_publish_local(args: argparse.Namespace, settings: PlatformSettings) -> int:
    report = publish(aws_client("s3", settings), args.bucket, args.prefix, read_corpus(args.corpus))
    print(
        f"s3://{args.bucket}/{args.prefix}: uploaded {len(report.uploaded)}, "
        f"unchanged {len(report.unchanged)}"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=module_command("competency_ingest"), description=__doc__.split("\n")[0]
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("scrape", help="fetch the program pages into a folder")
    s.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "competency-corpus")
    s.set_defaults(run=_cmd_scrape)

    for name, run, help_text in (
        ("publish", _cmd_publish, "upload changed documents to the knowledge base, then sync"),
        ("sync", _cmd_sync, "start an ingestion job and wait for it"),
    ):
        s = sub.add_parser(name, help=help_text)
        s.add_argument("--env", required=True, type=environment_name)
        s.add_argument("--project", default="genai")
        if name == "publish":
            s.add_argument("--corpus", type=Path, help="publish this folder instead of scraping")
            s.add_argument("--no-sync", action="store_true", help="upload only")
        s.set_defaults(run=run)

    s = sub.add_parser("index-local", help="index a corpus into the local Qdrant store")
    s.add_argument("--corpus", type=Path, default=local_index.SAMPLE_CORPUS)
    s.add_argument("--collection", default=local_index.DEFAULT_COLLECTION)
    s.add_argument(
        "--if-changed",
        action="store_true",
        help="skip when the store holds this corpus indexed by this code already",
    )
    s.set_defaults(run=_cmd_index_local)

    s = sub.add_parser("publish-local", help="upload a corpus to a bucket (local mode)")
    s.add_argument("--bucket", required=True)
    s.add_argument("--prefix", default="documents/")
    s.add_argument("--corpus", type=Path, default=local_index.SAMPLE_CORPUS)
    s.set_defaults(run=_cmd_publish_local)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings(PlatformSettings)
        return int(args.run(args, settings))
    except (SettingsError, LookupError, SyncFailed, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
