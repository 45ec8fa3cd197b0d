"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The bank holidays come from the ``holidays`` package (pinned in requirements.txt, kept up to date by its
maintainers, substitute days included), for England ("GB", subdivision "ENG"), whose bank holidays are
Wales's too. A statutory clock of N working days counts from the day after its event: the event's own day
is never one of them.
"""

from __future__ import annotations

import datetime
from functools import cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: datetime.date) -> str:
    """The bank holiday's name ("Christmas Day"), or "" on any other day."""
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day, "")


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The ``n``th working day after ``start`` (``start`` itself is never counted); ``start`` when ``n`` is 0."""
    if n < 0:
        raise ValueError("Count working days forwards: n must be 0 or more.")
    day = start
    while n:
        day += ONE_DAY
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

    So ``working_days_between(start, add_working_days(start, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a)
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        count += is_working_day(day)
    return count
