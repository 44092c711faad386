"""Every DAG file imports, with no Variable set and none read while parsing, and the DAGs are
shaped as the contract says: ids, owner, tags, no cycles, explicit regions, deferred waits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from airflow.models.dagbag import DagBag
from airflow.providers.amazon.aws.operators.base_aws import AwsBaseOperator
from airflow.providers.amazon.aws.sensors.base_aws import AwsBaseSensor
from airflow.sdk.definitions.variable import Variable
from airflow.utils.dag_cycle_tester import check_cycle

from tests.airflow.conftest import DAGS

DAG_IDS = {
    "bedrock_kb_refresh",
    "bedrock_rag_evaluation",
    "bedrock_batch_sentiment",
    "bedrock_customization",
    "bedrock_invoke_smoke",
}


@pytest.fixture(scope="module")
def parsed() -> DagBag:
    """The DAG files parsed with no Variable set and Variable.get refused outright."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a Variable was read while parsing: {args}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Variable, "get", refuse)
        return DagBag(str(DAGS), include_examples=False)


def test_every_dag_file_imports(parsed: DagBag) -> None:
    assert parsed.import_errors == {}
    assert set(parsed.dag_ids) == DAG_IDS
    assert len(list(DAGS.glob("*.py"))) == len(DAG_IDS)


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_owner_tags_and_no_cycles(parsed: DagBag, dag_id: str) -> None:
    dag = parsed.get_dag(dag_id)
    check_cycle(dag)
    assert "bedrock" in dag.tags
    assert {task.owner for task in dag.tasks} == {"platform"}
    assert dag.doc_md and dag.description
    assert not dag.catchup


def test_manual_dags_have_no_schedule(parsed: DagBag) -> None:
    for dag_id in ("bedrock_customization", "bedrock_invoke_smoke"):
        assert parsed.get_dag(dag_id).timetable.summary == "None"
    for dag_id in DAG_IDS - {"bedrock_customization", "bedrock_invoke_smoke"}:
        assert parsed.get_dag(dag_id).timetable.can_be_scheduled


def aws_tasks(parsed: DagBag) -> list[Any]:
    return [
        task
        for dag in parsed.dags.values()
        for task in dag.tasks
        if isinstance(task, AwsBaseOperator | AwsBaseSensor)
    ]


def test_provider_operators_name_the_region_from_the_variable(parsed: DagBag) -> None:
    tasks = aws_tasks(parsed)
    assert len(tasks) == 8
    for task in tasks:
        assert task.region_name == "{{ var.value.aws_region }}", task.task_id
        assert task.aws_conn_id is None, task.task_id


def test_the_waits_are_deferred_sensors(parsed: DagBag) -> None:
    sensors = {t.task_id: t for t in aws_tasks(parsed) if isinstance(t, AwsBaseSensor)}
    assert set(sensors) == {
        "wait_for_ingestion",
        "wait_for_batch_inference",
        "wait_for_customization",
        "wait_for_provisioned_throughput",
    }
    assert all(sensor.deferrable for sensor in sensors.values())
    assert (
        parsed.get_dag("bedrock_batch_sentiment")
        .get_task("wait_for_late_archive_objects")
        .deferrable
    )
    # The operators only start their jobs; none waits on a worker.
    for task in aws_tasks(parsed):
        if isinstance(task, AwsBaseOperator) and hasattr(task, "wait_for_completion"):
            assert not task.wait_for_completion and not task.deferrable, task.task_id


def test_jobs_that_cost_money_are_not_retried(parsed: DagBag) -> None:
    for dag_id, task_id in (
        ("bedrock_batch_sentiment", "start_batch_inference"),
        ("bedrock_customization", "customize_model"),
        ("bedrock_customization", "create_provisioned_throughput"),
    ):
        assert parsed.get_dag(dag_id).get_task(task_id).retries == 0


def test_templated_variables_are_the_contracts(parsed: DagBag) -> None:
    from bedrock_ops.common import VARIABLES

    names = set()
    for dag in parsed.dags.values():
        for task in dag.tasks:
            for field in task.template_fields:
                names |= set(re.findall(r"var\.value\.(\w+)", str(getattr(task, field, ""))))
    assert names and names <= VARIABLES
