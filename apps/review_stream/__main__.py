"""``python -m review_stream produce | process-local``: the producer and the local processor.

The dashboard is a Streamlit page: ``python -m review_stream.dashboard`` (or
``genai-review-dashboard``) serves it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from genai_common.commands import module_command
from genai_common.declarations import local_name
from genai_common.settings import SettingsError, load_settings

from review_stream.settings import SAMPLE_REVIEWS, ReviewSettings

MAX_RATE = 10_000.0
# Local mode's name for the stream this app declares (app.yaml: data.streams).
LOCAL_STREAM = local_name("reviews")


def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < rate <= MAX_RATE:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most {MAX_RATE:g} per second")
    return rate


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _port(value: str) -> int:
    port = _positive(value)
    if port > 65_535:
        raise argparse.ArgumentTypeError("must be at most 65535")
    return port


def parser(settings: ReviewSettings) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog=module_command("review_stream"),
        description="Review sentiment: producer and local processor.",
    )
    commands = top.add_subparsers(dest="command", required=True)

    produce = commands.add_parser(
        "produce", help="send sample reviews to the Kinesis stream at a steady rate"
    )
    produce.add_argument("--rate", type=_rate, default=10.0, help="reviews per second (10)")
    produce.add_argument(
        "--stream",
        help=f"stream name (REVIEW_STREAM_NAME; with --local, local mode's {LOCAL_STREAM})",
    )
    produce.add_argument("--count", type=_positive, help="stop after this many reviews")
    produce.add_argument(
        "--file", type=Path, default=SAMPLE_REVIEWS, help="JSON lines of reviews (the sample)"
    )
    produce.add_argument("--loop", action="store_true", help="send the file again and again")
    produce.add_argument(
        "--local",
        action="store_true",
        help="send to local mode's stream (moto on 127.0.0.1:LOCAL_AWS_PORT, 4566)",
    )
    produce.add_argument(
        "--keep-dates",
        action="store_true",
        help="send each review's own dateTime instead of the time it is sent",
    )

    local = commands.add_parser(
        "process-local",
        help="local mode's stand-in for the Flink job: stream -> offline analyzer -> SQLite",
    )
    local.add_argument(
        "--stream", default=settings.review_stream_name, help="stream name (REVIEW_STREAM_NAME)"
    )
    local.add_argument(
        "--db", type=Path, default=settings.review_db, help="SQLite file (REVIEW_DB)"
    )
    local.add_argument(
        "--port",
        type=_port,
        default=settings.review_processor_port,
        help="serve GET /healthz on 127.0.0.1:PORT (REVIEW_PROCESSOR_PORT)",
    )
    return top


def local_mode_settings(settings: ReviewSettings) -> ReviewSettings:
    """The settings that reach local mode's moto server from any terminal.

    moto accepts any credentials: these placeholders keep real ones, if the terminal has any,
    out of requests to it.
    """
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    os.environ.update({"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"})
    port = os.environ.get("LOCAL_AWS_PORT", "4566")
    return settings.model_copy(update={"aws_endpoint_url": f"http://127.0.0.1:{port}"})


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = load_settings(ReviewSettings)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    args = parser(settings).parse_args(argv)
    if args.command == "produce":
        from genai_common.aws import aws_client

        if args.local:
            settings = local_mode_settings(settings)

        from review_stream.producer import ProduceOptions, produce

        options = ProduceOptions(
            stream=args.stream or (LOCAL_STREAM if args.local else settings.review_stream_name),
            rate=args.rate,
            file=args.file,
            count=args.count,
            loop=args.loop,
            keep_dates=args.keep_dates,
        )
        return produce(options, aws_client("kinesis", settings), region=settings.aws_region)

    from review_stream.local_processor import process_local

    return process_local(settings, args.stream, args.db, args.port)


if __name__ == "__main__":
    sys.exit(main())
