"""The agent assistant's settings."""

from __future__ import annotations

from typing import Literal

from genai_common.settings import PlatformSettings
from pydantic import Field, model_validator


class AgentSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus:

    ``AGENT_MODE``  bedrock (chat with the agent) or local (forms that call the action
                    handler against the local AWS endpoint; needs CASE_TABLE and CASE_BUCKET)
    ``AGENT_ID``, ``AGENT_ALIAS_ID``  the agent and the alias to invoke (bedrock mode)
    ``AGENT_SHOW_TRACE``  show the agent's steps under each answer by default
    """

    agent_title: str = "AWS Competency case sheets"
    agent_mode: Literal["bedrock", "local"] = "bedrock"
    agent_id: str | None = Field(default=None, pattern=r"^[0-9a-zA-Z]{10}$")
    agent_alias_id: str | None = Field(default=None, pattern=r"^[0-9a-zA-Z]{10}$|^TSTALIASID$")
    agent_show_trace: bool = False
    case_table: str | None = None
    case_bucket: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AgentSettings:
        if self.agent_mode == "bedrock" and not (self.agent_id and self.agent_alias_id):
            raise ValueError(
                "AGENT_MODE=bedrock needs AGENT_ID and AGENT_ALIAS_ID (10-character ids)"
            )
        if self.agent_mode == "local" and not (self.case_table and self.case_bucket):
            raise ValueError("AGENT_MODE=local needs CASE_TABLE and CASE_BUCKET")
        return self
