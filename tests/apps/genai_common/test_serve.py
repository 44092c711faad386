"""``python -m genai_common.serve <module>``: a page module served by name, not imported first."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from genai_common import serve


def test_the_page_is_found_without_importing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Path] = []
    monkeypatch.setattr(serve, "serve_page", served.append)
    monkeypatch.delitem(sys.modules, "review_stream.dashboard", raising=False)
    monkeypatch.setattr(sys, "argv", ["serve", "review_stream.dashboard", "--server.port", "1"])

    serve.main()

    assert served == [Path(sys.modules["review_stream"].__file__).with_name("dashboard.py")]
    assert "review_stream.dashboard" not in sys.modules
    assert sys.argv == ["serve", "--server.port", "1"]


@pytest.mark.parametrize("name", ["", ".x", "a..b", "no_such.mod", "review_stream.nope", "x\x01y"])
def test_a_name_that_is_no_module_is_one_line(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["serve", name])
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert stopped.value.code == f"no page module is named {name!r}"


def test_no_name_is_the_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["serve", "--server.port", "1"])
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert "usage:" in str(stopped.value.code)
