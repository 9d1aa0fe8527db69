"""The periods a "per minute / hour / day" count is split by (query.periods): wall clock where a stream has one
(calendar days across a DST change), offsets of the footage otherwise, and the edge periods a window cuts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from query.periods import MAX_PERIODS, Periods

UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def test_offsets_without_a_clock_and_the_periods_a_window_cuts():
    minutes = Periods("minute", 0.0, UTC)
    assert minutes.between(0.0, 120.6) == ["0:00.0-1:00.0", "1:00.0-2:00.0", "2:00.0-3:00.0"]
    assert minutes.label(59.9) == "0:00.0-1:00.0" and minutes.label(60.0) == "1:00.0-2:00.0"
    assert minutes.partial(0.0, 120.6) == {"2:00.0-3:00.0"}  # the footage ends 0.6 s into it
    assert minutes.partial(30.0, 120.0) == {"0:00.0-1:00.0"}  # the window starts half way into it
    assert minutes.between(0.0, (MAX_PERIODS + 1) * 60.0) is None  # too many to list with the empty ones


def test_wall_clock_days_follow_the_calendar_across_a_dst_change():
    # Berlin moves its clocks forward on 2026-03-29: that day is 23 hours long
    start = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN).timestamp()
    days = Periods("day", start, BERLIN)
    end = datetime(2026, 3, 30, 12, 0, tzinfo=BERLIN).timestamp() - start
    assert days.between(0.0, end) == ["2026-03-28", "2026-03-29", "2026-03-30"]
    assert days.partial(0.0, end) == {"2026-03-28", "2026-03-30"}
    hours = Periods("hour", datetime(2026, 11, 21, 13, 59, tzinfo=UTC).timestamp(), UTC)
    assert hours.between(0.0, 120.6) == ["2026-11-21 13:00", "2026-11-21 14:00"]


def test_periods_of_several_units_start_at_the_top_of_the_hour_or_minute():
    """"Per 15 minutes" (traffic counts' usual bins) and "every 30 seconds": wall-clock bins from the top of the
    hour (or minute), offsets in steps of that size without a clock."""
    start = datetime(2026, 11, 21, 13, 52, 30, tzinfo=UTC).timestamp()
    quarters = Periods("minute", start, UTC, size=15)
    end = datetime(2026, 11, 21, 14, 20, tzinfo=UTC).timestamp() - start
    assert quarters.between(0.0, end) == ["2026-11-21 13:45", "2026-11-21 14:00", "2026-11-21 14:15"]
    assert quarters.partial(0.0, end) == {"2026-11-21 13:45", "2026-11-21 14:15"}
    assert quarters.label(7.5 * 60 - 0.1) == "2026-11-21 13:45" and quarters.label(7.5 * 60) == "2026-11-21 14:00"
    halves = Periods("second", 0.0, UTC, size=30)
    assert halves.between(0.0, 75.0) == ["0:00.0-0:30.0", "0:30.0-1:00.0", "1:00.0-1:30.0"]
    assert halves.partial(0.0, 75.0) == {"1:00.0-1:30.0"}
    two_hours = Periods("hour", datetime(2026, 11, 21, 13, 59, tzinfo=BERLIN).timestamp(), BERLIN, size=2)
    assert two_hours.label(0.0) == "2026-11-21 12:00" and two_hours.label(3600.0) == "2026-11-21 14:00"
