"""The settings that say who a process meters as and which token budgets bind it."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MeteringSettings(BaseSettings):
    """Terraform sets these per app (the budgets from the app's declaration); local mode sets
    them for every process. Without TOKEN_BUDGET_TABLE, metrics are emitted and budgets are off."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    app_name: str = Field(default="unattributed", pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    platform_environment: str = Field(default="local", pattern=r"^[a-z][a-z0-9]{1,15}$")
    token_budget_table: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{3,255}$")
    app_daily_token_budget: int | None = Field(default=None, ge=1)
    user_daily_token_budget: int | None = Field(default=None, ge=1)
