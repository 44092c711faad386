"""bedrock_customization: fine-tune a Bedrock model on the data set in S3 and, only when
``provisioned_throughput_enabled`` is "true", buy provisioned throughput for it and wait until it
is in service. Manual trigger only: a job is billed per token trained, the custom model per month
stored, and provisioned throughput per model-unit hour.

    plan_customization ─► customize_model ─► wait_for_customization ─► provisioned_throughput_enabled
        ─► custom_model_arn ─► create_provisioned_throughput ─► wait_for_provisioned_throughput
                                                                   ├► delete_provisioned_throughput (all done)
                               wait_for_customization, wait_for_provisioned_throughput ─► report

delete_provisioned_throughput runs whatever happened before it and deletes the throughput this
run created (found by its name, so one whose creation failed half-way is found too), unless the
param keep_provisioned_throughput is true and it reached InService. report is the run's verdict:
it fails when the customization or the throughput failed (the clean-up succeeding must not make
the run look green).
"""

from __future__ import annotations

from typing import Any

from airflow.exceptions import AirflowFailException
from airflow.providers.amazon.aws.hooks.bedrock import BedrockHook
from airflow.providers.amazon.aws.operators.bedrock import (
    BedrockCreateProvisionedModelThroughputOperator,
    BedrockCustomizeModelOperator,
)
from airflow.providers.amazon.aws.sensors.bedrock import (
    BedrockCustomizeModelCompletedSensor,
    BedrockProvisionModelThroughputCompletedSensor,
)
from airflow.sdk import Param, dag, task
from airflow.utils.trigger_rule import TriggerRule
from bedrock_ops.common import (
    START_DATE,
    TAG,
    aws_args,
    default_args,
    hook_args,
    run_stamp,
    var,
    variable,
)

# The hyperparameters every base model that Bedrock fine-tunes accepts (Titan, Nova, Llama).
DEFAULT_HYPERPARAMETERS = {"epochCount": "2", "batchSize": "1", "learningRate": "0.00001"}


class CustomizeModelOperator(BedrockCustomizeModelOperator):
    """The provider's operator with the data URIs templated too: it builds their configs in
    ``__init__`` and leaves them out of ``template_fields`` (provider 9.12), so a Variable
    template there would reach the API unrendered."""

    template_fields = (
        *BedrockCustomizeModelOperator.template_fields,
        "training_data_config",
        "output_data_config",
    )


@dag(
    dag_id="bedrock_customization",
    description="Fine-tune a Bedrock model; provisioned throughput only when enabled",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params={
        "hyperparameters": Param(
            DEFAULT_HYPERPARAMETERS,
            type="object",
            description="The job's hyperParameters (names and string values per base model)",
        ),
        "model_units": Param(1, type="integer", minimum=1, maximum=10),
        "keep_provisioned_throughput": Param(
            False,
            type="boolean",
            description="Keep the throughput once in service (it is billed every hour until deleted)",
        ),
    },
    tags=[TAG, "customization"],
    doc_md=__doc__,
)
def bedrock_customization() -> None:
    @task(multiple_outputs=True)
    def plan_customization(params: Any = None, dag_run: Any = None) -> dict[str, Any]:
        hyperparameters = (params or {}).get("hyperparameters") or {}
        if not isinstance(hyperparameters, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
            for k, v in hyperparameters.items()
        ):
            raise AirflowFailException(
                f"hyperparameters must map names to values, got {hyperparameters!r}"
            )
        stamp = run_stamp(dag_run)
        return {
            "job_name": f"bedrock-ops-ft-{stamp}",
            "custom_model_name": f"bedrock-ops-{stamp}",
            "provisioned_model_name": f"bedrock-ops-pt-{stamp}",
            "hyperparameters": {k: str(v) for k, v in hyperparameters.items()},
            "model_units": int(params["model_units"]),
        }

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def provisioned_throughput_enabled() -> bool:
        enabled = variable("provisioned_throughput_enabled").lower() == "true"
        if not enabled:
            print("provisioned_throughput_enabled is not 'true': no provisioned throughput")
        return enabled

    @task
    def custom_model_arn(job_arn: str) -> str:
        hook = BedrockHook(**hook_args(variable("aws_region")))
        return hook.conn.get_model_customization_job(jobIdentifier=job_arn)["outputModelArn"]

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=3)
    def delete_provisioned_throughput(provisioned_model_name: str, params: Any = None) -> str:
        client = BedrockHook(**hook_args(variable("aws_region"))).conn
        try:
            throughput = client.get_provisioned_model_throughput(
                provisionedModelId=provisioned_model_name
            )
        except client.exceptions.ResourceNotFoundException:
            return f"no provisioned throughput {provisioned_model_name}: nothing to delete"
        if (params or {}).get("keep_provisioned_throughput") and (
            throughput["status"] == "InService"
        ):
            return f"kept {throughput['provisionedModelArn']} (keep_provisioned_throughput)"
        client.delete_provisioned_model_throughput(
            provisionedModelId=throughput["provisionedModelArn"]
        )
        return f"deleted {throughput['provisionedModelArn']} ({throughput['status']})"

    @task(trigger_rule=TriggerRule.NONE_FAILED, retries=0)
    def report(job_arn: str) -> str:
        return f"customization {job_arn} completed"

    plan = plan_customization()
    customize = CustomizeModelOperator(
        task_id="customize_model",
        job_name=plan["job_name"],
        custom_model_name=plan["custom_model_name"],
        role_arn=var("customization_role_arn"),
        base_model_id=var("customization_base_model_id"),
        training_data_uri=var("customization_training_uri"),
        output_data_uri=var("customization_output_uri"),
        hyperparameters=plan["hyperparameters"],
        # Names are unique per run: a clash is a mistake, not a reason to start a second job.
        ensure_unique_job_name=False,
        wait_for_completion=False,
        deferrable=False,
        retries=0,
        **aws_args(),
    )
    customized = BedrockCustomizeModelCompletedSensor(
        task_id="wait_for_customization",
        job_name=customize.output,
        deferrable=True,
        poke_interval=300,
        max_retries=12 * 48,
        **aws_args(),
    )
    enabled = provisioned_throughput_enabled()
    model = custom_model_arn(customize.output)
    create = BedrockCreateProvisionedModelThroughputOperator(
        task_id="create_provisioned_throughput",
        model_units=plan["model_units"],
        provisioned_model_name=plan["provisioned_model_name"],
        model_id=model,
        # No commitment term: billed per hour, deletable at any time.
        wait_for_completion=False,
        deferrable=False,
        retries=0,
        **aws_args(),
    )
    in_service = BedrockProvisionModelThroughputCompletedSensor(
        task_id="wait_for_provisioned_throughput",
        model_id=create.output,
        deferrable=True,
        poke_interval=60,
        max_retries=90,
        **aws_args(),
    )
    customized >> enabled >> model >> create >> in_service
    in_service >> delete_provisioned_throughput(plan["provisioned_model_name"])
    [customized, in_service] >> report(customize.output)


bedrock_customization()
