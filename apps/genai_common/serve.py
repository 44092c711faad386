"""Starting a Streamlit page as a console script (``streamlit run`` with flags passed through)."""

from __future__ import annotations

import sys
from pathlib import Path


def serve_page(page: Path) -> None:
    """Run ``streamlit run <page>`` with the command's extra arguments; exits with its status."""
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(page), *sys.argv[1:]]
    sys.exit(cli.main())
