"""The server-sent events parser, on the standard's examples and on arbitrary chunking."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from myretail_chat.sse import ServerSentEvent, SseParser


def parse(*chunks: bytes) -> list[ServerSentEvent]:
    parser = SseParser()
    events = [event for chunk in chunks for event in parser.feed(chunk)]
    return events + parser.close()


def test_events_with_types_multi_line_data_and_comments() -> None:
    body = (
        b": keep-alive\n"
        b"event: sources\ndata: [1,\ndata: 2]\n\n"
        b"data: no type\n\n"
        b"event: token\ndata:  leading space kept\n\n"
    )
    assert parse(body) == [
        ServerSentEvent("sources", "[1,\n2]"),
        ServerSentEvent("message", "no type"),
        # One space after the colon belongs to the syntax; the next belongs to the token.
        ServerSentEvent("token", " leading space kept"),
    ]


def test_crlf_and_cr_line_breaks_split_across_chunks() -> None:
    assert parse(b"event: token\r", b"\ndata: a\r", b"\r", b"data: b\n\n") == [
        ServerSentEvent("token", "a"),
        ServerSentEvent("message", "b"),
    ]


def test_an_event_cut_off_before_its_blank_line_is_dropped() -> None:
    assert parse(b"event: token\ndata: whole\n\nevent: token\ndata: half") == [
        ServerSentEvent("token", "whole")
    ]


def test_an_empty_data_line_is_an_event_but_no_data_line_is_none() -> None:
    assert parse(b"event: token\ndata:\n\nevent: token\n\n") == [ServerSentEvent("token", "")]


def test_a_stream_ending_in_cr_dispatches_the_event_it_closes() -> None:
    assert parse(b"data: last\n\r") == [ServerSentEvent("message", "last")]


def test_a_multibyte_character_split_between_chunks_and_a_leading_bom() -> None:
    body = "\ufeffdata: café 👟\n\n".encode()
    cut = body.index("👟".encode()) + 2
    assert parse(body[:cut], body[cut:]) == [ServerSentEvent("message", "café 👟")]


def test_unknown_fields_and_lines_without_a_colon_are_ignored() -> None:
    assert parse(b"id: 7\nretry: 10\nfoo: bar\ndata\ndata: x\n\n") == [
        ServerSentEvent("message", "\nx")
    ]


_EVENT_TYPES = st.sampled_from(["sources", "token", "done", "error", ""])
_LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r"])


def _serialise(
    events: list[tuple[str, str]], draw: st.DrawFn
) -> tuple[bytes, list[ServerSentEvent]]:
    """A stream of ``events`` with comments and each event's own line breaks (a CR then an LF
    would be one CRLF, so a style is kept within an event), and what it must parse to."""
    text, expected = "", []
    for event_type, data in events:
        end = draw(_LINE_BREAKS)
        if draw(st.booleans()):
            text += ": ping" + end
        if event_type:
            text += f"event: {event_type}" + end
        lines = re.split(r"\r\n|\r|\n", data)
        text += "".join(f"data: {line}{end}" for line in lines) + end
        expected.append(ServerSentEvent(event_type or "message", "\n".join(lines)))
    return text.encode(), expected


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent], list[int]]:
    events = draw(st.lists(st.tuples(_EVENT_TYPES, st.text()), max_size=8))
    body, expected = _serialise(events, draw)
    cuts = draw(st.lists(st.integers(min_value=0, max_value=len(body)), max_size=12))
    return body, expected, sorted(cuts)


@given(streams())
def test_any_chunking_of_any_stream_gives_back_its_events(
    stream: tuple[bytes, list[ServerSentEvent], list[int]],
) -> None:
    body, expected, cuts = stream
    chunks = [body[start:end] for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    assert parse(*chunks) == expected
    # Every single cut and one byte at a time: the boundaries reads most often fall on.
    for cut in range(len(body) + 1):
        assert parse(body[:cut], body[cut:]) == expected
    assert parse(*(body[i : i + 1] for i in range(len(body)))) == expected


@given(st.binary(), st.lists(st.integers(min_value=0, max_value=64), max_size=8))
def test_arbitrary_bytes_never_raise_and_chunking_never_matters(
    body: bytes, cuts: list[int]
) -> None:
    points = sorted(min(c, len(body)) for c in cuts)
    chunks = [body[s:e] for s, e in zip([0, *points], [*points, len(body)], strict=True)]
    assert parse(*chunks) == parse(body)
