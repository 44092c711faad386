"""bedrock_rag_evaluation: the knowledge base's gold questions through Retrieve (4 passages,
hybrid search, as the KB assistant asks) and RetrieveAndGenerate; results.jsonl and
summary.json to s3://<operations_bucket>/rag-evaluation/run=<ts>/; the run fails when hit@4
is below ``rag_min_hit_rate`` or a call failed.

    evaluate ─► check_hit_rate

Runs after every ingestion that changed documents (the knowledge-base asset that
bedrock_kb_refresh updates) and every Monday. The questions are one task's loop on the
provider's BedrockAgentRuntimeHook rather than two mapped operators per question: 131 questions
would be 262 task instances, each scheduled, logged and holding its passages in XCom, for calls
of a second or two; the score is over the whole set anyway, and the client's adaptive retries
absorb throttling.
"""

from __future__ import annotations

import json
from typing import Any

from airflow.exceptions import AirflowFailException
from airflow.providers.amazon.aws.hooks.bedrock import BedrockAgentRuntimeHook
from airflow.sdk import dag, task
from airflow.timetables.assets import AssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable
from bedrock_ops.common import (
    START_DATE,
    TAG,
    default_args,
    hook_args,
    knowledge_base_asset,
    run_stamp,
    s3_hook,
    variable,
)


@dag(
    dag_id="bedrock_rag_evaluation",
    description="Gold questions through Retrieve and RetrieveAndGenerate; fail below the hit@4 threshold",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 6 * * 1", timezone="UTC"),
        assets=knowledge_base_asset(),
    ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[TAG, "knowledge-base", "evaluation"],
    doc_md=__doc__,
)
def bedrock_rag_evaluation() -> None:
    @task
    def evaluate(dag_run: Any = None) -> dict[str, Any]:
        from bedrock_ops.evaluation import evaluate_question, load_gold, parse_threshold, summarize
        from bedrock_ops.metering import dag_meter

        threshold = parse_threshold(variable("rag_min_hit_rate"))
        region = variable("aws_region")
        knowledge_base_id = variable("knowledge_base_id")
        model_arn = variable("rag_model_arn")
        gold = load_gold()
        client = BedrockAgentRuntimeHook(**hook_args(region)).conn
        meter = dag_meter(region)
        rows = []
        for number, item in enumerate(gold, start=1):
            rows.append(evaluate_question(client, item, knowledge_base_id, model_arn, meter))
            if number % 25 == 0:
                print(f"{number}/{len(gold)} questions evaluated")
        summary = summarize(rows, threshold)

        bucket = variable("operations_bucket")
        # Asset-triggered runs have no logical date: the run's time names its folder.
        prefix = f"rag-evaluation/run={run_stamp(dag_run)}/"
        s3 = s3_hook(region, variable("operations_kms_key_arn"))
        s3.load_string(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
            key=prefix + "results.jsonl",
            bucket_name=bucket,
            replace=True,
        )
        summary["results"] = f"s3://{bucket}/{prefix}results.jsonl"
        s3.load_string(
            json.dumps(summary, indent=2) + "\n",
            key=prefix + "summary.json",
            bucket_name=bucket,
            replace=True,
        )
        print(json.dumps(summary, indent=2))
        return summary

    @task(retries=0)
    def check_hit_rate(summary: dict[str, Any]) -> None:
        k = summary["k"]
        if summary["passed"]:
            print(f"hit@{k} {summary[f'hit_at_{k}']:.3f} >= {summary['min_hit_rate']}")
            return
        raise AirflowFailException(
            f"evaluation failed: hit@{k} is {summary[f'hit_at_{k}']:.3f} "
            f"(rag_min_hit_rate {summary['min_hit_rate']}), "
            f"{summary['errors']} question(s) with failed calls; results: {summary['results']}"
        )

    check_hit_rate(evaluate())


bedrock_rag_evaluation()
