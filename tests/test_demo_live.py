"""The demo loaded on any day looks like a partnership at work, and its 2020 record stays as it was.

The loader moves the open round and the actions' target dates by whole months to the day of the load
(demo/loader.py, "Dates"); the endorsed rounds keep their dates, figures and frozen flags.
"""

import datetime
import re
from collections import Counter

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, MonitoringRound
from actions.quadrants import Quadrant
from demo.loader import load_demo, months_to_now, shift
from demo.spec import month_label
from people.models import Person
from reports.selectors import board_for

pytestmark = pytest.mark.django_db

NORTHUMBERLAND = "Northumberland Safeguarding Children Partnership"
#: Days far apart, and the awkward ones: the last day of a month, a leap day, just before a deadline.
DAYS = [
    datetime.date(2026, 12, 3),
    datetime.date(2031, 6, 15),
    datetime.date(2027, 1, 31),
    datetime.date(2028, 2, 29),
    datetime.date(2029, 8, 1),
]


def on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC), tick=False)


def open_round():
    return MonitoringRound.objects.get(
        plan__inspection__partnership__name=NORTHUMBERLAND, plan__inspection__kind="jtai", state="open"
    )


def overdue_tags(html):
    return len(re.findall(r'govuk-tag--red">Overdue', html))


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_demo_loaded_on_any_day_has_a_round_open_now_with_updates_due_in_the_coming_weeks(day):
    with on(day):
        summary = load_demo()
        live = open_round()

    assert day + datetime.timedelta(days=7) <= live.update_deadline <= day + datetime.timedelta(weeks=6)
    assert (live.period_end.year, live.period_end.month) == (day.year, day.month)  # the period ends this month
    assert live.label == month_label(live.period_end)
    assert summary.open_rounds == ((NORTHUMBERLAND, live.label, live.update_deadline),)
    earlier = MonitoringRound.objects.filter(plan=live.plan).exclude(pk=live.pk)
    assert [r.label for r in earlier.order_by("period_end")] == ["January 2020", "March 2020", "May 2020"]
    assert all(r.period_end < day for r in earlier)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_demo_loaded_on_any_day_has_a_few_actions_overdue_some_due_soon_and_most_later(client, day):
    with on(day):
        load_demo()
        live = open_round()
        actions = list(Action.objects.filter(plan=live.plan))
        overdue = [a.reference for a in actions if a.is_overdue(day)]
        soon = [a.reference for a in actions if a.is_due_soon(day)]
        board = board_for(live.plan, live)

        client.force_login(Person.objects.get(user__username="chair").user)
        board_page = client.get(reverse("reports:board_round", args=[live.plan_id, live.pk])).content.decode()
        client.force_login(Person.objects.get(user__username="lead").user)
        mine = client.get(reverse("actions:mine")).content.decode()

    assert len(actions) == 22
    assert 1 <= len(overdue) <= len(actions) // 4, overdue
    assert len(soon) >= 3, soon
    assert len(actions) - len(overdue) - len(soon) > len(actions) // 2  # most are due later
    assert sum(entry.overdue for entry in board.entries) == len(overdue)
    assert overdue_tags(board_page) == len(overdue)
    assert f"Quadrant board: {live.label}" in board_page
    # The lead's rows: a week or more before the deadline, no update is late.
    rows = mine.count("Write update for") + mine.count("Continue update for") + mine.count("govuk-tag--blue")
    assert rows >= 5
    assert mine.count("<strong>Overdue</strong>") <= rows // 4
    assert f"{live.label} round: due {live.update_deadline:%-d %B %Y}" in mine


@pytest.mark.parametrize("day", DAYS[:2], ids=str)
def test_demo_may_2020_keeps_its_record_whenever_it_is_loaded(client, day):
    with on(day):
        load_demo()
        may = MonitoringRound.objects.get(plan__inspection__partnership__name=NORTHUMBERLAND, label="May 2020")
        board = board_for(may.plan, may)

    counts = Counter(may.updates.values_list("agreed_quadrant", flat=True))
    assert counts == {Quadrant.GREEN: 10, Quadrant.YELLOW: 7, Quadrant.AMBER: 3, Quadrant.RED: 2}
    assert (may.period_end, may.subgroup_meeting_on, may.endorsed_on) == (
        datetime.date(2020, 5, 31),
        datetime.date(2020, 5, 27),
        datetime.date(2020, 6, 10),
    )
    # What the board endorsed: 2020's target dates and the flags of its meeting, not today's.
    by_reference = {entry.action.reference: entry for entry in board.entries}
    assert by_reference["7.3"].action.current_target_date == datetime.date(2020, 4, 30)
    assert [ref for ref, entry in by_reference.items() if entry.overdue] == ["7.3"]
    assert Action.objects.get(plan=may.plan, reference="7.3").target_date.year >= day.year - 1  # the live row moved


def test_demo_loaded_again_a_later_month_moves_the_same_open_round():
    with on(datetime.date(2026, 12, 3)):
        load_demo()
        december = open_round()
    with on(datetime.date(2027, 3, 20)):
        load_demo()
        march = open_round()

    assert march.pk == december.pk
    assert (december.label, march.label) == ("December 2026", "March 2027")
    assert march.update_deadline == datetime.date(2027, 4, 7)
    assert march.updates.count() == december.updates.count()


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (datetime.date(2020, 6, 30), 1, datetime.date(2020, 7, 31)),  # a month's last day stays the last
        (datetime.date(2020, 7, 31), 7, datetime.date(2021, 2, 28)),
        (datetime.date(2020, 7, 7), 78, datetime.date(2027, 1, 7)),
        (datetime.date(2020, 1, 30), 1, datetime.date(2020, 2, 29)),  # no 30 February
        (datetime.date(2020, 3, 15), -3, datetime.date(2019, 12, 15)),
    ],
)
def test_shift_moves_a_day_by_whole_months(day, months, moved):
    assert shift(day, months) == moved


def test_months_to_now_is_the_fewest_that_leave_a_week_before_the_deadline():
    from demo.loader import DEMOS

    northumberland = DEMOS[0].open_round
    assert northumberland.update_deadline == datetime.date(2020, 7, 7)
    assert months_to_now(northumberland, datetime.date(2026, 12, 3)) == 78  # updates due 7 January 2027
    assert months_to_now(northumberland, datetime.date(2026, 12, 31)) == 78  # 7 days before
    assert months_to_now(northumberland, datetime.date(2027, 1, 1)) == 79  # 6 days before: the next month's
