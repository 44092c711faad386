"""The two OpenSearch indexes the stream writes, with their mappings."""

from __future__ import annotations

from typing import Any

INDEX = "processed_reviews"
DEAD_LETTER_INDEX = "review_dead_letters"

# The reference architecture's mapping, unchanged: dashboards aggregate on the keyword fields.
INDEX_MAPPING: dict[str, Any] = {
    "mappings": {
        "properties": {
            "reviewId": {"type": "integer"},
            "userId": {"type": "keyword"},
            "summary": {"type": "keyword"},
            "sentiment": {"type": "keyword"},
            "dateTime": {"type": "date"},
        }
    }
}
DEAD_LETTER_MAPPING: dict[str, Any] = {
    "mappings": {
        "properties": {
            "reviewId": {"type": "integer"},
            "reason": {"type": "keyword"},
            "raw": {"type": "text"},
            "failedAt": {"type": "date"},
        }
    }
}
MAPPINGS: dict[str, dict[str, Any]] = {INDEX: INDEX_MAPPING, DEAD_LETTER_INDEX: DEAD_LETTER_MAPPING}
