"""``genai-chat`` / ``python -m claude_chat``: serve the chat page with Streamlit."""

from __future__ import annotations

import sys
from pathlib import Path


def run() -> None:
    """Run ``streamlit run page.py`` with any extra Streamlit flags passed through."""
    from streamlit.web import cli

    page = Path(__file__).with_name("page.py")
    sys.argv = ["streamlit", "run", str(page), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    run()
