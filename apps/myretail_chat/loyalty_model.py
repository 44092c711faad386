"""What answers the Loyalty program tab: the configured model, or the model server's newest
adapter when ``OPENAI_MODEL=latest-adapter`` (resolved from GET /v1/models at every question,
so an adapter hot-loaded by ``python -m finetune serve`` answers without a restart)."""

from __future__ import annotations

from collections.abc import Callable

from genai_common.chat_models import chat_model
from genai_common.model_server import LATEST_ADAPTER, ModelServer
from langchain_core.language_models import BaseChatModel

from myretail_chat.settings import MyRetailSettings

Build = Callable[[MyRetailSettings, str], BaseChatModel]


class LoyaltyModel:
    def __init__(self, settings: MyRetailSettings, build: Build = chat_model) -> None:
        self._settings = settings
        self._build = build
        self._models: dict[str, BaseChatModel] = {}
        self._server = None
        if settings.chat_provider == "openai" and settings.openai_model == LATEST_ADAPTER:
            key = settings.openai_api_key.get_secret_value()
            self._server = ModelServer(str(settings.openai_base_url), key)

    def current(self) -> tuple[BaseChatModel, str]:
        """The chat model to answer with now, and its id; ModelServerError if none is served."""
        if self._server is not None:
            model_id = self._server.newest_adapter()
        else:
            model_id = self._settings.loyalty_model().model_id
        if model_id not in self._models:
            self._models[model_id] = self._build(self._settings, model_id)
        return self._models[model_id], model_id
