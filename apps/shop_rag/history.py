"""Chat history in DynamoDB, shared by every replica of the API.

One item per turn: partition key ``sessionId``, sort key ``turn`` (1, 2, 3...), ``role``,
``content`` and ``expiresAt``, the epoch second after which DynamoDB's TTL deletes it; an
answer also holds ``products``, the ids of the products it drew on in the order shown, so
that a follow-up such as "any of them in size M?" can narrow that very set.
TTL deletion runs late (up to days), so expired turns are also skipped when read.

A question and its answer are written together, in one transaction, as the next two turns:
concurrent requests of one session never interleave their turns, and none loses its answer.
Within a replica one writer per session at a time writes; across replicas a transaction that
finds its turn numbers taken moves past the winner's and tries again.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from shop_rag.errors import ServiceError

log = logging.getLogger(__name__)
Role = Literal["user", "assistant"]
ROLES: tuple[Role, ...] = ("user", "assistant")
# Each lost round means another replica wrote this session meanwhile: a person's session sees
# a handful of such writers at most.
_WRITE_ATTEMPTS = 10
_THROTTLED = {
    "provisionedthroughputexceededexception",
    "throttlingexception",
    "requestlimitexceeded",
    # The codes a cancelled transaction gives for each of its items.
    "provisionedthroughputexceeded",
    "throttlingerror",
}
# Reasons a transaction is cancelled that a new round (on fresh turn numbers) gets past.
_LOST_RACE = {"ConditionalCheckFailed", "TransactionConflict"}


class HistoryError(ServiceError):
    """The history table could not be used (503), throttled (429), or a session was written
    by too many requests at once (409)."""

    status = 503


@dataclass(frozen=True)
class StoredTurn:
    number: int
    role: Role
    content: str
    products: tuple[str, ...] = ()


def _value(item: dict[str, Any], name: str, kind: str) -> str:
    value = item.get(name)
    if not isinstance(value, dict) or not isinstance(value.get(kind), str):
        raise ValueError(f"{name} is missing or not of DynamoDB type {kind}")
    return value[kind]


def _number(item: dict[str, Any], name: str) -> Decimal:
    try:
        number = Decimal(_value(item, name, "N"))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValueError(f"{name} is not a number")
    return number


def _turn(item: dict[str, Any], now: float) -> StoredTurn | None:
    """The turn an item holds; None when it has expired (or carries no expiry). Raises
    ValueError when the item is not a turn this service wrote (a hand edit, a bug)."""
    if "expiresAt" not in item or _number(item, "expiresAt") <= Decimal(now):
        return None
    number = _number(item, "turn")
    role, content = _value(item, "role", "S"), _value(item, "content", "S")
    if role not in ROLES:
        raise ValueError(f"role {role[:20]!r} is neither user nor assistant")
    if number != number.to_integral_value():
        raise ValueError(f"turn {number} is not a whole number")
    return StoredTurn(int(number), role, content, _products(item))  # type: ignore[arg-type]


def _products(item: dict[str, Any]) -> tuple[str, ...]:
    """The product ids a turn lists (none when it lists none: turns written before answers
    kept their products)."""
    if "products" not in item:
        return ()
    listed = item["products"].get("L") if isinstance(item["products"], dict) else None
    if not isinstance(listed, list):
        raise ValueError("products is not of DynamoDB type L")
    ids = tuple(entry.get("S") if isinstance(entry, dict) else None for entry in listed)
    if not all(isinstance(i, str) for i in ids):
        raise ValueError("products holds a value that is not of DynamoDB type S")
    return ids  # type: ignore[return-value]


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
        # One lock per session being written; a lock nobody holds any more is dropped.
        self._writers: weakref.WeakValueDictionary[str, threading.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._writers_lock = threading.Lock()

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
            reasons = {
                str(reason.get("Code", "")).lower()
                for reason in error.response.get("CancellationReasons", [])
            }
            if code.lower() in _THROTTLED or reasons & _THROTTLED:
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
        """The session's last HISTORY_MAX_TURNS unexpired turns, oldest first.

        An item that is not a well-formed turn is logged and skipped: one bad item must not
        fail every request of its session until it expires.
        """
        if self.max_turns == 0:
            return []
        now = self.clock()
        turns = []
        for item in self._latest(session_id, self.max_turns):
            try:
                turn = _turn(item, now)
            except ValueError as problem:
                log.warning(
                    "skipped a malformed chat history item of session %s (turn %s): %s",
                    session_id,
                    item.get("turn"),
                    problem,
                )
                continue
            if turn is not None:
                turns.append(turn)
        return turns[::-1]

    def _writer(self, session_id: str) -> threading.Lock:
        with self._writers_lock:
            lock = self._writers.get(session_id)
            if lock is None:
                lock = self._writers[session_id] = threading.Lock()
            return lock

    def append(
        self,
        session_id: str,
        turns: Sequence[tuple[Role, str]],
        products: Sequence[str] = (),
        last_seen: int | None = None,
    ) -> None:
        """Store ``turns`` after the session's last turn, together, under the next numbers;
        ``products`` are the ids the last of them (the answer) drew on.

        ``last_seen`` is the last turn the caller read (0 for a session it just created): the
        first attempt writes after it without reading again. Should another turn have been
        stored since, the write is refused and the next attempt reads the true last turn.
        """
        with self._writer(session_id):
            # A lost round means the numbers after ``last`` are taken, even if a read says not.
            floor = 0
            for _ in range(_WRITE_ATTEMPTS):
                if last_seen is not None:
                    last, last_seen = last_seen, None
                else:
                    last = max(self._last_turn(session_id), floor)
                if self._write_after(session_id, last, turns, products):
                    return
                floor = last + 1
        raise HistoryError(
            f"session {session_id} is being written by too many requests at once", 409
        )

    def _last_turn(self, session_id: str) -> int:
        latest = self._latest(session_id, 1)
        # The sort key is a number by the table's schema, though not always a whole one.
        return int(Decimal(latest[0]["turn"]["N"])) if latest else 0

    def _write_after(
        self,
        session_id: str,
        last: int,
        turns: Sequence[tuple[Role, str]],
        products: Sequence[str],
    ) -> bool:
        """Write ``turns`` as turns last+1, last+2...; False when one of them is taken."""
        expires = str(int(self.clock()) + self.ttl_seconds)
        puts = [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": {
                        "sessionId": {"S": session_id},
                        "turn": {"N": str(last + offset)},
                        "role": {"S": role},
                        "content": {"S": content},
                        "expiresAt": {"N": expires},
                    },
                    "ConditionExpression": "attribute_not_exists(sessionId)",
                }
            }
            for offset, (role, content) in enumerate(turns, start=1)
        ]
        if products and puts:
            puts[-1]["Put"]["Item"]["products"] = {"L": [{"S": p} for p in products]}
        try:
            self.client.transact_write_items(TransactItems=puts)
        except ClientError as error:
            if not _lost_race(error):
                raise self._error(error) from error
            return False
        except BotoCoreError as error:
            raise self._error(error) from error
        return True


def _lost_race(error: ClientError) -> bool:
    """Whether the transaction failed only because another writer got there first."""
    code = error.response.get("Error", {}).get("Code")
    reasons = {
        reason.get("Code")
        for reason in error.response.get("CancellationReasons", [])
        if reason.get("Code") not in (None, "None")
    }
    if code == "TransactionConflictException":
        return True
    return code == "TransactionCanceledException" and bool(reasons) and reasons <= _LOST_RACE
