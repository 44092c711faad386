"""Fine-tune a chat model with LoRA on chat-format JSONL, here or as a Job on the spot GPU nodes.

    python -m finetune train --tiny --train T.jsonl --validation V.jsonl --output ./runs/try
    python -m finetune submit --env dev --run loyalty-v1 \\
        --train s3://BUCKET/finetune/data/loyalty_train.jsonl \\
        --validation s3://BUCKET/finetune/data/loyalty_validation.jsonl
    python -m finetune watch --env dev --run loyalty-v1
    python -m finetune cancel --env dev --run loyalty-v1
    python -m finetune generate --adapter s3://BUCKET/finetune/runs/loyalty-v1/adapter \\
        --question "Do product reviews earn points?"
    python -m finetune mirror-base-model --env dev \\
        --base-model meta-llama/Meta-Llama-3-8B-Instruct --revision <40-hex commit>
    python -m finetune serve --env dev --run loyalty-v2 --retire loyalty-v1 \\
        --server http://127.0.0.1:8000/v1      # kubectl -n genai port-forward svc/loyalty-model 8000:80

Exit status: 0 done, 1 failed (the reason is printed), 2 bad input or configuration,
130 stopped watching (the Job keeps running).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import boto3
import urllib3
from botocore.exceptions import BotoCoreError, ClientError
from genai_common.aws import aws_client
from genai_common.commands import module_command
from genai_common.kube import api_client
from genai_common.model_server import ModelServer, ModelServerError
from genai_common.settings import PlatformSettings, SettingsError, load_settings
from genai_common.stacks import StackNotApplied, check_project, environment_name
from kubernetes.client import ApiClient
from kubernetes.client.exceptions import ApiException
from pydantic import Field, SecretStr

from finetune import data, hyper, jobspec, mirror, serving
from finetune.hf_token import hf_token
from finetune.launcher import STUCK, Launcher, Outcome, RunExists, RunNotFound
from finetune.s3 import S3Location, download_folder
from finetune.stack import FinetuneStack, load_stack

PROG = module_command("finetune")
MAX_NEW_TOKENS = 4096
T = TypeVar("T")


class FinetuneSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus:

    ``HF_TOKEN_SECRET_ARN``  the Secrets Manager secret holding a Hugging Face token for gated
                             base models (unset or empty: public models only)
    ``MODEL_SERVER_API_KEY`` the model server's API key, for ``serve`` (the Kubernetes Secret
                             loyalty-model-api-key in the genai namespace)
    """

    hf_token_secret_arn: str | None = Field(
        default=None, pattern=r"^(arn:[\w-]+:secretsmanager:.+)?$"
    )
    model_server_api_key: SecretStr | None = None


class BadInput(ValueError):
    """A problem with the command's input; the message says what to change."""


def _argument_type(check: Callable[[str], T]) -> Callable[[str], T]:
    def parse(value: str) -> T:
        try:
            return check(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def _new_tokens(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_NEW_TOKENS):
        raise ValueError(f"{text!r} is not a number of tokens from 1 to {MAX_NEW_TOKENS}")
    return int(text)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train here (in the Job, or on this machine)")
    train.add_argument("--train", required=True, help="training JSONL: a path or s3:// URI")
    train.add_argument("--validation", required=True, help="validation JSONL: a path or s3:// URI")
    train.add_argument("--output", required=True, help="a folder, or s3://BUCKET/finetune/runs/RUN")
    train.add_argument("--base-model", default=jobspec.DEFAULT_BASE_MODEL, help="hub id or folder")
    train.add_argument("--revision", help="branch, tag or commit of the base model (default main)")
    train.add_argument("--work-dir", type=Path, help="local scratch (default: the output folder)")
    train.add_argument(
        "--tiny",
        action="store_true",
        help="a tiny Llama-shaped model made here (random weights): CPU, no hub, seconds",
    )
    hyper.add_arguments(train)

    for name, text in (
        ("submit", "start a training Job on the GPU nodes and watch it"),
        ("watch", "follow a run's Job: progress, log, outcome"),
        ("cancel", "delete a run's Job and its pod (checkpoints stay in S3)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--env", required=True, type=environment_name)
        command.add_argument("--project", default="genai", type=_argument_type(check_project))
        command.add_argument("--region", help="AWS Region (default: AWS_REGION, else us-east-1)")
        command.add_argument("--run", required=True, type=_argument_type(jobspec.check_run))
        if name == "submit":
            command.add_argument("--train", required=True, help="s3:// URI under finetune/data/")
            command.add_argument(
                "--validation", required=True, help="s3:// URI under finetune/data/"
            )
            command.add_argument("--base-model", default=jobspec.DEFAULT_BASE_MODEL)
            command.add_argument("--revision", help="branch, tag or commit of the base model")
            command.add_argument(
                "--deadline-hours",
                type=_argument_type(jobspec.check_deadline_hours),
                default=12.0,
                help=f"the Job's time limit, {jobspec.MIN_DEADLINE_HOURS:g}-"
                f"{jobspec.MAX_DEADLINE_HOURS:g} hours (default 12)",
            )
            command.add_argument(
                "--detach", action="store_true", help="submit and return without watching"
            )
            hyper.add_arguments(command)

    copy = commands.add_parser(
        "mirror-base-model", help="copy a base model at a pinned commit into the bucket, once"
    )
    copy.add_argument("--env", required=True, type=environment_name)
    copy.add_argument("--project", default="genai", type=_argument_type(check_project))
    copy.add_argument("--region", help="AWS Region (default: AWS_REGION, else us-east-1)")
    copy.add_argument(
        "--base-model",
        default=jobspec.DEFAULT_BASE_MODEL,
        type=_argument_type(mirror.check_model_id),
    )
    copy.add_argument(
        "--revision",
        required=True,
        type=_argument_type(mirror.check_revision),
        help="the commit a run's manifest records (base_model.resolved_revision)",
    )
    copy.add_argument("--work-dir", type=Path, help="local scratch (default: the system's)")

    serve = commands.add_parser(
        "serve", help="hot-load a finished run's adapter into the running model server"
    )
    serve.add_argument("--env", required=True, type=environment_name)
    serve.add_argument("--project", default="genai", type=_argument_type(check_project))
    serve.add_argument("--region", help="AWS Region (default: AWS_REGION, else us-east-1)")
    serve.add_argument("--run", required=True, type=_argument_type(jobspec.check_run))
    serve.add_argument(
        "--server", default="http://127.0.0.1:8000/v1", help="the model server's /v1 URL"
    )
    serve.add_argument(
        "--retire",
        nargs="*",
        default=[],
        type=_argument_type(jobspec.check_run),
        help="runs to unload once the new one serves",
    )

    generate = commands.add_parser("generate", help="answer a question with a trained adapter")
    generate.add_argument("--adapter", required=True, help="adapter folder or s3:// URI")
    generate.add_argument("--question", required=True)
    generate.add_argument("--base-model", help="default: the one in the adapter's manifest")
    generate.add_argument(
        "--max-new-tokens", type=_argument_type(_new_tokens), default=256, help="1-4096"
    )
    return parser.parse_args(argv)


def _settings(region: str | None = None) -> FinetuneSettings:
    settings = load_settings(FinetuneSettings)
    return settings.model_copy(update={"aws_region": region}) if region else settings


def run_train(options: argparse.Namespace) -> int:
    from finetune.base_model import BaseModelError
    from finetune.train import TrainRequest, train

    settings = _settings()
    uris = (options.train, options.validation, options.output)
    s3 = aws_client("s3", settings) if any(u.startswith("s3://") for u in uris) else None
    try:
        preset = hyper.TINY if options.tiny else hyper.Hyperparameters()
        request = TrainRequest(
            base_model=options.base_model,
            revision=options.revision,
            train=options.train,
            validation=options.validation,
            output=options.output,
            work_dir=options.work_dir or _default_work_dir(options.output),
            tiny=options.tiny,
            hyper=hyper.from_arguments(options, preset),
        )
        token = None
        if not options.tiny:
            secrets = aws_client("secretsmanager", settings)
            token = hf_token(secrets, settings.hf_token_secret_arn)
        train(request, s3=s3, token=token)
    except (data.DataError, BaseModelError, ValueError) as problem:
        print(f"finetune: {problem}", file=sys.stderr, flush=True)
        return 2
    return 0


def _default_work_dir(output: str) -> Path:
    if output.startswith("s3://"):
        return Path(tempfile.gettempdir()) / "finetune" / S3Location.parse(output).key
    return Path(output)


def cluster_api(stack: FinetuneStack, settings: PlatformSettings) -> ApiClient:
    credentials = boto3.session.Session().get_credentials()
    return api_client(
        aws_client("eks", settings), credentials, stack.cluster_name, settings.aws_region
    )


def _check_data(stack: FinetuneStack, s3: object, uri: str) -> data.ChatData:
    """The Job's role reads only finetune/data/: anything else would fail on the GPU, later."""
    if not uri.startswith(stack.data_prefix()):
        raise BadInput(f"{uri}: upload it under {stack.data_prefix()} (the Job reads only there)")
    return data.load(uri, s3)


def _hints(options: argparse.Namespace) -> str:
    where = f"--env {options.env} --project {options.project} --run {options.run}"
    return f"watch it: {PROG} watch {where}\ncancel it: {PROG} cancel {where}"


def _watch(launcher: Launcher, options: argparse.Namespace) -> int:
    name = jobspec.job_name(options.run)
    try:
        outcome: Outcome = launcher.watch(name)
    except KeyboardInterrupt:
        print(f"\nstopped watching; Job {name} keeps running on the cluster.\n{_hints(options)}")
        return 130
    print(f"run {options.run}: {outcome.line()}")
    if not outcome.succeeded and outcome.reason in {"Unschedulable", *STUCK}:
        print(f"the Job is still there, waiting.\n{_hints(options)}")
    return 0 if outcome.succeeded else 1


def run_cluster_command(options: argparse.Namespace) -> int:
    settings = _settings(options.region)
    stack = load_stack(aws_client("ssm", settings), options.project, options.env)
    name = jobspec.job_name(options.run)
    job = None
    if options.command == "submit":
        s3 = aws_client("s3", settings)
        for kind, uri in (("train", options.train), ("validation", options.validation)):
            checked = _check_data(stack, s3, uri)
            print(f"{kind}: {len(checked.conversations)} conversations, sha256 {checked.sha256}")
        request = jobspec.JobRequest(
            run=options.run,
            train=options.train,
            validation=options.validation,
            base_model=options.base_model,
            revision=options.revision,
            hyper=hyper.from_arguments(options, hyper.Hyperparameters()),
            deadline_hours=options.deadline_hours,
        )
        job = jobspec.job(stack, request, settings.aws_region)
    launcher = Launcher(cluster_api(stack, settings), stack.namespace)
    where = f"{stack.namespace}/{name} on {stack.cluster_name}"
    if options.command == "cancel":
        launcher.cancel(name)
        print(
            f"cancelled Job {where}. Its checkpoints stay in {stack.run_prefix(options.run)}/"
            "checkpoints/: submitting the same run again resumes from them."
        )
        return 0
    if job is not None:
        launcher.submit(job)
        print(f"submitted Job {where}; output {stack.run_prefix(options.run)}/adapter/")
        if options.detach:
            print(_hints(options))
            return 0
    return _watch(launcher, options)


def run_generate(options: argparse.Namespace) -> int:
    from finetune.base_model import BaseModelError
    from finetune.generate import answer, load_adapter

    settings = _settings()
    token = hf_token(aws_client("secretsmanager", settings), settings.hf_token_secret_arn)
    with tempfile.TemporaryDirectory() as scratch:
        adapter = Path(options.adapter)
        if options.adapter.startswith("s3://"):
            adapter = download_folder(
                aws_client("s3", settings), S3Location.parse(options.adapter), Path(scratch)
            )
        if not (adapter / "adapter_config.json").is_file():
            raise BadInput(f"{options.adapter}: no adapter_config.json there")
        try:
            model, tokenizer = load_adapter(adapter, base_model=options.base_model, token=token)
        except BaseModelError as problem:
            raise BadInput(str(problem)) from None
        print(answer(model, tokenizer, options.question, max_new_tokens=options.max_new_tokens))
    return 0


def run_mirror(options: argparse.Namespace) -> int:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError

    settings = _settings(options.region)
    stack = load_stack(aws_client("ssm", settings), options.project, options.env)
    secret = settings.hf_token_secret_arn or stack.hf_token_secret_arn
    token = hf_token(aws_client("secretsmanager", settings), secret)
    try:
        target = mirror.mirror(
            aws_client("s3", settings),
            stack.bucket,
            options.base_model,
            options.revision,
            token,
            snapshot_download,
            options.work_dir,
        )
    except HfHubHTTPError as error:
        print(f"finetune: Hugging Face Hub: {error}", file=sys.stderr)
        return 1
    print(f"mirrored {options.base_model}@{options.revision} to {target}")
    return 0


def run_serve(options: argparse.Namespace) -> int:
    settings = _settings(options.region)
    stack = load_stack(aws_client("ssm", settings), options.project, options.env)
    key = settings.model_server_api_key
    server = ModelServer(options.server, key.get_secret_value() if key else None)
    try:
        served = serving.serve_run(
            aws_client("s3", settings), stack.bucket, server, options.run, options.retire
        )
    except ModelServerError as error:
        still = ", ".join(_served_or_unknown(server))
        print(f"finetune: {options.run} is not served: {error}", file=sys.stderr)
        print(f"the server still serves: {still}", file=sys.stderr)
        return 1
    print(f"serving {options.run} (model name {options.run!r}); adapters: {', '.join(served)}")
    return 0


def _served_or_unknown(server: ModelServer) -> list[str]:
    try:
        return server.adapters() or ["no adapter"]
    except ModelServerError:
        return ["unknown (the server does not answer)"]


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    try:
        if options.command == "train":
            return run_train(options)
        if options.command == "generate":
            return run_generate(options)
        if options.command == "serve":
            return run_serve(options)
        if options.command == "mirror-base-model":
            return run_mirror(options)
        return run_cluster_command(options)
    # ValueError: BadInput, DataError and hyperparameters out of range.
    except (SettingsError, StackNotApplied, ValueError) as problem:
        print(f"finetune: {problem}", file=sys.stderr)
        return 2
    except RunExists as exists:
        print(
            f"finetune: Job {exists} exists: watch it, cancel it, or choose another --run",
            file=sys.stderr,
        )
        return 2
    except RunNotFound as missing:
        print(f"finetune: no Job {missing} (finished more than 3 days ago, or never submitted)")
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"finetune: AWS: {error}", file=sys.stderr)
        return 1
    except ApiException as error:
        print(f"finetune: Kubernetes API: {error.status} {error.reason}", file=sys.stderr)
        return 1
    except urllib3.exceptions.HTTPError as error:
        print(f"finetune: {_unreachable(error)}", file=sys.stderr)
        return 1


def _unreachable(error: urllib3.exceptions.HTTPError) -> str:
    """One line for a cluster that refused, dropped or never answered a call."""
    cause = error.reason if isinstance(error, urllib3.exceptions.MaxRetryError) else error
    # urllib3 makes NewConnectionError a kind of timeout: it is tested first.
    if isinstance(cause, urllib3.exceptions.NewConnectionError):
        what = "refused the connection or could not be reached"
    elif isinstance(cause, (urllib3.exceptions.TimeoutError, TimeoutError)):
        what = "did not answer in time"
    else:
        what = f"failed ({type(cause).__name__})"
    return (
        f"the cluster's Kubernetes API {what}. Check that the cluster is up and that this "
        "machine can reach its endpoint (VPN, endpoint access), then run the command again."
    )


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
