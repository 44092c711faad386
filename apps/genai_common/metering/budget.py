"""Daily token budgets in DynamoDB: one item per app and UTC day, one per app, user and day.

A call is checked against both before it is made and charged after with an atomic ``ADD``, so
concurrent calls never lose an update; a budget is a soft cap (calls already admitted may finish
past it). Items expire two days after their day ends (the table's TTL attribute).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from genai_common.metering.spec import BudgetTable

TOKENS = "tokens"
_KEEP = timedelta(days=2)


class BudgetExceeded(Exception):
    """A daily token budget is spent; ``scope`` names whose ("Your", "The chat app's"),
    ``retry_after`` is the seconds to the next UTC day."""

    def __init__(self, scope: str, limit: int, retry_after: int) -> None:
        self.scope, self.limit, self.retry_after = scope, limit, retry_after
        hours, minutes = divmod(-(-retry_after // 60), 60)
        super().__init__(
            f"{scope} daily token budget ({limit:,} tokens) is used up. "
            f"It resets at 00:00 UTC, in {hours} h {minutes} min."
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Day:
    """One UTC day: what keys its items, when it ends and when its items may go."""

    start: datetime

    @classmethod
    def of(cls, moment: datetime) -> Day:
        return cls(moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0))

    @property
    def label(self) -> str:
        return self.start.strftime("%Y-%m-%d")

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=1)

    def seconds_left(self, moment: datetime) -> int:
        return max(1, math.ceil((self.end - moment).total_seconds()))


@dataclass(frozen=True)
class Budgets:
    """The per-app and per-user limits of one app, held in ``table_name``."""

    client: Any
    table_name: str
    table: BudgetTable
    app: str
    app_limit: int | None
    user_limit: int | None
    now: Callable[[], datetime] = field(default=utc_now)

    def _keys(self, day: Day, user: str | None) -> list[tuple[str, str, int]]:
        """(key, scope, limit) of each budget a call by ``user`` counts against."""
        keys = []
        if self.app_limit is not None:
            keys.append((f"app#{self.app}#{day.label}", f"The {self.app} app's", self.app_limit))
        if self.user_limit is not None and user:
            keys.append((f"user#{self.app}#{user}#{day.label}", "Your", self.user_limit))
        return keys

    def check(self, user: str | None) -> None:
        """Raise :class:`BudgetExceeded` if a budget the call counts against is spent."""
        moment = self.now()
        day = Day.of(moment)
        hash_key = self.table.hash_key.name
        for key, scope, limit in self._keys(day, user):
            item = self.client.get_item(
                TableName=self.table_name,
                Key={hash_key: {"S": key}},
                ConsistentRead=True,
                ProjectionExpression="#tokens",
                ExpressionAttributeNames={"#tokens": TOKENS},
            ).get("Item")
            # An item without tokens is one that moto (local mode) is still writing: DynamoDB
            # never shows it, as each item is created by the ADD that sets its tokens.
            if item is not None and int(item.get(TOKENS, {}).get("N", 0)) >= limit:
                raise BudgetExceeded(scope, limit, day.seconds_left(moment))

    def charge(self, user: str | None, tokens: int) -> float | None:
        """Add ``tokens`` to each budget; returns the app budget's share used, in percent."""
        day = Day.of(self.now())
        expires = int((day.end + _KEEP).timestamp())
        share = None
        for key, _, limit in self._keys(day, user):
            response = self.client.update_item(
                TableName=self.table_name,
                Key={self.table.hash_key.name: {"S": key}},
                # ADD is atomic on the server: concurrent charges add up, none overwrites another.
                UpdateExpression="ADD #tokens :tokens SET #ttl = :expires",
                # Only today's item: a key is dated, so this fails only on a corrupt item.
                ConditionExpression="attribute_not_exists(#ttl) OR #ttl = :expires",
                ExpressionAttributeNames={"#tokens": TOKENS, "#ttl": self.table.ttl},
                ExpressionAttributeValues={
                    ":tokens": {"N": str(tokens)},
                    ":expires": {"N": str(expires)},
                },
                ReturnValues="UPDATED_NEW",
            )
            if key.startswith("app#"):
                share = 100.0 * int(response["Attributes"][TOKENS]["N"]) / limit
        return share
