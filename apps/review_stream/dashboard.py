"""The review-sentiment dashboard: sentiment share and volume per minute, the latest summaries
and the dead letters, read from the results store and refreshed every few seconds.

``python -m review_stream.dashboard`` (or ``genai-review-dashboard``) serves this file with
Streamlit, which then runs it as its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from genai_common.commands import module_command
from genai_common.serve import serve_page
from genai_common.settings import SettingsError, load_settings
from reviews_domain.model import DeadLetter, ProcessedReview
from streamlit.runtime.scriptrunner import get_script_run_ctx

from review_stream.indexes import DEAD_LETTER_INDEX, INDEX
from review_stream.settings import ReviewSettings
from review_stream.store import ResultsStore, SentimentCount, StoreUnavailable, open_store

TITLE = "Review sentiment"
WINDOW_MINUTES = 60
LATEST = 20
RAW_PREVIEW = 200
COLORS = alt.Scale(domain=["positive", "negative"], range=["#2e9d5b", "#d1493f"])


@dataclass(frozen=True)
class Snapshot:
    """Everything the page shows, read in one go."""

    volume: int
    dead_letters: int
    over_time: list[SentimentCount]
    latest: list[ProcessedReview]
    letters: list[DeadLetter]
    analyzer: str | None


def read(store: ResultsStore) -> Snapshot:
    return Snapshot(
        volume=store.volume(),
        dead_letters=store.dead_letter_count(),
        over_time=store.sentiment_over_time("minute", WINDOW_MINUTES),
        latest=store.latest(LATEST),
        letters=store.latest_dead_letters(10),
        analyzer=store.analyzer_name(),
    )


def title(analyzer: str | None) -> str:
    """Named after what produced the sentiments when it is not a model (the offline stand-in)."""
    return f"{TITLE}: {analyzer}" if analyzer and "stand-in" in analyzer else TITLE


def source(settings: ReviewSettings) -> str:
    if settings.review_store == "opensearch":
        return (
            f"OpenSearch Serverless {settings.opensearch_endpoint} "
            f"(indexes {INDEX}, {DEAD_LETTER_INDEX})"
        )
    return f"local store {settings.review_db}"


@st.cache_resource
def _settings() -> ReviewSettings:
    return load_settings(ReviewSettings)


@st.cache_resource
def _store(_settings: ReviewSettings) -> ResultsStore:
    return open_store(_settings)


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _sentiment_chart(counts: pd.DataFrame, *, share: bool) -> alt.Chart:
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            # A UTC time unit: bars one minute wide, labelled in UTC whatever the browser's zone.
            x=alt.X(
                "utcyearmonthdatehoursminutes(minute):T",
                title="Minute (UTC)",
                # Vega places ticks every 30 s on a short range: only whole minutes get a label.
                axis=alt.Axis(
                    labelExpr="utcseconds(datum.value) ? '' : utcFormat(datum.value, '%H:%M')"
                ),
            ),
            y=alt.Y(
                "reviews:Q",
                stack="normalize" if share else "zero",
                title="Share of reviews" if share else "Reviews",
                axis=alt.Axis(format="%") if share else alt.Axis(),
            ),
            color=alt.Color("sentiment:N", scale=COLORS, title="Sentiment"),
            tooltip=[
                alt.Tooltip("utcyearmonthdatehoursminutes(minute):T", title="Minute (UTC)"),
                "sentiment:N",
                "reviews:Q",
            ],
        )
    )


def render(snapshot: Snapshot, produce: str) -> None:
    counts = pd.DataFrame(
        [
            {"minute": c.start, "sentiment": c.sentiment, "reviews": c.count}
            for c in snapshot.over_time
        ],
        columns=["minute", "sentiment", "reviews"],
    )
    in_window = int(counts["reviews"].sum())
    positive = int(counts.loc[counts["sentiment"] == "positive", "reviews"].sum())

    processed, share, letters = st.columns(3)
    processed.metric("Reviews processed", f"{snapshot.volume:,}")
    share.metric(
        "Positive share",
        f"{positive / in_window:.0%}" if in_window else "-",
        help=f"Over the last {WINDOW_MINUTES} minutes that hold reviews",
    )
    letters.metric(
        "Dead letters", f"{snapshot.dead_letters:,}", help="Records that could not be processed"
    )

    if not snapshot.volume and not snapshot.dead_letters:
        st.info(f"No reviews yet. Send some with `{produce}`; they appear here within seconds.")
        return

    if snapshot.volume:
        left, right = st.columns(2)
        with left:
            st.subheader("Sentiment share per minute")
            st.altair_chart(_sentiment_chart(counts, share=True), width="stretch")
        with right:
            st.subheader("Reviews per minute")
            st.altair_chart(_sentiment_chart(counts, share=False), width="stretch")

        st.subheader("Latest summaries")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Time (UTC)": _time(review.date_time),
                        "Review": review.review_id,
                        "User": review.user_id,
                        "Sentiment": review.sentiment,
                        "Summary": review.summary,
                    }
                    for review in snapshot.latest
                ]
            ),
            hide_index=True,
        )

    if snapshot.dead_letters:
        st.subheader("Latest dead letters")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Failed at (UTC)": _time(letter.failed_at),
                        "Review": letter.review_id,
                        "Reason": letter.reason,
                        "Record": letter.raw[:RAW_PREVIEW],
                    }
                    for letter in snapshot.letters
                ]
            ),
            hide_index=True,
        )


def main() -> None:
    st.set_page_config(page_title=TITLE, page_icon="📊", layout="wide")
    try:
        settings = _settings()
    except SettingsError as error:
        st.title(TITLE)
        st.error(str(error))
        st.stop()

    @st.fragment(run_every=settings.review_refresh_seconds)
    def live() -> None:
        try:
            snapshot = read(_store(settings))
        except StoreUnavailable as error:
            st.title(TITLE)
            st.error(f"The results store cannot be read: {error}")
            st.caption(f"Trying again every {settings.review_refresh_seconds:g} s.")
            return
        st.title(title(snapshot.analyzer))
        st.caption(
            f"From the {source(settings)}. Refreshes every {settings.review_refresh_seconds:g} s; "
            f"read at {_time(datetime.now(UTC))} UTC."
        )
        # Local mode's stream is in moto, which the producer reaches with --local.
        local = " --local" if settings.review_store == "local" else ""
        render(snapshot, f"{module_command('review_stream')} produce{local} --rate 5")

    live()


def run() -> None:
    serve_page(Path(__file__))


if __name__ == "__main__":
    # Streamlit runs this file as __main__ too: inside a script run it is the page.
    if get_script_run_ctx(suppress_warning=True) is None:
        run()
    else:
        main()
