"""``genai-agent-assistant`` / ``python -m agent_assistant``: serve the assistant with Streamlit."""

from __future__ import annotations

from pathlib import Path

from genai_common.serve import serve_page


def run() -> None:
    serve_page(Path(__file__).with_name("page.py"))


if __name__ == "__main__":
    run()
