"""Chat history in DynamoDB, shared by every replica of the API.

One item per turn: partition key ``sessionId``, sort key ``turn`` (1, 2, 3...), ``role``,
``content`` and ``expiresAt``, the epoch second after which DynamoDB's TTL deletes it.
TTL deletion runs late (up to days), so expired turns are also skipped when read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from shop_rag.errors import ServiceError

Role = Literal["user", "assistant"]
# Two requests of one session writing at once both aim at the next turn number; the loser
# moves past the winner. More than a few rounds means something else is wrong.
_WRITE_ATTEMPTS = 5
_THROTTLED = {
    "provisionedthroughputexceededexception",
    "throttlingexception",
    "requestlimitexceeded",
}


class HistoryError(ServiceError):
    """The history table could not be used (503), throttled (429), or a session was written
    by too many requests at once (409)."""

    status = 503


@dataclass(frozen=True)
class StoredTurn:
    number: int
    role: Role
    content: str


class ChatHistory:
    def __init__(
        self,
        client: Any,
        table: str,
        ttl_hours: int,
        max_turns: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.table = table
        self.ttl_seconds = ttl_hours * 3600
        self.max_turns = max_turns
        self.clock = clock

    def _error(self, error: Exception) -> HistoryError:
        if isinstance(error, ClientError):
            code = error.response.get("Error", {}).get("Code", "")
            if code == "ResourceNotFoundException":
                return HistoryError(
                    f"the chat history table {self.table} (HISTORY_TABLE) does not exist"
                )
            if code == "AccessDeniedException":
                return HistoryError(
                    f"this service's IAM role may not use the chat history table {self.table}"
                )
            if code.lower() in _THROTTLED:
                return HistoryError(
                    "the chat history table is throttling requests; try again in a few seconds",
                    status=429,
                )
            return HistoryError(f"the chat history table {self.table} failed ({code})")
        return HistoryError(f"DynamoDB could not be reached for the chat history: {error}")

    def _latest(self, session_id: str, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` items of the session, newest first (strongly consistent: the
        previous turn may have been written by another replica a moment ago)."""
        try:
            response = self.client.query(
                TableName=self.table,
                KeyConditionExpression="sessionId = :s",
                ExpressionAttributeValues={":s": {"S": session_id}},
                ScanIndexForward=False,
                Limit=limit,
                ConsistentRead=True,
            )
        except (ClientError, BotoCoreError) as error:
            raise self._error(error) from error
        return response.get("Items", [])

    def load(self, session_id: str) -> list[StoredTurn]:
        """The session's last HISTORY_MAX_TURNS unexpired turns, oldest first."""
        if self.max_turns == 0:
            return []
        now = self.clock()
        turns = [
            StoredTurn(int(item["turn"]["N"]), item["role"]["S"], item["content"]["S"])  # type: ignore[arg-type]
            for item in self._latest(session_id, self.max_turns)
            if int(item.get("expiresAt", {"N": "0"})["N"]) > now
        ]
        return turns[::-1]

    def append(self, session_id: str, turns: Sequence[tuple[Role, str]]) -> None:
        """Store ``turns`` after the session's last turn, each under the next free number."""
        latest = self._latest(session_id, 1)
        number = int(latest[0]["turn"]["N"]) if latest else 0
        expires = str(int(self.clock()) + self.ttl_seconds)
        for role, content in turns:
            for _ in range(_WRITE_ATTEMPTS):
                number += 1
                try:
                    self.client.put_item(
                        TableName=self.table,
                        Item={
                            "sessionId": {"S": session_id},
                            "turn": {"N": str(number)},
                            "role": {"S": role},
                            "content": {"S": content},
                            "expiresAt": {"N": expires},
                        },
                        ConditionExpression="attribute_not_exists(sessionId)",
                    )
                    break
                except ClientError as error:
                    code = error.response.get("Error", {}).get("Code", "")
                    if code != "ConditionalCheckFailedException":
                        raise self._error(error) from error
                except BotoCoreError as error:
                    raise self._error(error) from error
            else:
                raise HistoryError(
                    f"session {session_id} is being written by too many requests at once", 409
                )
