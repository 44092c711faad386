"""bedrock_invoke_smoke: one tiny Converse call to ``invoke_model_id``; fails unless the model
answers with some text. Triggered by CI after each deploy (schedule None).

Converse (through the provider's BedrockRuntimeHook) rather than BedrockInvokeModelOperator:
InvokeModel's body differs per model family (Anthropic Messages, Titan, Llama, Nova), Converse's
does not, so the smoke test holds for whichever model or inference profile the tfvars name. It
is the same bedrock:InvokeModel permission.
"""

from __future__ import annotations

from airflow.exceptions import AirflowFailException
from airflow.providers.amazon.aws.hooks.bedrock import BedrockRuntimeHook
from airflow.sdk import dag, task
from bedrock_ops.common import START_DATE, TAG, default_args, hook_args, variable

PROMPT = "Reply with the single word OK."


@dag(
    dag_id="bedrock_invoke_smoke",
    description="One tiny model call: the smoke test after a deploy",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    default_args=default_args(retries=1),
    tags=[TAG, "smoke"],
    doc_md=__doc__,
)
def bedrock_invoke_smoke() -> None:
    @task
    def invoke_model() -> str:
        from bedrock_ops.metering import dag_meter

        model_id = variable("invoke_model_id")
        region = variable("aws_region")
        client = BedrockRuntimeHook(**hook_args(region)).conn
        response = dag_meter(region).measure(
            model_id,
            lambda: client.converse(
                modelId=model_id,
                messages=[{"role": "user", "content": [{"text": PROMPT}]}],
                inferenceConfig={"maxTokens": 16, "temperature": 0.0},
            ),
        )
        blocks = response.get("output", {}).get("message", {}).get("content", [])
        answer = "".join(b.get("text", "") for b in blocks if isinstance(b, dict)).strip()
        usage = response.get("usage", {})
        if not answer:
            raise AirflowFailException(
                f"{model_id} returned no text (stopReason {response.get('stopReason')!r})"
            )
        print(f"{model_id} answered {answer!r} ({usage.get('totalTokens', '?')} tokens)")
        return answer

    invoke_model()


bedrock_invoke_smoke()
