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


def test_months_are_calendar_months_on_a_clock_and_30_days_without_one():
    """"How many trucks per month?" said 'per month' was not checked. A month is the calendar's (28 to 31 days,
    one hour short in Berlin's March), and 30 days of footage time where a stream has no clock."""
    start = datetime(2026, 1, 20, 8, 0, tzinfo=BERLIN).timestamp()
    months = Periods("month", start, BERLIN)
    april = datetime(2026, 4, 1, tzinfo=BERLIN).timestamp() - start
    assert months.between(0.0, april + 3600.0) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert months.label(april - 0.001) == "2026-03" and months.label(april) == "2026-04"
    march = datetime(2026, 3, 1, tzinfo=BERLIN).timestamp() - start
    assert months._bounds(march + 86400.0) == (march, april) and april - march == 31 * 86400.0 - 3600.0
    assert months.partial(0.0, april) == {"2026-01"}  # it begins on the 20th; March ends where April begins
    unclocked = Periods("month", 0.0, UTC)
    assert unclocked.between(0.0, 40 * 86400.0) == ["0:00.0-720:00:00.0", "720:00:00.0-1440:00:00.0"]
