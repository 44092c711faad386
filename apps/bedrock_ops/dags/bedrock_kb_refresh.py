"""bedrock_kb_refresh: scrape the competency pages, upload what changed, ingest, and fail with the
documents that failed.

    publish_changed_documents ─► anything_changed ─► start_ingestion ─► wait_for_ingestion ─► check_ingestion
                              └► check_pages

The scraper and the upload are competency_domain's, the same code as
``python -m competency_ingest publish``: a document is uploaded only when its content hash
differs from the stored one, and nothing changed means no ingestion job. A page that could not be
fetched fails check_pages once the pages that could be fetched are published and ingested.
"""

from __future__ import annotations

from typing import Any

from airflow.exceptions import AirflowFailException
from airflow.providers.amazon.aws.hooks.bedrock import BedrockAgentHook
from airflow.providers.amazon.aws.operators.bedrock import BedrockIngestDataOperator
from airflow.providers.amazon.aws.sensors.bedrock import BedrockIngestionJobSensor
from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from bedrock_ops.common import (
    START_DATE,
    TAG,
    aws_args,
    default_args,
    hook_args,
    knowledge_base_asset,
    s3_hook,
    var,
    variable,
)


@dag(
    dag_id="bedrock_kb_refresh",
    description="Scrape the competency pages, upload what changed, ingest into the knowledge base",
    schedule=CronTriggerTimetable("0 3 * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[TAG, "knowledge-base"],
    doc_md=__doc__,
)
def bedrock_kb_refresh() -> None:
    @task(multiple_outputs=True)
    def publish_changed_documents() -> dict[str, Any]:
        from competency_domain import scrape
        from competency_domain.programs import PROGRAMS
        from competency_domain.publish import publish

        documents, page_failures = [], []
        http = scrape.session()
        for program in PROGRAMS:
            try:
                documents.append(scrape.scrape(http, program))
            except scrape.PageError as error:
                page_failures.append(str(error))
        bucket, prefix = variable("documents_bucket"), variable("documents_prefix")
        s3 = s3_hook(variable("aws_region")).get_conn()
        report = publish(s3, bucket, prefix, documents)
        print(
            f"s3://{bucket}/{prefix}: uploaded {len(report.uploaded)} "
            f"({', '.join(report.uploaded) or 'none'}), unchanged {len(report.unchanged)}, "
            f"pages failed {len(page_failures)}"
        )
        return {
            "uploaded": report.uploaded,
            "unchanged": report.unchanged,
            "page_failures": page_failures,
        }

    @task.short_circuit
    def anything_changed(uploaded: list[str]) -> bool:
        if not uploaded:
            print("nothing changed; no ingestion job started")
        return bool(uploaded)

    @task
    def check_pages(page_failures: list[str]) -> None:
        if page_failures:
            raise AirflowFailException(
                f"{len(page_failures)} page(s) could not be scraped (the others were published): "
                + "; ".join(page_failures)
            )

    @task(outlets=[knowledge_base_asset()])
    def check_ingestion(ingestion_job_id: str, uploaded: list[str]) -> str:
        from bedrock_ops.ingestion import IngestionFailed, check_job

        hook = BedrockAgentHook(**hook_args(variable("aws_region")))
        job = hook.conn.get_ingestion_job(
            knowledgeBaseId=variable("knowledge_base_id"),
            dataSourceId=variable("data_source_id"),
            ingestionJobId=ingestion_job_id,
        )["ingestionJob"]
        try:
            summary = check_job(job)
        except IngestionFailed as failed:
            # Not retried: the job is over, and its outcome will not change.
            raise AirflowFailException(str(failed)) from None
        print(f"{summary} (uploaded this run: {', '.join(uploaded)})")
        return summary

    published = publish_changed_documents()
    start = BedrockIngestDataOperator(
        task_id="start_ingestion",
        knowledge_base_id=var("knowledge_base_id"),
        data_source_id=var("data_source_id"),
        # The sensor below waits, deferred: this task only starts the job.
        wait_for_completion=False,
        deferrable=False,
        **aws_args(),
    )
    wait = BedrockIngestionJobSensor(
        task_id="wait_for_ingestion",
        knowledge_base_id=var("knowledge_base_id"),
        data_source_id=var("data_source_id"),
        ingestion_job_id=start.output,
        deferrable=True,
        poke_interval=60,
        max_retries=180,
        **aws_args(),
    )
    anything_changed(published["uploaded"]) >> start >> wait
    wait >> check_ingestion(start.output, published["uploaded"])
    check_pages(published["page_failures"])


bedrock_kb_refresh()
