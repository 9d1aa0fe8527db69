"""The seconds, minutes, hours, days, weeks or months a count is split by ("how many cars per hour?", "... per 15
minutes?").

Wall-clock periods where a stream has a clock (in the site's time zone: "2026-11-21 14:00"), else periods of
the footage's own time from its start ("0:00.0-1:00.0"). Pure functions of a stream's start and a time zone:
``query.ask`` labels each object by the period it was first seen in and lists every period of the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from common.text import clock
from query.timewords import END_EPSILON_S

# a month is a calendar month on a wall clock; of footage without one, 30 days (its label shows them)
UNIT_S = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0, "month": 2592000.0}
_FORMAT = {"second": "%Y-%m-%d %H:%M:%S", "minute": "%Y-%m-%d %H:%M", "hour": "%Y-%m-%d %H:00", "day": "%Y-%m-%d",
           "week": "week of %Y-%m-%d", "month": "%Y-%m"}  # weeks from Monday (ISO 8601)
QUARTER_HOUR_S = 900  # every time zone in use is whole quarter hours from UTC: wall-clock periods are made of them
MAX_PERIODS = 1_000  # periods listed with the empty ones; past this many, only those with objects


@dataclass(frozen=True, slots=True)
class Periods:
    unit: str  # second, minute, hour, day, week or month
    start: float  # the stream's wall-clock start (epoch seconds); 0 when it has no clock
    tz: ZoneInfo
    prefix: str = ""  # the stream's name, where streams without a clock share one answer
    size: int = 1  # periods of this many units ("per 15 minutes"), counted from the top of the hour (or minute,
    # or midnight); it divides the next unit evenly (query.parse reads no other)

    def label(self, t: float) -> str:
        """The period that offset ``t`` of the stream falls in."""
        if self.start > 0:
            return self._floor(datetime.fromtimestamp(self.start + t, self.tz)).strftime(_FORMAT[self.unit])
        size = UNIT_S[self.unit] * self.size
        k = int(t // size)
        return f"{self.prefix}{clock(k * size)}-{clock((k + 1) * size)}"

    def _floor(self, at: datetime) -> datetime:
        """Where the wall-clock period holding ``at`` begins."""
        n = self.size
        return {"second": at.replace(second=at.second // n * n, microsecond=0),
                "minute": at.replace(minute=at.minute // n * n, second=0, microsecond=0),
                "hour": at.replace(hour=at.hour // n * n, minute=0, second=0, microsecond=0),
                "day": at.replace(hour=0, minute=0, second=0, microsecond=0),
                "week": at.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=at.weekday()),
                "month": at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)}[self.unit]

    def _bounds(self, t: float) -> tuple[float, float]:
        """The offsets where ``t``'s period begins and where the next one does."""
        size = UNIT_S[self.unit] * self.size
        if self.start <= 0:
            k = int(t // size)
            return k * size, (k + 1) * size
        floor = self._floor(datetime.fromtimestamp(self.start + t, self.tz))
        # calendar days, weeks and months, across a summer-time change (23 or 25 hours, 167 or 169)
        step = {"day": timedelta(days=1), "week": timedelta(days=7)}.get(self.unit, timedelta(seconds=size))
        after = (floor + timedelta(days=32)).replace(day=1) if self.unit == "month" else floor + step
        return floor.timestamp() - self.start, after.timestamp() - self.start

    def partial(self, t0: float, t1: float) -> set[str]:
        """The periods at the edges of offsets [t0, t1) that the window covers only in part."""
        cut = set()
        if self._bounds(t0)[0] < t0 - 1e-6:
            cut.add(self.label(t0))
        # a clock window ends END_EPSILON_S before its midnight (query.timewords): that day is whole
        if t1 > t0 and self._bounds(t1 - 1e-6)[1] > t1 + END_EPSILON_S + 1e-6:
            cut.add(self.label(t1 - 1e-6))
        return cut

    def between(self, t0: float, t1: float) -> list[str] | None:
        """Every period that offsets [t0, t1) touch, in order; None past MAX_PERIODS of them."""
        labels: list[str] = []
        t = t0
        while t < t1:
            if len(labels) == MAX_PERIODS:
                return None
            labels.append(self.label(t))
            t = self._bounds(t)[1]
        return labels
