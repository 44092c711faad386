"""Chat history in DynamoDB (moto): order, expiry, the window of turns, concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import patch

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from shop_rag.history import ChatHistory, HistoryError, StoredTurn

from tests.apps.shop_rag.conftest import TABLE, create_table


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class OneCallAtATime:
    """A client whose calls run one at a time."""

    def __init__(self, client: object) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args: object, **kwargs: object) -> object:
            with self._lock:
                return attribute(*args, **kwargs)

        return call


@pytest.fixture
def dynamodb() -> Iterator[object]:
    with mock_aws():
        create_table()
        yield boto3.client("dynamodb", region_name="us-east-1")


def test_turns_come_back_in_order_within_the_window(dynamodb: object) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=3)
    history.append("s1", [("user", "q1"), ("assistant", "a1")])
    history.append("s1", [("user", "q2"), ("assistant", "a2")])
    history.append("other", [("user", "elsewhere"), ("assistant", "x")])
    assert history.load("s1") == [
        StoredTurn(2, "assistant", "a1"),
        StoredTurn(3, "user", "q2"),
        StoredTurn(4, "assistant", "a2"),
    ]
    assert ChatHistory(dynamodb, TABLE, 1, max_turns=0).load("s1") == []


def test_expired_turns_are_skipped_before_dynamodb_deletes_them(dynamodb: object) -> None:
    clock = Clock()
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10, clock=clock)
    history.append("s1", [("user", "old"), ("assistant", "old answer")])
    clock.now += 3600
    history.append("s1", [("user", "new"), ("assistant", "new answer")])
    assert [t.content for t in history.load("s1")] == ["new", "new answer"]
    item = dynamodb.get_item(  # type: ignore[attr-defined]
        TableName=TABLE, Key={"sessionId": {"S": "s1"}, "turn": {"N": "3"}}
    )["Item"]
    assert item["expiresAt"] == {"N": str(int(clock.now) + 3600)}


def test_a_turn_written_meanwhile_by_another_replica_is_not_overwritten(dynamodb: object) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    history.append("s1", [("user", "q1"), ("assistant", "a1")])
    real_query = history._latest

    def stale(session_id: str, limit: int) -> list[dict]:
        # This replica read the session before the other wrote turns 3 and 4.
        items = real_query(session_id, limit)
        return [i for i in items if int(i["turn"]["N"]) <= 2][:limit]

    history.append("s1", [("user", "q2"), ("assistant", "a2")])
    history._latest = stale  # type: ignore[method-assign]
    history.append("s1", [("user", "q3"), ("assistant", "a3")])
    history._latest = real_query  # type: ignore[method-assign]
    assert [t.content for t in history.load("s1")] == ["q1", "a1", "q2", "a2", "q3", "a3"]


def test_a_missing_table_is_a_503_naming_it() -> None:
    with mock_aws():
        history = ChatHistory(boto3.client("dynamodb", region_name="us-east-1"), "nope", 1, 10)
        with pytest.raises(
            HistoryError, match="table nope \\(HISTORY_TABLE\\) does not exist"
        ) as caught:
            history.load("s1")
        assert caught.value.status == 503


def put_item(dynamodb: object, **attributes: dict[str, str]) -> None:
    item = {"sessionId": {"S": "s1"}, "expiresAt": {"N": str(2_000_000_000)}, **attributes}
    dynamodb.put_item(TableName=TABLE, Item=item)  # type: ignore[attr-defined]


def test_a_malformed_item_is_reported_and_skipped(
    dynamodb: object, caplog: pytest.LogCaptureFixture
) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    history.append("s1", [("user", "q1"), ("assistant", "a1")])
    put_item(dynamodb, turn={"N": "3"}, role={"S": "user"})  # no content
    put_item(dynamodb, turn={"N": "4"}, role={"S": "robot"}, content={"S": "x"})
    put_item(dynamodb, turn={"N": "5"}, role={"N": "1"}, content={"S": "x"})
    put_item(dynamodb, turn={"N": "6.5"}, role={"S": "user"}, content={"S": "x"})
    put_item(
        dynamodb, turn={"N": "7"}, role={"S": "user"}, content={"S": "x"}, expiresAt={"S": "no"}
    )
    assert history.load("s1") == [StoredTurn(1, "user", "q1"), StoredTurn(2, "assistant", "a1")]
    skipped = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
    assert len(skipped) == 5
    assert any("content is missing" in m for m in skipped)
    assert any("'robot' is neither user nor assistant" in m for m in skipped)
    assert any("not a whole number" in m for m in skipped)
    # The session still takes new turns, after the malformed ones.
    history.append("s1", [("user", "q2"), ("assistant", "a2")])
    assert [t.content for t in history.load("s1")][-2:] == ["q2", "a2"]


def test_concurrent_writers_of_one_session_lose_nothing_and_never_interleave(
    dynamodb: object,
) -> None:
    # Two replicas (no lock shared between them), each with five requests at once. Their calls
    # reach moto one at a time: its in-process transactions copy a table that another thread may
    # be writing (DynamoDB itself serialises them). Reads and writes of different requests still
    # interleave between calls, which is the race the history must survive.
    table = OneCallAtATime(dynamodb)
    replicas = [ChatHistory(table, TABLE, ttl_hours=1, max_turns=100) for _ in range(2)]
    start = threading.Barrier(10)

    def ask(n: int) -> None:
        start.wait()
        replicas[n % 2].append("s1", [("user", f"q{n}"), ("assistant", f"a{n}")])

    with ThreadPoolExecutor(10) as pool:
        list(pool.map(ask, range(10)))
    turns = replicas[0].load("s1")
    assert [t.number for t in turns] == list(range(1, 21))
    pairs = [(turns[i].content, turns[i + 1].content) for i in range(0, 20, 2)]
    assert sorted(pairs) == sorted((f"q{n}", f"a{n}") for n in range(10))


def test_a_writer_that_read_the_last_turn_writes_without_reading_it_again(
    dynamodb: object,
) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    with patch.object(dynamodb, "query", wraps=dynamodb.query) as query:  # type: ignore[attr-defined]
        history.append("s1", [("user", "q1"), ("assistant", "a1")], last_seen=0)
        history.append("s1", [("user", "q2"), ("assistant", "a2")], last_seen=2)
    assert query.call_count == 0
    assert [t.content for t in history.load("s1")] == ["q1", "a1", "q2", "a2"]


def test_a_stale_last_seen_turn_costs_a_read_and_overwrites_nothing(dynamodb: object) -> None:
    # Another replica stored turns 3 and 4 after this writer read turn 2.
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    history.append("s1", [("user", "q1"), ("assistant", "a1")])
    history.append("s1", [("user", "q2"), ("assistant", "a2")])
    history.append("s1", [("user", "q3"), ("assistant", "a3")], last_seen=2)
    turns = history.load("s1")
    assert [(t.number, t.content) for t in turns] == [
        (1, "q1"),
        (2, "a1"),
        (3, "q2"),
        (4, "a2"),
        (5, "q3"),
        (6, "a3"),
    ]


def test_a_session_whose_turns_stay_taken_is_a_409_and_throttling_a_429(dynamodb: object) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    history.append("s1", [("user", "q1"), ("assistant", "a1")])
    lost = ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}],
        },
        "TransactWriteItems",
    )
    throttled = ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": "ThrottlingError"}, {"Code": "None"}],
        },
        "TransactWriteItems",
    )
    for error, status in ((lost, 409), (throttled, 429)):
        with (
            patch.object(dynamodb, "transact_write_items", side_effect=error),
            pytest.raises(HistoryError) as caught,
        ):
            history.append("s1", [("user", "q2"), ("assistant", "a2")])
        assert caught.value.status == status


def test_an_answer_keeps_the_products_it_showed_in_their_order(dynamodb: object) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    history.append("s1", [("user", "black jackets"), ("assistant", "a1")], ["P9", "P2", "P5"])
    history.append("s1", [("user", "hello"), ("assistant", "a2")])
    # Read back by a new instance, as after a restart or on another replica.
    turns = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10).load("s1")
    assert [t.products for t in turns] == [(), ("P9", "P2", "P5"), (), ()]


@pytest.mark.parametrize(
    "products",
    [{"S": "P1"}, {"SS": ["P1"]}, {"L": [{"N": "1"}]}, {"L": [{"L": []}]}],
)
def test_a_turn_with_malformed_products_is_skipped(dynamodb: object, products: object) -> None:
    history = ChatHistory(dynamodb, TABLE, ttl_hours=1, max_turns=10)
    history.append("s1", [("user", "q"), ("assistant", "a")], ["P1"])
    dynamodb.update_item(  # type: ignore[attr-defined]
        TableName=TABLE,
        Key={"sessionId": {"S": "s1"}, "turn": {"N": "2"}},
        UpdateExpression="SET products = :p",
        ExpressionAttributeValues={":p": products},
    )
    assert [t.content for t in history.load("s1")] == ["q"]
