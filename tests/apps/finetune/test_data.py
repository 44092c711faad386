"""Reading and validating chat JSONL: every bad line named by number, hostile bytes refused cleanly."""

from __future__ import annotations

import hashlib
import json

import boto3
import pytest
from finetune import data
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws

from tests.apps.finetune.conftest import TRAIN


def line(*messages: tuple[str, str]) -> str:
    return json.dumps({"messages": [{"role": r, "content": c} for r, c in messages]})


def jsonl(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


GOOD = line(("user", "Do reviews earn points?"), ("assistant", "Yes, 25 points each."))


def test_the_loyalty_data_set_is_valid_and_hashed() -> None:
    loaded = data.load(str(TRAIN))
    assert len(loaded.conversations) == 200
    assert loaded.sha256 == hashlib.sha256(TRAIN.read_bytes()).hexdigest()


def test_prompt_completion_rows_hold_the_answer_apart() -> None:
    parsed = data.parse(
        jsonl(
            line(
                ("system", "You answer for MyRetail."),
                ("user", "Hi"),
                ("assistant", "Hello!"),
                ("user", "Points?"),
                ("assistant", "25."),
            )
        ),
        "x.jsonl",
    )
    [row] = parsed.prompt_completion()
    assert [m["role"] for m in row["prompt"]] == ["system", "user", "assistant", "user"]
    assert row["completion"] == [{"role": "assistant", "content": "25."}]


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[" * 1000 + "]" * 1000, "nested 1000 levels deep (at most 4 are accepted)"),
        ('{"messages": ' * 5000, "nested 5000 levels deep"),
        ('{"messages": [], "weight": 1e999}', "the number 1e999 is too large"),
        ('["messages"]', 'expected an object with "messages"'),
        ('{"messages": []}', "non-empty list"),
        (line(("user", "Hi"), ("bot", "Hello")), "role 'bot'"),
        (line(("assistant", "Hello"), ("user", "Hi")), "alternating"),
        (line(("user", "Hi"), ("user", "Hi again")), "alternating"),
        (line(("user", "Hi")), "assistant's answer"),
        (line(("user", "Hi"), ("assistant", "   ")), "message 2 (assistant) has no text"),
        (line(("user", "Hi\x00"), ("assistant", "Hello")), "control character '\\x00'"),
        (line(("user", "Hi"), ("assistant", "Hel\x1blo")), "control character '\\x1b'"),
        ('{"messages": [{"role": "user", "content": 3}]}', "has no text"),
        ('{"messages": [{"role": "user", "content": "x", "name": "a"}]}', "only role and content"),
    ],
)
def test_a_bad_line_is_named_with_its_number_and_problem(bad: str, expected: str) -> None:
    with pytest.raises(data.DataError) as error:
        data.parse(jsonl(GOOD, bad, GOOD), "train.jsonl")
    assert "train.jsonl: 1 bad line(s)" in str(error.value)
    assert "line 2: " in str(error.value)
    assert expected in str(error.value)


def test_tabs_newlines_and_blank_lines_are_fine() -> None:
    parsed = data.parse(
        jsonl("", line(("user", "a\tb\nc"), ("assistant", "d\r\ne")), "   "), "x.jsonl"
    )
    assert len(parsed.conversations) == 1


def test_not_utf8_and_empty_files_are_refused() -> None:
    with pytest.raises(data.DataError, match=r"line 1: not UTF-8"):
        data.parse(b"\xff\xfe{}\n", "x.jsonl")
    with pytest.raises(data.DataError, match="no conversations"):
        data.parse(b"\n\n", "x.jsonl")


def test_many_bad_lines_are_listed_up_to_a_limit() -> None:
    with pytest.raises(data.DataError) as error:
        data.parse(jsonl(*["{"] * 50), "x.jsonl")
    assert "50 bad line(s)" in str(error.value)
    assert "line 20:" in str(error.value) and "line 21:" not in str(error.value)
    assert "... and 30 more" in str(error.value)


def test_a_missing_file_is_named() -> None:
    with pytest.raises(data.DataError, match=r"nowhere\.jsonl: no such file"):
        data.load("nowhere.jsonl")


def test_reads_from_s3() -> None:
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="assets")
        s3.put_object(Bucket="assets", Key="finetune/data/t.jsonl", Body=jsonl(GOOD))
        loaded = data.load("s3://assets/finetune/data/t.jsonl", s3)
        assert len(loaded.conversations) == 1
        with pytest.raises(data.DataError, match="no such object"):
            data.load("s3://assets/finetune/data/missing.jsonl", s3)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_either_parse_or_raise_data_error(raw: bytes) -> None:
    try:
        parsed = data.parse(raw, "fuzz.jsonl")
    except data.DataError as error:
        assert str(error).startswith("fuzz.jsonl: ")
    else:
        assert all(c[-1]["role"] == "assistant" for c in parsed.conversations)


text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\x85"), min_size=1
).filter(str.strip)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(text, text), min_size=1, max_size=4), st.one_of(st.none(), text))
def test_any_well_formed_conversation_is_kept_whole(
    turns: list[tuple[str, str]], system: str | None
) -> None:
    messages = [("system", system)] if system else []
    for question, answer in turns:
        messages += [("user", question), ("assistant", answer)]
    parsed = data.parse(jsonl(line(*messages)), "ok.jsonl")
    [conversation] = parsed.conversations
    assert [(m["role"], m["content"]) for m in conversation] == messages


def test_names_too_long_for_the_file_system_or_s3_are_bad_input() -> None:
    with pytest.raises(data.DataError, match="cannot be read"):
        data.load("x" * 300 + ".jsonl")
    with pytest.raises(ValueError, match="longer than S3's 1024 bytes"):
        data.load("s3://bucket/" + "k" * 1025, s3=object())
