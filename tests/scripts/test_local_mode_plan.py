"""What local mode runs, read from the apps' declarations: placeholders, ports, the URL table,
a taken port refused before anything starts, and the README's port variables."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from genai_common.declarations import App, load_app, load_apps
from localmode.plan import Plan, PlanError, load_platform, plan

from tests.fakes.serving import free_ports
from tests.scripts.stand_ins import ROOT

README = ROOT / "README.md"


def real_plan(env: dict[str, str] | None = None, data: Path = Path("/data")) -> Plan:
    return plan(load_apps(), load_platform(), env or {}, data, ROOT)


def throwaway(tmp_path: Path, body: str) -> tuple[App, ...]:
    """The real apps plus one declared in a temporary folder."""
    folder = tmp_path / "throwaway_app"
    folder.mkdir()
    (folder / "app.yaml").write_text(
        "name: throwaway\nsummary: a test app\nruns_on: lambda\n" + body
    )
    return (*load_apps(), load_app(folder / "app.yaml"))


def test_every_declared_local_process_is_run_with_its_placeholders_resolved() -> None:
    local = real_plan(data=Path("/data"))
    specs = {spec.name: spec for spec in local.specs({})}
    declared = [p.name for app in load_apps() for p in app.local]
    declared += [p.name for p in load_platform().processes]
    assert sorted(specs) == sorted(declared)
    for spec in specs.values():
        text = " ".join([*spec.argv, *spec.env.values()])
        assert not re.search(r"\{[a-z]+(:[^}]*)?\}", text), f"{spec.name}: {text}"
        assert spec.argv[0] == sys.executable
        assert spec.env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566"
    shop = specs["shop-rag"]
    assert shop.env["HISTORY_TABLE"] == "genai-local-shop-chat-history"
    assert shop.env["QDRANT_PATH"] == "/data/qdrant-shop"
    assert shop.ready_url == "http://127.0.0.1:8000/healthz"
    assert specs["myretail-chat"].env["SHOP_RAG_URL"] == "http://127.0.0.1:8000"
    assert specs["catalog-load"].ready_url is None  # a one-shot task


def test_a_port_variable_moves_the_port_and_every_url_that_names_it() -> None:
    local = real_plan({"LOCAL_SHOP_RAG_PORT": "9100", "LOCAL_AWS_PORT": "9101"})
    specs = {spec.name: spec for spec in local.specs({})}
    assert specs["shop-rag"].env["SHOP_RAG_PORT"] == "9100"
    assert specs["myretail-chat"].env["SHOP_RAG_URL"] == "http://127.0.0.1:9100"
    assert "http://127.0.0.1:9100" in specs["catalog-load"].argv
    assert specs["chat"].env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:9101"
    assert ("Shopping API", "http://127.0.0.1:9100", "sample catalog, history in DynamoDB") in (
        local.table()
    )


def test_the_callers_aws_identity_does_not_reach_the_local_endpoint() -> None:
    env = {"AWS_PROFILE": "work", "AWS_SESSION_TOKEN": "secret", "HOME": "/home/me"}
    for spec in real_plan().specs(env):
        assert "AWS_PROFILE" not in spec.env and "AWS_SESSION_TOKEN" not in spec.env
        assert spec.env["AWS_ACCESS_KEY_ID"] == "local" and spec.env["HOME"] == "/home/me"


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "LOCAL_CHAT_PORT=abc is not a port"), ("80", "LOCAL_CHAT_PORT=80 is not a port")],
)
def test_a_bad_port_value_is_named_with_its_variable(value: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        real_plan({"LOCAL_CHAT_PORT": value})


def test_two_processes_on_one_port_are_refused_with_the_variable_that_moves_one() -> None:
    message = (
        "port 8000 is set for both chat (apps/claude_chat) and shop-rag (apps/shop_rag): "
        "set LOCAL_CHAT_PORT or LOCAL_SHOP_RAG_PORT to another port"
    )
    with pytest.raises(PlanError, match=re.escape(message)):
        real_plan({"LOCAL_CHAT_PORT": "8000"})


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("{table:shop_rag:nothing}", "apps/shop_rag/app.yaml declares no table 'nothing'"),
        ("{bucket:no_such_app:x}", "no app package is named 'no_such_app'"),
        ("{url:ghost}", "no local service is named 'ghost'"),
        ("{secret}", "is not a placeholder local mode knows"),
    ],
)
def test_an_unknown_reference_is_refused(tmp_path: Path, reference: str, message: str) -> None:
    apps = throwaway(tmp_path, f"local:\n  - name: job\n    command: [-c, '{reference}']\n")
    with pytest.raises(PlanError, match=re.escape(message)):
        plan(apps, load_platform(), {}, tmp_path, ROOT).specs({})


def test_a_throwaway_app_joins_the_table_with_its_declared_data(tmp_path: Path) -> None:
    apps = throwaway(
        tmp_path,
        "data: {buckets: [uploads]}\n"
        "local:\n"
        "  - name: throwaway\n"
        "    command: [-m, http.server, '{port}']\n"
        "    port: 8999\n"
        "    port_variable: LOCAL_THROWAWAY_PORT\n"
        "    ready: /\n"
        "    depends_on: [aws]\n"
        "    env: {BUCKET: '{bucket:throwaway_app:uploads}'}\n"
        "    label: Throwaway\n",
    )
    local = plan(apps, load_platform(), {}, tmp_path, ROOT)
    spec = next(s for s in local.specs({}) if s.name == "throwaway")
    assert spec.env["BUCKET"] == "genai-local-uploads"
    assert ("Throwaway", "http://127.0.0.1:8999", "") in local.table()


def test_a_taken_port_names_port_process_and_variable_and_starts_nothing(tmp_path: Path) -> None:
    variables = [p.declared.port_variable for p in real_plan().processes if p.port]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCAL_")}
    env |= zip(map(str, variables), map(str, free_ports(len(variables))), strict=True)
    env["LOCAL_DATA_DIR"] = str(tmp_path / "local")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", int(env["LOCAL_CHAT_PORT"])))
        holder.listen()
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "local_mode.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert (
        f"port {env['LOCAL_CHAT_PORT']} for chat (apps/claude_chat) is in use: "
        "set LOCAL_CHAT_PORT to another port"
    ) in result.stderr
    assert not (tmp_path / "local").exists(), "something started"


def test_the_readme_names_every_port_variable_and_default_url() -> None:
    readme = README.read_text()
    local = real_plan()
    for process in local.processes:
        if process.port:
            assert f"`{process.declared.port_variable}`" in readme, process.declared.name
    for label, url, _ in local.table():
        assert f"<{url}>" in readme, f"{label} {url}"
    named = set(re.findall(r"`(LOCAL_[A-Z_]+_PORT)`", readme))
    declared = {p.declared.port_variable for p in local.processes if p.port}
    assert named <= declared, f"the README names undeclared variables: {named - declared}"
