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
