"""Message times on the person's page: relative, in the language's words and digits."""

from datetime import UTC, datetime, timedelta

import pytest

from safehaven.intake.thread.display import requester_time_text

NOW = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "ago", "expected"),
    [
        ("fa", timedelta(hours=2), "۲ ساعت پیش"),
        ("fa", timedelta(days=3), "۳ روز پیش"),
        ("ru", timedelta(hours=2), "2 часа назад"),
        ("en", timedelta(days=3), "3 days ago"),
        # Kept to the hour: a message of this hour is "1 hour ago", never minutes.
        ("en", timedelta(minutes=20), "1 hour ago"),
    ],
)
def test_it_says_how_long_ago(language, ago, expected):
    assert requester_time_text(NOW - ago, now=NOW, language=language) == expected
