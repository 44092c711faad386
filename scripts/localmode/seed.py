"""``python -m localmode.seed``: the local AWS account, as the apps' declarations describe it.

Creates every table (key schema, TTL), bucket and stream the apps declare under ``data`` (the
fields Terraform creates them from) and the meter's token-budget table (metering.json) with local
mode's names, then replays what the apps stored
in earlier runs and starts recording. Run by local mode as its ``aws`` task, with
AWS_ENDPOINT_URL and MOTO_RECORDER_FILEPATH set (platform.yaml).
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import boto3
from genai_common.declarations import App, Table, load_apps, local_name
from genai_common.metering.spec import metering_spec

from localmode.recording import restore_and_record


def table_definition(name: str, table: Table) -> dict[str, Any]:
    """create_table's arguments for a declared table (on demand, as Terraform creates it)."""
    keys = [(table.hash_key, "HASH")] + ([(table.range_key, "RANGE")] if table.range_key else [])
    return {
        "TableName": name,
        "KeySchema": [{"AttributeName": key.name, "KeyType": kind} for key, kind in keys],
        "AttributeDefinitions": [
            {"AttributeName": key.name, "AttributeType": key.type} for key, _ in keys
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def budget_table() -> tuple[str, Table]:
    """The meter's token-budget table (genai_common/metering/metering.json), shared by every app."""
    budget = metering_spec().budget_table
    return budget.logical_name, Table(hash_key=asdict(budget.hash_key), ttl=budget.ttl)


def create_resources(apps: tuple[App, ...], session: boto3.Session) -> list[str]:
    """Create every declared data resource; returns their local names."""
    dynamodb, s3, kinesis = (session.client(s) for s in ("dynamodb", "s3", "kinesis"))
    created = []
    # The meter's token budgets (genai_common/metering/metering.json), shared by every app.
    budget = metering_spec().budget_table
    tables = [(budget.logical_name, Table(hash_key=asdict(budget.hash_key), ttl=budget.ttl))]
    for app in apps:
        tables.extend(app.data.tables.items())
    for logical, table in tables:
        name = local_name(logical)
        dynamodb.create_table(**table_definition(name, table))
        if table.ttl:
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl},
            )
        created.append(f"table {name}")
    for app in apps:
        for logical in app.data.buckets:
            s3.create_bucket(Bucket=local_name(logical))
            created.append(f"bucket {local_name(logical)}")
        for logical in app.data.streams:
            # One shard, as the smallest stream Terraform provisions; moto makes it active at once.
            kinesis.create_stream(StreamName=local_name(logical), ShardCount=1)
            created.append(f"stream {local_name(logical)}")
    return created


def main() -> int:
    created = create_resources(load_apps(), boto3.Session())
    print(f"created {', '.join(created)}", flush=True)
    restore_and_record(os.environ["AWS_ENDPOINT_URL"], Path(os.environ["MOTO_RECORDER_FILEPATH"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
