"""Each regime's statutory clocks, counted in England and Wales working days (bank holidays from the
``holidays`` package), and their states in words, on a day passed in (never the real today)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.clocks import State, due_date, source_clocks
from inspections.models import Finding, Inspection
from inspections.regimes import REGIMES, SOURCE, RegimeError, load, regime
from inspections.working_days import add_working_days, bank_holiday_name, is_working_day, working_days_between
from tests.factories import FindingFactory, InspectionFactory

D = datetime.date


# Working days ----------------------------------------------------------------


def test_christmas_and_new_year_are_not_working_days_and_a_substitute_day_is_one_off():
    # Boxing Day 2026 is a Saturday: its bank holiday is Monday 28 December.
    assert bank_holiday_name(D(2026, 12, 28)) == "Boxing Day (observed)"
    assert [is_working_day(D(2026, 12, day)) for day in range(24, 30)] == [True, False, False, False, False, True]
    assert not is_working_day(D(2027, 1, 1))


def test_the_first_working_day_is_the_day_after_the_event():
    assert add_working_days(D(2027, 3, 1), 1) == D(2027, 3, 2)  # a Monday's next working day is Tuesday
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)  # a Friday's is Monday
    assert add_working_days(D(2027, 3, 6), 0) == D(2027, 3, 6)


def test_working_days_between_undoes_adding_them():
    start = D(2026, 12, 1)
    for n in (1, 5, 15, 20, 70):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2027, 3, 12), D(2027, 3, 5)) == -5


# Each regime's clocks ----------------------------------------------------------


def source(kind, **dates):
    """An inspection or review of ``kind`` whose events happened on ``dates`` (event code -> date)."""
    inspection = InspectionFactory.build(kind=kind, fieldwork_start=D(2026, 1, 5), fieldwork_end=D(2026, 1, 9))
    for code, day in dates.items():
        event = inspection.regime.event(code)
        if event.field:
            setattr(inspection, event.field, day)
        else:
            inspection.milestones[code] = day.isoformat()
    return inspection


def clock(kind, code, day, *, has_priority=True, **dates):
    readings = {r.clock.code: r for r in source_clocks(source(kind, **dates), day, has_priority=has_priority)}
    return readings[code]


def test_ilacs_plan_is_due_70_working_days_after_the_report_across_christmas():
    # Published 1 December 2026: Christmas Day, Boxing Day (observed 28th) and New Year's Day are not counted.
    reading = clock("ilacs", "plan", D(2026, 12, 2), published=D(2026, 12, 1))
    assert reading.due == D(2027, 3, 12)
    assert (reading.state, reading.days_left) == (State.RUNNING, 69)
    assert reading.words == "Running: 69 working days left"


def test_ilacs_draft_runs_only_where_there_are_priority_actions():
    reading = clock("ilacs", "draft", D(2026, 12, 2), published=D(2026, 12, 1))
    assert reading.due == D(2026, 12, 31)  # 20 working days, less Christmas Day and the 28th
    none = clock("ilacs", "draft", D(2026, 12, 2), has_priority=False, published=D(2026, 12, 1))
    assert (none.state, none.words) == (State.NOT_APPLICABLE, "Does not apply: there are no priority actions")


def test_rapid_review_notification_over_christmas_and_the_review_over_easter():
    # Aware Tuesday 22 December 2026: 23, 24, 29, 30, 31 December are the five working days.
    notification = clock("rapid_review", "notification", D(2026, 12, 23), incident_known=D(2026, 12, 22))
    assert notification.due == D(2026, 12, 31)
    # Notified Friday 19 March 2027: Good Friday (26 March) and Easter Monday (29 March) are not counted.
    review = clock(
        "rapid_review", "rapid_review", D(2027, 3, 22), incident_known=D(2027, 3, 15), notified=D(2027, 3, 19)
    )
    assert review.due == D(2027, 4, 13)
    assert review.days_left == 14


def test_practice_review_is_published_six_months_after_the_decision():
    reading = clock("practice_review", "publication", D(2027, 2, 1), review_decided=D(2026, 8, 31))
    assert reading.due == D(2027, 2, 28)
    assert not reading.working
    assert (reading.state, reading.words) == (State.DUE_SOON, "Due soon: 27 calendar days left")


def test_hmicfrs_response_is_due_56_calendar_days_after_the_report():
    reading = clock("hmicfrs", "response", D(2027, 5, 28), published=D(2027, 4, 1))
    assert reading.due == D(2027, 5, 27)
    assert (reading.state, reading.words) == (State.OVERDUE, "Overdue: by 1 calendar day")


def test_area_send_monitoring_inspection_about_18_months_after_the_report():
    reading = clock("send", "monitoring", D(2027, 1, 4), published=D(2026, 11, 30))
    assert reading.due == D(2028, 5, 30)


def test_jtai_plan_is_due_on_the_date_the_inspectorates_set():
    reading = clock("jtai", "plan", D(2019, 11, 11), published=D(2019, 8, 2), plan_due=D(2019, 11, 11))
    assert (reading.state, reading.words) == (State.DUE_TODAY, "Due today")
    unset = clock("jtai", "plan", D(2019, 11, 11), published=D(2019, 8, 2))
    assert unset.words == "Not started: Written statement of action due not recorded"


@pytest.mark.parametrize("code", ["cqc_la", "sar", "dardr", "local"])
def test_a_regime_without_a_statutory_clock_says_so(code):
    assert regime(code).clocks == ()
    assert regime(code).no_clock.startswith("No statutory deadline")


# States --------------------------------------------------------------------------


def test_met_missed_running_due_today_overdue_and_not_started():
    aware = {"incident_known": D(2027, 6, 1)}  # a Tuesday: due Tuesday 8 June
    assert clock("rapid_review", "notification", D(2027, 6, 2), **aware).words == "Running: 4 working days left"
    assert clock("rapid_review", "notification", D(2027, 6, 8), **aware).state == State.DUE_TODAY
    assert clock("rapid_review", "notification", D(2027, 6, 10), **aware).words == "Overdue: by 2 working days"
    met = clock("rapid_review", "notification", D(2027, 7, 1), notified=D(2027, 6, 8), **aware)
    assert (met.state, met.tag, met.words) == (State.MET, "Met", "Met on 8 June 2027")
    missed = clock("rapid_review", "notification", D(2027, 7, 1), notified=D(2027, 6, 11), **aware)
    assert missed.words == "Missed: met 3 working days late, on 11 June 2027"
    waiting = clock("rapid_review", "rapid_review", D(2027, 7, 1), **aware)
    assert waiting.words == "Not started: Notified to the National Panel not recorded"


def test_a_source_reads_whether_it_has_priority_findings_when_not_told(db):
    inspection = InspectionFactory(kind="ilacs", letter_published=D(2026, 12, 1))
    assert source_clocks(inspection, D(2026, 12, 2))[0].state == State.NOT_APPLICABLE
    FindingFactory(inspection=inspection, kind=Finding.Kind.PRIORITY_ACTION, number=1)
    assert source_clocks(inspection, D(2026, 12, 2))[0].state == State.RUNNING


# The registry and the milestones ---------------------------------------------------


def test_every_regime_uses_kinds_of_finding_the_model_knows_and_names_its_plan():
    assert set(Inspection.Kind.values) == set(REGIMES)
    for entry in REGIMES.values():
        assert set(entry.finding_kinds) <= set(Finding.Kind.values)
        assert entry.plan and entry.asks and entry.reports_to
        assert entry.clocks or entry.no_clock


def test_a_clock_naming_an_unknown_event_is_refused():
    text = SOURCE.read_text(encoding="utf-8").replace('stops = "notified"', 'stops = "sent"')
    with pytest.raises(RegimeError, match="clock notification names an unknown event sent"):
        load(text)


def test_every_regime_names_its_own_document_and_a_paper_without_a_date_or_event_is_refused():
    assert all(entry.paper and "{date}" in entry.paper for entry in REGIMES.values())
    text = SOURCE.read_text(encoding="utf-8")
    with pytest.raises(RegimeError, match="rapid_review: paper needs"):
        load(text.replace('paper_event = "rapid_review_sent"', 'paper_event = "sent"'))
    with pytest.raises(RegimeError, match="jtai: paper needs"):
        load(text.replace("inspection letter, published {date}", "inspection letter"))


def test_milestones_are_the_regimes_own_events_in_the_past_and_in_order():
    inspection = source("rapid_review", incident_known=D(2026, 1, 5), notified=D(2026, 1, 2))
    with pytest.raises(ValidationError) as refused:
        inspection._clean_milestones()
    assert refused.value.message_dict == {
        "milestone_notified": [
            "Notified to the National Panel cannot be before partnership became aware of the incident (5 January 2026)"
        ]
    }
    inspection.milestones = {"published": "2026-01-05"}
    with pytest.raises(ValidationError, match="has no event called published"):
        inspection._clean_milestones()
    inspection.milestones = {"notified": "2999-01-01"}
    with pytest.raises(ValidationError, match="must be today or in the past"):
        inspection._clean_milestones()


def test_due_date_of_a_month_clock_keeps_the_last_day_of_a_short_month():
    assert due_date(regime("practice_review").clocks[0], D(2026, 8, 31)) == D(2027, 2, 28)


def test_a_clock_within_its_reminder_lead_time_is_due_soon_with_its_own_tag():
    # The ILACS plan clock reminds 10 working days before its end (12 March 2027).
    far = clock("ilacs", "plan", D(2026, 12, 2), published=D(2026, 12, 1))
    near = clock("ilacs", "plan", D(2027, 3, 10), published=D(2026, 12, 1))
    assert (far.tag, far.tag_class) == ("Running", "govuk-tag--blue")
    assert (near.state, near.words) == (State.DUE_SOON, "Due soon: 2 working days left")
    assert near.tag_class == "govuk-tag--yellow" and near.tag_class != far.tag_class
    assert near.is_live
    edge = clock("ilacs", "plan", D(2027, 2, 26), published=D(2026, 12, 1))
    assert (edge.state, edge.days_left) == (State.DUE_SOON, 10)
    before = clock("ilacs", "plan", D(2027, 2, 25), published=D(2026, 12, 1))
    assert before.state == State.RUNNING


def test_a_calendar_clock_always_says_calendar_days():
    reading = clock("hmicfrs", "response", D(2027, 4, 2), published=D(2027, 4, 1))
    assert reading.words == "Running: 55 calendar days left"
