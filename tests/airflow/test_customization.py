"""bedrock_customization: the fine-tuning job, provisioned throughput only when enabled, and the
clean-up that deletes this run's throughput whatever happened."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import ANY

from tests.airflow.conftest import REGION, BedrockStubs, assert_regions, set_variable

ACCOUNT = "123456789012"
JOB_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:model-customization-job/amazon.titan-text-lite-v1:0:4k/abc123"
MODEL_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model/amazon.titan-text-lite-v1:0:4k/xyz789"
PT_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:provisioned-model/pt123456"
NOW = datetime(2026, 3, 2, tzinfo=UTC)


def customization_job(status: str) -> dict[str, Any]:
    return {
        "jobArn": JOB_ARN,
        "jobName": "bedrock-ops-ft",
        "outputModelName": "bedrock-ops",
        "outputModelArn": MODEL_ARN,
        "roleArn": "arn:aws:iam::123456789012:role/genai-dev-bedrock-customization",
        "status": status,
        "creationTime": NOW,
        "baseModelArn": f"arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-text-lite-v1:0:4k",
        "trainingDataConfig": {"s3Uri": "s3://genai-dev-operations/customization/data/train.jsonl"},
        "validationDataConfig": {"validators": []},
        "outputDataConfig": {"s3Uri": "s3://genai-dev-operations/customization/output/"},
    }


def throughput(status: str) -> dict[str, Any]:
    return {
        "modelUnits": 1,
        "desiredModelUnits": 1,
        "provisionedModelName": "bedrock-ops-pt",
        "provisionedModelArn": PT_ARN,
        "modelArn": MODEL_ARN,
        "desiredModelArn": MODEL_ARN,
        "foundationModelArn": f"arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-text-lite-v1:0:4k",
        "status": status,
        "creationTime": NOW,
        "lastModifiedTime": NOW,
    }


def expect_customization(bedrock: BedrockStubs, variables: dict[str, str], final: str) -> None:
    """The job's creation, the trigger's polls and (when it completes) the sensor's poke."""
    bedrock.add(
        "bedrock",
        "create_model_customization_job",
        {"jobArn": JOB_ARN, "ResponseMetadata": {"HTTPStatusCode": 201}},
        {
            "jobName": ANY,
            "customModelName": ANY,
            "roleArn": variables["customization_role_arn"],
            "baseModelIdentifier": variables["customization_base_model_id"],
            "trainingDataConfig": {"s3Uri": variables["customization_training_uri"]},
            "outputDataConfig": {"s3Uri": variables["customization_output_uri"]},
            "hyperParameters": {"epochCount": "2", "batchSize": "1", "learningRate": "0.00001"},
        },
    )
    job = {"jobIdentifier": JOB_ARN}
    bedrock.add("bedrock", "get_model_customization_job", customization_job("InProgress"), job)
    bedrock.add("bedrock", "get_model_customization_job", customization_job(final), job)
    if final == "Completed":
        bedrock.add("bedrock", "get_model_customization_job", customization_job(final), job)


def expect_no_throughput(bedrock: BedrockStubs) -> None:
    bedrock.error(
        "bedrock", "get_provisioned_model_throughput", "ResourceNotFoundException", status=404
    )


def test_without_provisioned_throughput_only_the_model_is_customized(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, variables: dict[str, str], deferred: list[str]
) -> None:
    expect_customization(bedrock, variables, "Completed")
    expect_no_throughput(bedrock)

    state, tasks = run_dag("bedrock_customization")

    assert state == "success", tasks
    bedrock.assert_done()
    assert deferred == ["BedrockCustomizeModelCompletedTrigger"]
    assert_regions(bedrock, deferred)
    assert tasks["provisioned_throughput_enabled"] == "success"
    for skipped in (
        "custom_model_arn",
        "create_provisioned_throughput",
        "wait_for_provisioned_throughput",
    ):
        assert tasks[skipped] == "skipped"
    assert tasks["delete_provisioned_throughput"] == "success"
    assert tasks["report"] == "success"


def expect_throughput(bedrock: BedrockStubs) -> None:
    bedrock.add(
        "bedrock",
        "get_model_customization_job",
        customization_job("Completed"),
        {"jobIdentifier": JOB_ARN},
    )
    bedrock.add(
        "bedrock",
        "create_provisioned_model_throughput",
        {"provisionedModelArn": PT_ARN},
        {"modelUnits": 1, "provisionedModelName": ANY, "modelId": MODEL_ARN},
    )
    pt = {"provisionedModelId": PT_ARN}
    bedrock.add("bedrock", "get_provisioned_model_throughput", throughput("Creating"), pt)
    bedrock.add("bedrock", "get_provisioned_model_throughput", throughput("InService"), pt)
    bedrock.add("bedrock", "get_provisioned_model_throughput", throughput("InService"), pt)


def test_enabled_provisioned_throughput_is_bought_waited_for_and_deleted(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    deferred: list[str],
) -> None:
    set_variable(monkeypatch, variables, "provisioned_throughput_enabled", "true")
    expect_customization(bedrock, variables, "Completed")
    expect_throughput(bedrock)
    # The clean-up finds the throughput by this run's name and deletes it.
    bedrock.add(
        "bedrock",
        "get_provisioned_model_throughput",
        throughput("InService"),
        {"provisionedModelId": ANY},
    )
    bedrock.add(
        "bedrock", "delete_provisioned_model_throughput", {}, {"provisionedModelId": PT_ARN}
    )

    state, tasks = run_dag("bedrock_customization")

    assert state == "success", tasks
    bedrock.assert_done()
    assert deferred == [
        "BedrockCustomizeModelCompletedTrigger",
        "BedrockProvisionModelThroughputCompletedTrigger",
    ]
    assert_regions(bedrock, deferred)


def test_the_throughput_is_kept_when_asked_and_in_service(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_variable(monkeypatch, variables, "provisioned_throughput_enabled", "true")
    expect_customization(bedrock, variables, "Completed")
    expect_throughput(bedrock)
    bedrock.add("bedrock", "get_provisioned_model_throughput", throughput("InService"))

    state, _ = run_dag("bedrock_customization", run_conf={"keep_provisioned_throughput": True})

    assert state == "success"
    bedrock.assert_done()  # no DeleteProvisionedModelThroughput


def test_throughput_that_fails_is_deleted_and_fails_the_run(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_variable(monkeypatch, variables, "provisioned_throughput_enabled", "true")
    expect_customization(bedrock, variables, "Completed")
    bedrock.add("bedrock", "get_model_customization_job", customization_job("Completed"))
    bedrock.add("bedrock", "create_provisioned_model_throughput", {"provisionedModelArn": PT_ARN})
    bedrock.add("bedrock", "get_provisioned_model_throughput", throughput("Failed"))
    bedrock.add("bedrock", "get_provisioned_model_throughput", throughput("Failed"))
    bedrock.add(
        "bedrock", "delete_provisioned_model_throughput", {}, {"provisionedModelId": PT_ARN}
    )

    state, tasks = run_dag("bedrock_customization", run_conf={"keep_provisioned_throughput": True})

    assert state == "failed"
    assert tasks["wait_for_provisioned_throughput"] == "failed"
    assert tasks["delete_provisioned_throughput"] == "success"
    assert tasks["report"] == "upstream_failed"
    bedrock.assert_done()


def test_a_failed_customization_fails_the_run_and_still_cleans_up(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_variable(monkeypatch, variables, "provisioned_throughput_enabled", "true")
    expect_customization(bedrock, variables, "Failed")
    expect_no_throughput(bedrock)

    state, tasks = run_dag("bedrock_customization")

    assert state == "failed"
    assert tasks["wait_for_customization"] == "failed"
    assert tasks["create_provisioned_throughput"] == "upstream_failed"
    assert tasks["delete_provisioned_throughput"] == "success"
    assert tasks["report"] == "upstream_failed"
    bedrock.assert_done()


def test_hyperparameters_come_from_the_run_conf(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, variables: dict[str, str]
) -> None:
    bedrock.add(
        "bedrock",
        "create_model_customization_job",
        {"jobArn": JOB_ARN, "ResponseMetadata": {"HTTPStatusCode": 201}},
        {
            "jobName": ANY,
            "customModelName": ANY,
            "roleArn": ANY,
            "baseModelIdentifier": ANY,
            "trainingDataConfig": ANY,
            "outputDataConfig": ANY,
            "hyperParameters": {"epochCount": "5", "learningRate": "0.0001"},
        },
    )
    bedrock.add("bedrock", "get_model_customization_job", customization_job("Completed"))
    bedrock.add("bedrock", "get_model_customization_job", customization_job("Completed"))
    expect_no_throughput(bedrock)

    state, _ = run_dag(
        "bedrock_customization",
        run_conf={"hyperparameters": {"epochCount": 5, "learningRate": "0.0001"}},
    )

    assert state == "success"
    bedrock.assert_done()
