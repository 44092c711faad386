"""The launcher against a Kubernetes API on localhost (the real client, real HTTP) and the
stacks' parameters in moto SSM: the Job spec, submit, watch to success or failure with the
reason, spot interruptions, cancel, and Ctrl-C."""

from __future__ import annotations

import base64
import functools
import io
import json
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from finetune import __main__ as cli
from finetune import hyper, jobspec, launcher
from finetune.launcher import Launcher
from finetune.stack import FinetuneStack, load_stack
from genai_common import kube
from genai_common.stacks import StackNotApplied
from kubernetes import client
from moto import mock_aws

from tests.apps.finetune.conftest import TRAIN, VALIDATION
from tests.apps.finetune.fake_kube import (
    NAMESPACE,
    Cluster,
    Frame,
    condition,
    job_status,
    pod,
    serve,
)

BUCKET = "genai-dev-model-assets"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:genai/dev/hf-token-AbCdEf"
SELECTOR = {"genai/node-pool": "gpu"}
TOLERATION = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
STACK = FinetuneStack(
    environment="dev",
    cluster_name="genai-dev",
    bucket=BUCKET,
    namespace=NAMESPACE,
    service_account="finetune-job",
    image="123456789012.dkr.ecr.us-east-1.amazonaws.com/finetune:abc123",
    node_selector=SELECTOR,
    toleration=TOLERATION,
    hf_token_secret_arn=SECRET,
)
NAME = "finetune-loyalty-v1"
DATA = f"s3://{BUCKET}/finetune/data"
SUBMIT = [
    "submit",
    "--env",
    "dev",
    "--run",
    "loyalty-v1",
    "--train",
    f"{DATA}/loyalty_train.jsonl",
    "--validation",
    f"{DATA}/loyalty_validation.jsonl",
    "--epochs",
    "2",
]
PENDING = pod(
    f"{NAME}-a1", "Pending", unschedulable="0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
)
PULLING = pod(f"{NAME}-a1", "Pending", waiting=("ContainerCreating", ""), node="ip-10-0-3-7")
RUNNING = pod(f"{NAME}-a1", "Running", node="ip-10-0-3-7")
DONE = pod(f"{NAME}-a1", "Succeeded", terminated={"exitCode": 0, "reason": "Completed"})
SUCCESS = [
    Frame(job_status(active=1), [PENDING]),
    Frame(job_status(active=1), [PULLING]),
    Frame(job_status(active=1), [RUNNING]),
    Frame(job_status(condition("SuccessCriteriaMet"), condition("Complete")), [DONE]),
]
LOG = "finetune: step 1/10 (10%) loss 2.31\nfinetune: step 10/10 (100%) eval_loss 1.9\n"


def api(url: str) -> client.ApiClient:
    configuration = client.Configuration()
    configuration.host = url
    return client.ApiClient(configuration)


@pytest.fixture
def cluster() -> Iterator[tuple[Cluster, str]]:
    fake = Cluster(frames=list(SUCCESS), logs={f"{NAME}-a1": LOG})
    with serve(fake) as url:
        yield fake, url


def watcher(cluster: tuple[Cluster, str], **options: Any) -> tuple[Launcher, io.StringIO]:
    """A launcher for the Job the cluster already runs."""
    fake, url = cluster
    fake.jobs[NAME] = {"metadata": {"name": NAME}, "spec": {"template": {}}}
    out = io.StringIO()
    return Launcher(api(url), NAMESPACE, out=out, poll_seconds=0, **options), out


def test_the_job_runs_on_a_gpu_node_as_the_runs_service_account() -> None:
    request = jobspec.JobRequest(
        run="loyalty-v1",
        train=f"{DATA}/t.jsonl",
        validation=f"{DATA}/v.jsonl",
        revision="8afb486c1db24fe5011ec46dfbe5b5dccdb575c2",
        hyper=hyper.Hyperparameters(epochs=2),
    )
    spec = client.ApiClient().sanitize_for_serialization(jobspec.job(STACK, request, "us-east-1"))
    assert spec["metadata"]["name"] == NAME
    assert spec["metadata"]["labels"]["genai/finetune-run"] == "loyalty-v1"
    job = spec["spec"]
    pod_spec = job["template"]["spec"]
    assert pod_spec["nodeSelector"] == SELECTOR
    assert pod_spec["tolerations"] == [TOLERATION]
    assert pod_spec["serviceAccountName"] == "finetune-job"
    assert pod_spec["restartPolicy"] == "Never"
    assert pod_spec["securityContext"]["runAsNonRoot"] is True
    [container] = pod_spec["containers"]
    assert container["image"] == STACK.image
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True

    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["HF_TOKEN_SECRET_ARN"] == SECRET
    assert env["AWS_REGION"] == "us-east-1"
    assert "HF_TOKEN" not in env and not any(
        "TOKEN" in n for n in env if n != "HF_TOKEN_SECRET_ARN"
    )

    # Spot interruptions are ignored (retried for free); bad input fails at once.
    ignore, fail = job["podFailurePolicy"]["rules"]
    assert ignore == {
        "action": "Ignore",
        "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
    }
    assert fail["action"] == "FailJob" and fail["onExitCodes"]["values"] == [2]
    assert job["backoffLimit"] == 2
    assert job["activeDeadlineSeconds"] == 12 * 3600
    assert job["ttlSecondsAfterFinished"] > 0
    assert job["podReplacementPolicy"] == "Failed"

    arguments = cli.parse(container["args"])
    assert arguments.command == "train"
    assert arguments.output == f"s3://{BUCKET}/finetune/runs/loyalty-v1"
    assert arguments.revision == "8afb486c1db24fe5011ec46dfbe5b5dccdb575c2"
    assert hyper.from_arguments(arguments, hyper.TINY) == hyper.Hyperparameters(epochs=2)


@pytest.mark.parametrize(
    "flags",
    [
        ["--epochs", "inf"],
        ["--epochs", "nan"],
        ["--epochs", "1e9"],
        ["--batch-size", str(10**20)],
        ["--learning-rate", "nan"],
        ["--save-steps", "0"],
        ["--seed", str(2**32)],
        ["--lora-alpha", "100000"],
    ],
)
def test_hyperparameters_from_the_command_line_are_finite_and_bounded(flags: list[str]) -> None:
    with pytest.raises(
        ValueError, match=f"invalid hyperparameters: {flags[0][2:].replace('-', '_')}="
    ):
        hyper.parse_flags(flags)


@pytest.mark.parametrize("run", ["Loyalty", "-x", "a_b", "x" * 41, ""])
def test_run_names_must_make_valid_job_names(run: str) -> None:
    with pytest.raises(ValueError, match="not a run name"):
        jobspec.job_name(run)


def test_watch_reports_scheduling_streams_the_log_and_succeeds(
    cluster: tuple[Cluster, str],
) -> None:
    fake = cluster[0]
    watch, out = watcher(cluster)
    outcome = watch.watch(NAME)
    assert outcome.succeeded and outcome.reason == "Complete"
    text = out.getvalue()
    assert "Pending (Unschedulable: 0/3 nodes are available" in text
    assert "Running on ip-10-0-3-7" in text
    assert "  finetune: step 10/10 (100%) eval_loss 1.9" in text
    log_calls = [u for m, u, _ in fake.requests if u.split("?")[0].endswith("/log")]
    assert (
        len(log_calls) == 1
        and "follow=true" in log_calls[0].lower()
        and "container=trainer" in log_calls[0]
    )


def test_an_out_of_memory_failure_says_so_and_what_to_change(cluster: tuple[Cluster, str]) -> None:
    fake = cluster[0]
    oom = pod(f"{NAME}-a1", "Failed", terminated={"exitCode": 137, "reason": "OOMKilled"})
    failed = job_status(
        condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
    )
    fake.frames = [Frame(job_status(active=1), [RUNNING]), Frame(failed, [oom])]
    outcome = watcher(cluster)[0].watch(NAME)
    assert not outcome.succeeded
    assert outcome.reason == "OOMKilled"
    assert "exit code 137" in outcome.message and "--batch-size" in outcome.message
    assert "BackoffLimitExceeded" in outcome.message


def test_bad_input_fails_with_the_trainers_own_message(cluster: tuple[Cluster, str]) -> None:
    fake = cluster[0]
    message = "finetune: s3://b/finetune/data/t.jsonl: 1 bad line(s)\n  line 3: not JSON"
    bad = pod(
        f"{NAME}-a1", "Failed", terminated={"exitCode": 2, "reason": "Error", "message": message}
    )
    failed = job_status(
        condition("Failed", "PodFailurePolicy", "Container trainer ... exit code 2")
    )
    fake.frames = [Frame(failed, [bad])]
    outcome = watcher(cluster)[0].watch(NAME)
    assert (outcome.succeeded, outcome.reason) == (False, "BadInput")
    assert "line 3: not JSON" in outcome.message


def test_an_image_that_cannot_be_pulled_ends_the_watch(cluster: tuple[Cluster, str]) -> None:
    fake = cluster[0]
    stuck = pod(
        f"{NAME}-a1",
        "Pending",
        waiting=("ImagePullBackOff", 'Back-off pulling image "finetune:nope"'),
    )
    fake.frames = [Frame(job_status(active=1), [stuck])]
    outcome = watcher(cluster)[0].watch(NAME)
    assert (outcome.succeeded, outcome.reason) == (False, "ImagePullBackOff")
    assert "finetune:nope" in outcome.message


def test_no_gpu_node_for_too_long_ends_the_watch(cluster: tuple[Cluster, str]) -> None:
    fake = cluster[0]
    fake.frames = [Frame(job_status(active=1), [PENDING])]
    now = iter(range(0, 10_000, 300))
    watch, _ = watcher(cluster, pending_timeout=1200, clock=lambda: next(now))
    outcome = watch.watch(NAME)
    assert (outcome.succeeded, outcome.reason) == (False, "Unschedulable")
    assert "Insufficient nvidia.com/gpu" in outcome.message and "20 min" in outcome.message


def test_a_spot_interruption_is_reported_and_the_next_pod_is_followed(
    cluster: tuple[Cluster, str],
) -> None:
    fake = cluster[0]
    first = pod(
        f"{NAME}-a1",
        "Failed",
        terminated={"exitCode": 143, "reason": "Error"},
        disrupted="Eviction API: evicting",
    )
    second = pod(f"{NAME}-b2", "Running", node="ip-10-0-3-9", created="2026-11-23T12:30:00Z")
    fake.logs[f"{NAME}-b2"] = "finetune: resuming from checkpoint-50\n"
    done = pod(
        f"{NAME}-b2",
        "Succeeded",
        terminated={"exitCode": 0, "reason": "Completed"},
        created="2026-11-23T12:30:00Z",
    )
    fake.frames = [
        Frame(job_status(active=1), [RUNNING]),
        Frame(job_status(active=1), [first, second]),
        Frame(job_status(condition("Complete")), [first, done]),
    ]
    watch, out = watcher(cluster)
    assert watch.watch(NAME).succeeded
    text = out.getvalue()
    assert "EvictionByEvictionAPI" in text and "resumes from the last checkpoint" in text
    assert "  finetune: resuming from checkpoint-50" in text


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The stacks' parameters in SSM and the data in S3, as dev publishes them."""
    with mock_aws():
        ssm = boto3.client("ssm", region_name="us-east-1")
        parameters = {
            "platform/cluster-name": "genai-dev",
            "platform/gpu-node-selector": json.dumps(SELECTOR),
            "platform/gpu-toleration": json.dumps(TOLERATION),
            "platform/model-assets-bucket": BUCKET,
            "workloads/finetune-namespace": NAMESPACE,
            "workloads/finetune-service-account": "finetune-job",
            "workloads/finetune-image": STACK.image,
            "workloads/hf-token-secret-arn": SECRET,
        }
        for name, value in parameters.items():
            ssm.put_parameter(Name=f"/genai/dev/{name}", Value=value, Type="String")
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(TRAIN), BUCKET, "finetune/data/loyalty_train.jsonl")
        s3.upload_file(str(VALIDATION), BUCKET, "finetune/data/loyalty_validation.jsonl")
        monkeypatch.setattr(cli, "Launcher", functools.partial(Launcher, poll_seconds=0))
        yield ssm


@pytest.fixture
def wired(aws: Any, cluster: tuple[Cluster, str], monkeypatch: pytest.MonkeyPatch) -> Cluster:
    fake, url = cluster
    monkeypatch.setattr(cli, "cluster_api", lambda stack, settings: api(url))
    return fake


def test_submit_validates_the_data_creates_the_job_and_watches_it(
    wired: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(SUBMIT) == 0
    out = capsys.readouterr().out
    assert "train: 200 conversations, sha256 " in out
    assert f"submitted Job {NAMESPACE}/{NAME} on genai-dev" in out
    assert "run loyalty-v1: succeeded: Complete" in out
    [(_, _, body)] = [r for r in wired.requests if r[0] == "POST"]
    container = body["spec"]["template"]["spec"]["containers"][0]
    assert body["spec"]["template"]["spec"]["tolerations"] == [TOLERATION]
    assert container["args"][container["args"].index("--epochs") + 1] == "2.0"
    assert (
        container["args"][container["args"].index("--train") + 1] == f"{DATA}/loyalty_train.jsonl"
    )


def test_submitting_a_run_twice_is_refused(
    wired: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*SUBMIT, "--detach"]) == 0
    assert (
        "cancel it: .venv/bin/python -m finetune cancel --env dev --project genai --run loyalty-v1"
        in (capsys.readouterr().out)
    )
    assert cli.main(SUBMIT) == 2
    assert f"Job {NAME} exists" in capsys.readouterr().err


def test_data_outside_the_jobs_prefix_or_with_bad_lines_is_refused_before_submitting(
    wired: Cluster, aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = [*SUBMIT]
    elsewhere[elsewhere.index("--train") + 1] = "s3://someone-else/t.jsonl"
    assert cli.main(elsewhere) == 2
    assert f"upload it under {DATA}/" in capsys.readouterr().err
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=BUCKET, Key="finetune/data/loyalty_train.jsonl", Body=b'{"messages": []}\n'
    )
    assert cli.main(SUBMIT) == 2
    assert 'line 1: "messages" must be a non-empty list' in capsys.readouterr().err
    assert not [r for r in wired.requests if r[0] == "POST"]


def test_a_failed_run_exits_1_with_the_reason(
    wired: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    stuck = pod(f"{NAME}-a1", "Pending", waiting=("ImagePullBackOff", "no such tag"))
    wired.frames = [Frame(job_status(active=1), [stuck])]
    assert cli.main(SUBMIT) == 1
    out = capsys.readouterr().out
    assert "run loyalty-v1: failed: ImagePullBackOff: no such tag" in out
    assert "the Job is still there" in out and "cancel it:" in out


def test_ctrl_c_while_watching_says_how_to_watch_again_or_cancel(
    wired: Cluster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: Launcher, name: str) -> launcher.Outcome:
        raise KeyboardInterrupt

    monkeypatch.setattr(Launcher, "watch", interrupted)
    assert cli.main(SUBMIT) == 130
    out = capsys.readouterr().out
    assert f"Job {NAME} keeps running" in out
    assert (
        "watch it: .venv/bin/python -m finetune watch --env dev --project genai --run loyalty-v1"
        in out
    )
    assert (
        "cancel it: .venv/bin/python -m finetune cancel --env dev --project genai --run loyalty-v1"
        in out
    )


def test_cancel_deletes_the_job_in_the_foreground(
    wired: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*SUBMIT, "--detach"]) == 0
    assert cli.main(["cancel", "--env", "dev", "--run", "loyalty-v1"]) == 0
    [(_, url, body)] = [r for r in wired.requests if r[0] == "DELETE"]
    assert url.startswith(f"/apis/batch/v1/namespaces/{NAMESPACE}/jobs/{NAME}")
    assert body["propagationPolicy"] == "Foreground"
    assert "checkpoints stay in" in capsys.readouterr().out
    assert cli.main(["cancel", "--env", "dev", "--run", "loyalty-v1"]) == 2
    assert cli.main(["watch", "--env", "dev", "--run", "loyalty-v1"]) == 2


def test_a_missing_parameter_names_the_stack_to_apply(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.delete_parameter(Name="/genai/dev/workloads/finetune-image")
    assert cli.main(SUBMIT) == 2
    assert "lacks finetune-image: apply the workloads stack of dev" in capsys.readouterr().err


def test_the_stack_parameters_are_read_and_checked(aws: Any) -> None:
    assert load_stack(aws, "genai", "dev") == STACK
    aws.put_parameter(
        Name="/genai/dev/workloads/hf-token-secret-arn", Value="none", Type="String", Overwrite=True
    )
    assert load_stack(aws, "genai", "dev").hf_token_secret_arn == ""
    aws.put_parameter(
        Name="/genai/dev/platform/gpu-toleration",
        Value='{"key": "x", "seconds": "1"}',
        Type="String",
        Overwrite=True,
    )
    with pytest.raises(StackNotApplied, match="gpu-toleration has fields"):
        load_stack(aws, "genai", "dev")
    aws.put_parameter(
        Name="/genai/dev/platform/gpu-node-selector", Value="gpu", Type="String", Overwrite=True
    )
    with pytest.raises(StackNotApplied, match="gpu-node-selector must be a JSON object"):
        load_stack(aws, "genai", "dev")


def test_a_long_watch_signs_a_new_cluster_token_before_the_old_one_expires(
    cluster: tuple[Cluster, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = cluster
    signed: list[str] = []
    monkeypatch.setattr(
        kube, "eks_token", lambda *_: signed.append(f"token-{len(signed)}") or signed[-1]
    )
    eks = boto3.client("eks", region_name="us-east-1")
    stub = Stubber(eks)
    ca = base64.b64encode(b"not a real CA").decode()
    stub.add_response(
        "describe_cluster",
        {"cluster": {"name": "genai-dev", "endpoint": url, "certificateAuthority": {"data": ca}}},
    )
    now = [0.0]
    with stub:
        api_client = kube.api_client(eks, None, "genai-dev", "us-east-1", clock=lambda: now[0])  # type: ignore[arg-type]
    api_client.configuration.ssl_ca_cert = None
    batch = client.BatchV1Api(api_client)
    fake.jobs[NAME] = {"metadata": {"name": NAME}, "spec": {"template": {}}}
    batch.read_namespaced_job(NAME, NAMESPACE)
    now[0] = 9 * 60
    batch.read_namespaced_job(NAME, NAMESPACE)
    now[0] = 11 * 60
    batch.read_namespaced_job(NAME, NAMESPACE)
    assert fake.authorization == ["Bearer token-0", "Bearer token-0", "Bearer token-1"]


@pytest.fixture
def refusing() -> str:
    """The URL of a port nothing listens on: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent() -> Iterator[str]:
    """A cluster endpoint that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize("endpoint", ["refusing", "silent"])
@pytest.mark.parametrize(
    "command",
    [
        [*SUBMIT, "--detach"],
        ["watch", "--env", "dev", "--run", "loyalty-v1"],
        ["cancel", "--env", "dev", "--run", "loyalty-v1"],
    ],
    ids=["submit", "watch", "cancel"],
)
def test_an_unreachable_cluster_is_one_line_and_exit_1(
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    endpoint: str,
    command: list[str],
) -> None:
    configuration = client.Configuration()
    configuration.host = request.getfixturevalue(endpoint)
    configuration.retries = 1  # as kube.api_client sets it
    monkeypatch.setattr(cli, "cluster_api", lambda stack, settings: client.ApiClient(configuration))
    monkeypatch.setattr(
        cli, "Launcher", functools.partial(Launcher, poll_seconds=0, request_timeout=(0.5, 0.5))
    )
    assert cli.main(command) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    expected = "did not answer in time" if endpoint == "silent" else "refused the connection"
    assert err.startswith(f"finetune: the cluster's Kubernetes API {expected}")


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        ("inf", "inf hours is not a deadline: give 1 to 168 hours"),
        ("nan", "nan hours is not a deadline"),
        ("0.0001", "0.0001 hours is not a deadline"),
        ("1e308", "1e308 hours is not a deadline"),
        ("-3", "-3 hours is not a deadline"),
        ("soon", "'soon' is not a number of hours"),
    ],
)
def test_the_deadline_is_a_finite_number_of_hours_in_range(
    capsys: pytest.CaptureFixture[str], hours: str, problem: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.parse([*SUBMIT, "--deadline-hours", hours])
    assert exit_.value.code == 2
    assert problem in capsys.readouterr().err
    assert cli.parse([*SUBMIT, "--deadline-hours", "1.5"]).deadline_hours == 1.5
