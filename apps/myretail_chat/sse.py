"""An incremental parser of ``text/event-stream`` bodies (the WHATWG server-sent events rules).

Network reads split a stream anywhere: inside a line, between the CR and LF of one line
break, inside a multi-byte character. The parser keeps what it cannot interpret yet and
returns each event once its terminating blank line has arrived.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event: its type (``message`` when the stream names none) and data."""

    event: str
    data: str


class SseParser:
    """Feed it the body's bytes as they arrive; it returns the events they complete."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._text = ""
        self._started = False
        self._event = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """The events completed by ``chunk``."""
        return self._consume(self._decoder.decode(chunk), final=False)

    def close(self) -> list[ServerSentEvent]:
        """The events completed by the end of the stream.

        An event whose blank line never arrived is dropped, as the standard requires: a
        stream cut short must not pass off its last, partial event as whole.
        """
        return self._consume(self._decoder.decode(b"", final=True), final=True)

    def _consume(self, text: str, *, final: bool) -> list[ServerSentEvent]:
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        self._text += text
        events: list[ServerSentEvent] = []
        position = 0
        for match in _LINE_BREAK.finditer(self._text):
            # A CR at the very end may be the first half of a CRLF still in flight.
            if match.group() == "\r" and match.end() == len(self._text) and not final:
                break
            event = self._line(self._text[position : match.start()])
            if event is not None:
                events.append(event)
            position = match.end()
        self._text = self._text[position:]
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):  # a comment, e.g. a keep-alive ping
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        # "id" and "retry" serve reconnection, which a chat answer never attempts.
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        event, data = self._event or "message", self._data
        self._event, self._data = "", []
        if not data:
            return None
        return ServerSentEvent(event, "\n".join(data))
