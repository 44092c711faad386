"""``genai-shop-rag`` / ``python -m shop_rag``: serve the API with uvicorn."""

from __future__ import annotations

import logging
import sys

from genai_common.background import listening
from genai_common.settings import SettingsError, load_settings

from shop_rag.settings import ShopSettings


def run() -> None:
    try:
        settings = load_settings(ShopSettings)
    except SettingsError as error:
        sys.exit(str(error))
    import uvicorn

    from shop_rag.app import create_app

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    host, port = settings.shop_rag_host, settings.shop_rag_port
    app = create_app(settings, warm_after=listening(host, port))
    uvicorn.run(app, host=host, port=port)


if __name__ == "__main__":
    run()
