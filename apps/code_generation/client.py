"""The terminal client: ask the API for code, print it, say where it is stored.

    python -m code_generation.client "reverse a linked list" --language go [--env dev | --url URL]
        [--model LABEL] [--out FILE]

The call is signed with SigV4 for execute-api with the caller's own credentials (the default
chain: SSO, a profile, a role). ``--env`` finds the URL in the bedrock stack's SSM parameter;
``--url`` takes it directly, e.g. local mode's http://127.0.0.1:8504/code-generation, which
also accepts an unsigned call when no credentials are configured.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import BotoCoreError, ClientError
from genai_common.commands import module_command
from genai_common.errors import error_code
from genai_common.stacks import check_project, environment_name

from code_generation.languages import LANGUAGES

SSM_NAME = "/{project}/{env}/bedrock/code-generation-url"
# Longer than API Gateway's 30 s integration limit, so its answer, not ours, ends a slow call.
TIMEOUT_SECONDS = 40
_EXECUTE_API_HOST = re.compile(r"^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ClientFailure(Exception):
    """A failure with a message for the person at the terminal."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


def region_for(url: str, session: Any) -> str:
    """The API's Region from its execute-api host name, else the session's."""
    host = urlsplit(url).hostname or ""
    if match := _EXECUTE_API_HOST.match(host):
        return match.group(1)
    return str(session.region_name or "us-east-1")


def signed_headers(url: str, body: bytes, session: Any) -> dict[str, str]:
    """Headers for the call, with SigV4 ``Authorization`` for execute-api when credentials exist."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    credentials = session.get_credentials()
    if credentials is None:
        if urlsplit(url).hostname in _LOOPBACK:
            return headers
        raise ClientFailure(
            "No AWS credentials were found to sign the request. Sign in first (e.g. "
            "`aws sso login --profile <profile>` and AWS_PROFILE=<profile>), or set a role."
        )
    request = AWSRequest(method="POST", url=url, data=body, headers=headers)
    SigV4Auth(
        credentials.get_frozen_credentials(), "execute-api", region_for(url, session)
    ).add_auth(request)
    return dict(request.headers.items())


def url_from_ssm(session: Any, project: str, env: str) -> str:
    try:
        name = SSM_NAME.format(project=check_project(project), env=env)
    except ValueError as error:
        raise ClientFailure(str(error)) from error
    try:
        return str(session.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as error:
        if error_code(error) == "ParameterNotFound":
            raise ClientFailure(
                f"{name} does not exist: apply the bedrock stack of {env} first, or pass --url"
            ) from error
        raise ClientFailure(f"reading {name} failed: {error}") from error
    except BotoCoreError as error:
        raise ClientFailure(f"reading {name} failed: {error}") from error


def call(url: str, payload: dict[str, str], session: Any) -> Reply:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ClientFailure(f"{url} is not an http(s) URL")
    body = json.dumps(payload).encode()
    # S310: the scheme is checked above, so no file: or custom URL is opened.
    request = Request(url, data=body, headers=signed_headers(url, body, session), method="POST")  # noqa: S310
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Reply(response.status, dict(response.headers.items()), _json(response.read()))
    except HTTPError as error:
        return Reply(error.code, dict(error.headers.items()), _json(error.read()))
    except (URLError, TimeoutError) as error:
        raise ClientFailure(f"the API at {url} could not be reached: {error}") from error


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data or b"{}")
    except ValueError:
        return {"error": data.decode(errors="replace")[:500]}
    return value if isinstance(value, dict) else {"error": str(value)}


def explain_failure(reply: Reply) -> str:
    """One message per failure, with what to do about it."""
    message = str(reply.body.get("error") or reply.body.get("message") or "no details")
    problems = [f"  {p.get('field')}: {p.get('message')}" for p in reply.body.get("problems", [])]
    if reply.status == 429:
        wait = reply.headers.get("Retry-After") or reply.headers.get("retry-after") or "a few"
        return f"throttled (429): {message}\nTry again in {wait} seconds."
    if reply.status == 504:
        return f"timed out (504): {message}"
    if reply.status in (401, 403):
        return (
            f"refused ({reply.status}): {message}\nCheck that your credentials are current and "
            "that your role may call execute-api:Invoke on this API."
        )
    return "\n".join([f"failed ({reply.status}): {message}", *problems])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=module_command("code_generation.client"), description=__doc__.split("\n")[0]
    )
    parser.add_argument("instruction", help="what the code should do")
    parser.add_argument("--language", required=True, choices=sorted(LANGUAGES))
    parser.add_argument("--model", help="a model label from the platform's catalog")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--env",
        type=environment_name,
        help="an environment (a folder of environments/): its URL comes from SSM",
    )
    where.add_argument("--url", help="the API's URL, ending in /code-generation")
    parser.add_argument(
        "--project", default="genai", help="the stacks' project name (default: genai)"
    )
    parser.add_argument("--out", type=Path, help="also write the code to this file")
    args = parser.parse_args(argv)
    # AWS_REGION as the Lambda runtime and the platform's apps read it; else the profile's.
    session = boto3.session.Session(region_name=os.environ.get("AWS_REGION"))
    try:
        url = args.url or url_from_ssm(session, args.project, args.env)
        payload = {"instruction": args.instruction, "language": args.language}
        if args.model:
            payload["model"] = args.model
        reply = call(url, payload, session)
    except ClientFailure as failure:
        print(f"code-generation: {failure}", file=sys.stderr)
        return 2
    if reply.status != 200:
        print(f"code-generation: {explain_failure(reply)}", file=sys.stderr)
        return 1
    code = str(reply.body.get("code", ""))
    sys.stdout.write(code)
    if args.out:
        args.out.write_text(code)
        print(f"written to {args.out}", file=sys.stderr)
    print(
        f"stored as {reply.body.get('s3_key')} (model {reply.body.get('model')})\n"
        f"download (until {reply.body.get('download_url_expires_at', 'soon')}): "
        f"{reply.body.get('download_url')}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
