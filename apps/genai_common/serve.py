"""Starting a Streamlit page as a console script (``streamlit run`` with flags passed through)."""

from __future__ import annotations

import sys
from pathlib import Path

# Users of these apps are not their developers: no "Deploy" button, no developer menu.
DEFAULT_FLAGS = ("--client.toolbarMode", "minimal")


def serve_page(page: Path) -> None:
    """Run ``streamlit run <page>`` with the command's extra arguments (which may override the
    defaults); exits with its status."""
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(page), *DEFAULT_FLAGS, *sys.argv[1:]]
    sys.exit(cli.main())


def page_serving() -> bool:
    """Whether this process's Streamlit server takes sessions yet (its health check answers 200);
    false until Streamlit is imported, without importing it."""
    runtime = sys.modules.get("streamlit.runtime")
    if runtime is None or not runtime.exists():
        return False
    from streamlit.runtime import RuntimeState

    return runtime.get_instance().state != RuntimeState.INITIAL


def main() -> None:
    """``python -m genai_common.serve <package.module> [streamlit flags]``: serve a page module
    found by name but not imported here, so that a page's own imports (charting, data frames)
    are paid once, by Streamlit's run of it, rather than also before the server starts."""
    import importlib.util

    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        from genai_common.commands import module_command

        sys.exit(f"usage: {module_command('genai_common.serve')} <package.module> [flags]")
    try:
        spec = importlib.util.find_spec(sys.argv[1])
    except (ImportError, ValueError):  # a parent package missing, a relative or empty name
        spec = None
    if spec is None or spec.origin is None:
        sys.exit(f"no page module is named {sys.argv[1]!r}")
    del sys.argv[1]
    serve_page(Path(spec.origin))


if __name__ == "__main__":
    main()
