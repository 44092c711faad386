"""``python -m code_generation serve --port N``: the API and its page on a local port.

Reads the function's settings (CODE_BUCKET, CHAT_PROVIDER, ...) from the environment. With
AWS_ENDPOINT_URL (local mode's moto server) it creates the bucket when missing; against a
real account the bucket must already exist, as in AWS.
"""

from __future__ import annotations

import argparse
import sys

from botocore.exceptions import BotoCoreError, ClientError
from genai_common.commands import module_command

from code_generation import handler
from code_generation.local_server import make_server
from code_generation.settings import SettingsError


def _ensure_local_bucket() -> None:
    current = handler.service()
    if current.settings.aws_endpoint_url is None:
        return
    s3 = current.store.s3
    try:
        s3.head_bucket(Bucket=current.store.bucket)
    except ClientError:
        region = current.settings.aws_region
        # us-east-1 is the one Region that refuses an explicit location constraint.
        location = {} if region == "us-east-1" else {"LocationConstraint": region}
        s3.create_bucket(
            Bucket=current.store.bucket,
            **({"CreateBucketConfiguration": location} if location else {}),
        )


def serve(host: str, port: int, deadline: float | None = None) -> int:
    if deadline is not None:
        handler.LOCAL_DEADLINE["seconds"] = deadline
    try:
        _ensure_local_bucket()
    except SettingsError as error:
        print(f"code_generation: {error}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"code_generation: the S3 endpoint is not usable: {error}", file=sys.stderr)
        return 2
    server = make_server(host, port)
    print(f"Code generation: http://{host}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=module_command("code_generation"))
    commands = parser.add_subparsers(dest="command", required=True)
    local = commands.add_parser("serve", help="serve the API and its page on a local port")
    local.add_argument("--port", type=int, default=8504)
    local.add_argument("--host", default="127.0.0.1")
    local.add_argument(
        "--deadline",
        type=float,
        help="seconds a request may take (default DEADLINE_SECONDS, at most the gateway's 29 s):"
        " no gateway stands in front of the local server, and a model on a CPU needs longer",
    )
    args = parser.parse_args(argv)
    if args.deadline is not None and not 0 < args.deadline <= 3600:
        parser.error("--deadline must be above 0 and at most 3600 seconds")
    return serve(args.host, args.port, args.deadline)


if __name__ == "__main__":
    sys.exit(main())
