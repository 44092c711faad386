"""The Grafana dashboard of modules/managed-prometheus queries only what the managed scraper
collects: every metric it names carries a job selector, the job is one of the scrape
configuration's jobs, and the name passes that job's keep rule (metric_relabel_configs), so a
renamed metric or a dropped job fails here instead of as an empty panel."""

from __future__ import annotations

import json
import re
from string import Template
from typing import Any

import pytest
import yaml

from tests.infra.hcl import ROOT

MODULE = ROOT / "modules" / "managed-prometheus"
DASHBOARD = json.loads((MODULE / "dashboards" / "genai-cluster.json").read_text())

# Prometheus makes `up` for every target of every job itself.
SYNTHETIC = {"up"}
SELECTOR = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*\{([^}]*)\}")
MATCHER = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"')
# What is left of a query once selectors are gone and is not a metric: functions (followed by a
# parenthesis), grouping clauses with their label lists, keywords, ranges and numbers.
NOT_METRICS = [
    re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"),
    re.compile(r"\[[^\]]*\]"),
    re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\s*\("),
    re.compile(r"\b(?:and|or|unless|bool|offset)\b"),
    re.compile(r"\b\d+(?:\.\d+)?\b"),
]
IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def scrape_configuration() -> dict[str, Any]:
    """The template as Terraform renders it (its only variables are the interval and the name)."""
    text = (MODULE / "scrape-config.yaml.tftpl").read_text()
    return yaml.safe_load(
        Template(text).safe_substitute(scrape_interval="30s", cluster_name="genai-test")
    )


def kept_metrics_per_job(config: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """Each job's keep rule on __name__: what reaches the workspace from that job."""
    jobs = {}
    for job in config["scrape_configs"]:
        (rule,) = [
            r
            for r in job["metric_relabel_configs"]
            if r["action"] == "keep" and r["source_labels"] == ["__name__"]
        ]
        jobs[job["job_name"]] = re.compile(rule["regex"])
    return jobs


def metrics_and_jobs(expr: str) -> list[tuple[str, str | None]]:
    """(metric, job) for every metric an expression reads; a metric without a selector fails."""
    found = [
        (name, dict(MATCHER.findall(matchers)).get("job"))
        for name, matchers in SELECTOR.findall(expr)
    ]
    rest = SELECTOR.sub(" ", re.sub(r'"[^"]*"', " ", expr))
    for pattern in NOT_METRICS:
        rest = pattern.sub(" ", rest)
    bare = IDENTIFIER.findall(rest)
    assert not bare, f"{bare} in {expr!r} read a metric without a selector naming its job"
    return found


def unknown_metrics(expr: str, jobs: dict[str, re.Pattern[str]]) -> list[str]:
    problems = []
    for metric, job in metrics_and_jobs(expr):
        if metric in SYNTHETIC and job in (None, *jobs):
            continue
        if job not in jobs:
            problems.append(f"{metric}: job {job!r} is not scraped")
        elif not jobs[job].fullmatch(metric):
            problems.append(f"{metric}: job {job} keeps only {jobs[job].pattern}")
    return problems


def query_panels() -> list[dict[str, Any]]:
    return [p for p in DASHBOARD["panels"] if p["type"] != "row"]


def test_every_metric_the_dashboard_reads_is_scraped_and_kept() -> None:
    jobs = kept_metrics_per_job(scrape_configuration())
    problems = [
        f"{p['title']}: {problem}"
        for p in query_panels()
        for t in p["targets"]
        for problem in unknown_metrics(t["expr"], jobs)
    ]
    assert not problems, problems


def test_the_dashboard_shows_gpus_vllm_and_qdrant() -> None:
    read = {
        metric
        for p in query_panels()
        for t in p["targets"]
        for metric, _ in metrics_and_jobs(t["expr"])
    }
    assert {
        "DCGM_FI_DEV_GPU_UTIL",
        "DCGM_FI_DEV_FB_USED",
        "vllm:num_requests_waiting",
        "vllm:e2e_request_latency_seconds_bucket",
        "vllm:generation_tokens_total",
        "collections_vector_total",
    } <= read


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        ('rate(python_gc_objects_collected_total{job="vllm"}[5m])', "job vllm keeps only"),
        ('DCGM_FI_DEV_GPU_UTIL{job="gpu"}', "is not scraped"),
    ],
)
def test_a_metric_the_scraper_drops_is_caught(expr: str, problem: str) -> None:
    (found,) = unknown_metrics(expr, kept_metrics_per_job(scrape_configuration()))
    assert problem in found


def test_a_metric_without_a_job_selector_is_caught() -> None:
    with pytest.raises(AssertionError, match="without a selector"):
        metrics_and_jobs("sum(rate(vllm:generation_tokens_total[5m]))")


def test_the_dashboard_is_grafana_shaped() -> None:
    assert DASHBOARD["uid"] and DASHBOARD["title"] and isinstance(DASHBOARD["schemaVersion"], int)
    variables = {v["name"]: v for v in DASHBOARD["templating"]["list"]}
    assert (
        variables["datasource"]["type"] == "datasource"
        and variables["datasource"]["query"] == "prometheus"
    )
    ids = [p["id"] for p in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    for panel in DASHBOARD["panels"]:
        grid = panel["gridPos"]
        assert {"h", "w", "x", "y"} <= grid.keys() and grid["x"] + grid["w"] <= 24, panel["title"]
    for panel in query_panels():
        assert panel["type"] in {"timeseries", "stat", "gauge", "table", "bargauge"}, panel["title"]
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        refs = [t["refId"] for t in panel["targets"]]
        assert (
            refs
            and len(refs) == len(set(refs))
            and all(t["expr"].strip() for t in panel["targets"])
        ), panel["title"]
