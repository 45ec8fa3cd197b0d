"""A plan of twelve actions through six monthly rounds, each entered weeks after its meeting.

Every fact belongs to a moment: completions carry their meeting's date, complete actions are carried
forward, flags are as at each round, every output quotes the same figures, and once a round is endorsed
nothing done to the actions afterwards changes what it said.
"""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from actions import selectors, services
from actions.models import MonitoringRound
from actions.quadrants import Quadrant, scale_for
from people.models import Person
from reports.selectors import board_for, round_figures
from tests.factories import ActionFactory, PersonFactory
from tests.jobs import job_file
from tests.reading import pdf_words, xlsx_rows

pytestmark = pytest.mark.django_db

G, Y, A, R, C = Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED, Quadrant.COMPLETE
MONTHS = [(2021, month) for month in range(1, 7)]
#: The quadrant each of the twelve actions reaches in each of the six rounds; C closes it for good.
STORY = [
    [A, Y, G, C, C, C],
    [R, A, Y, G, C, C],
    [A, A, A, Y, Y, G],
    [G, G, C, C, C, C],
    [Y, Y, Y, Y, G, G],
    [R, R, A, A, Y, Y],
    [A, Y, Y, G, G, C],
    [G, G, G, G, G, G],
    [Y, A, Y, G, C, C],
    [R, A, A, Y, Y, G],
    [A, A, Y, Y, G, G],
    [Y, G, G, C, C, C],
]


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC), tick=False)


def month_end(year: int, month: int) -> datetime.date:
    return (datetime.date(year, month % 12 + 1, 1) if month < 12 else datetime.date(year + 1, 1, 1)) - (
        datetime.timedelta(days=1)
    )


@pytest.fixture
def story(action):
    plan = action.plan
    partnership = plan.inspection.partnership
    chair = PersonFactory(partnership=partnership, role=Person.Role.CHAIR)
    actions = [action] + [
        ActionFactory(plan=plan, lead=action.lead, lead_agency=action.lead_agency, description=f"Action {n}")
        for n in range(2, 13)
    ]
    for n, each in enumerate(actions):
        each.target_date = datetime.date(2021, 1 + n % 6, 15)  # some fall due during the six months
        each.save()
    rounds = []
    for index, (year, month) in enumerate(MONTHS):
        period_end = month_end(year, month)
        meeting = period_end + datetime.timedelta(days=10)
        entered = meeting + datetime.timedelta(days=25)  # typed in weeks after the meeting
        with at(entered):
            monitoring_round = services.round_create(
                plan=plan,
                by=chair,
                label=f"{period_end:%B %Y}",
                period_end=period_end,
                update_deadline=period_end + datetime.timedelta(days=5),
                cadence=MonitoringRound.Cadence.MONTHLY,
            )
            services.round_set_state(monitoring_round=monitoring_round, by=chair, state="open")
            for each, quadrants in zip(actions, STORY, strict=True):
                each.refresh_from_db()
                if each.is_complete:
                    continue  # carried forward: nobody is asked
                fields = {"narrative": f"Progress in {period_end:%B}", "proposed_quadrant": quadrants[index]}
                if quadrants[index] == C:
                    fields.update(evidence="Audit", sustainability_plan="Re-audit yearly")
                services.update_save(
                    action=each,
                    monitoring_round=monitoring_round,
                    by=each.lead,
                    expected_version=0,
                    fields=fields,
                    submit=True,
                )
                services.update_agree(
                    action=each, monitoring_round=monitoring_round, by=chair, quadrant=quadrants[index]
                )
            services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=meeting)
            services.round_endorse(
                monitoring_round=monitoring_round,
                by=chair,
                endorsed_on=meeting + datetime.timedelta(days=7),
                meeting="the safeguarding partnership board",
            )
        monitoring_round.refresh_from_db()
        rounds.append(monitoring_round)
    return plan, actions, rounds, chair


#: Rounds whose committee report is also read as a PDF (each takes a second or so to typeset).
PDF_ROUNDS = (0, 3, 5)


def outputs(client, plan, monitoring_round, *, pdf=False):
    """The round's board (response), and what the committee report, CSV, XLSX and PDF say."""
    board = client.get(reverse("reports:board_round", args=[plan.pk, monitoring_round.pk]))
    report = client.get(reverse("reports:committee_report", args=[monitoring_round.pk]))
    csv_text = client.get(reverse("reports:round_csv", args=[monitoring_round.pk])).content.decode("utf-8-sig")
    xlsx = xlsx_rows(job_file(client, reverse("reports:round_xlsx", args=[monitoring_round.pk])).content)
    pdf_text = ""
    if pdf:
        response = job_file(client, reverse("reports:committee_report_pdf", args=[monitoring_round.pk]))
        pdf_text = pdf_words(response.content)
    return board, " ".join(strip_tags(report.content.decode()).split()), csv_text, xlsx, pdf_text


def json_rounds(client, plan) -> dict[str, dict]:
    response = job_file(client, reverse("transfers:export_json", args=[plan.pk]))
    return {row["label"]: row for row in json.loads(response.content)["rounds"]}


def test_six_back_entered_rounds_tell_the_truth_for_ever(client, story):
    plan, actions, rounds, _chair = story
    viewer = PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.OFFICER)
    client.force_login(viewer.user)

    for each, quadrants in zip(actions, STORY, strict=True):
        each.refresh_from_db()
        if C in quadrants:
            first = quadrants.index(C)
            # Dated by the meeting that agreed it, not by the day it was typed in (25 days later).
            assert each.completed_on == rounds[first].subgroup_meeting_on

    before = {}
    scale = scale_for(plan.inspection.partnership_id)
    manager = PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.MANAGER)
    client.force_login(manager.user)  # the plan's JSON is the managers' download
    in_json = json_rounds(client, plan)
    client.force_login(viewer.user)
    for index, monitoring_round in enumerate(rounds):
        expected = {}
        for quadrants in STORY:
            expected[quadrants[index]] = expected.get(quadrants[index], 0) + 1
        figures = round_figures(plan, monitoring_round)
        assert figures.counts == expected
        assert figures.complete == expected.get(C, 0) and figures.total == 12
        board, report, csv_text, xlsx, pdf_text = outputs(client, plan, monitoring_round, pdf=index in PDF_ROUNDS)
        assert board.context["board"].figures == figures
        sentence = f"{figures.complete_percent}% of actions complete ({figures.denominator})"
        assert sentence in report
        rows = list(csv.DictReader(io.StringIO(csv_text)))
        assert len(rows) == len(xlsx) == 12
        for table in (rows, xlsx):
            by_quadrant = {}
            for row in table:
                by_quadrant[row["Agreed quadrant"]] = by_quadrant.get(row["Agreed quadrant"], 0) + 1
            assert by_quadrant == {scale[key].label: count for key, count in expected.items()}
        assert [row["Completed on"] or None for row in rows] == [
            (value.date().isoformat() if value else None) for value in (row["Completed on"] for row in xlsx)
        ]
        document = in_json[monitoring_round.label]["figures"]
        assert (document["total"], document["complete"], document["complete_percent"]) == (
            figures.total,
            figures.complete,
            figures.complete_percent,
        )
        assert {key: count for key, count in document["counts"].items() if count} == expected
        assert document["denominator"] == figures.denominator
        if pdf_text:
            assert sentence in pdf_text
            assert f"{monitoring_round.label}" in pdf_text
        # Flags as at the round's meeting: overdue means due before that meeting, never before today.
        as_at = monitoring_round.subgroup_meeting_on
        for entry in board.context["board"].entries:
            action = next(a for a in actions if a.pk == entry.action.pk)
            complete_then = entry.quadrant.key == C
            assert entry.overdue == (not complete_then and action.current_target_date < as_at)
        before[monitoring_round.pk] = (report, csv_text, xlsx, pdf_text)

    home = client.get("/").content.decode()
    last = round_figures(plan, rounds[-1])
    assert f"{last.complete_percent}% of actions complete ({last.denominator})" in " ".join(strip_tags(home).split())

    # Long afterwards: reword, reassign and re-date every action. No endorsed round changes.
    other_lead = PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.LEAD)
    with at(datetime.date(2026, 12, 3)):
        client.force_login(viewer.user)  # a new day, a new session
        for each in actions:
            type(each).objects.filter(pk=each.pk).update(
                description=f"Reworded {each.reference}",
                lead=other_lead,
                lead_agency=other_lead.agency,
                target_date=datetime.date(2020, 1, 1),
            )
        for index, monitoring_round in enumerate(rounds):
            board, *said = outputs(client, plan, monitoring_round, pdf=index in PDF_ROUNDS)
            assert tuple(said) == before[monitoring_round.pk]
            assert not any(entry.action.description.startswith("Reworded") for entry in board.context["board"].entries)
            assert board_for(plan, monitoring_round).frozen
        client.force_login(manager.user)
        assert {label: row["figures"] for label, row in json_rounds(client, plan).items()} == {
            label: row["figures"] for label, row in in_json.items()
        }


def test_a_withdrawn_action_is_kept_and_no_later_round_asks_about_it(client, story):
    plan, actions, rounds, _chair = story
    withdrawn = actions[2]  # never completed
    manager = PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.MANAGER)
    client.force_login(manager.user)
    url = reverse("setup:action_withdraw", args=[withdrawn.pk])
    response = client.post(url, {"withdrawn_on_0": "1", "withdrawn_on_1": "8", "withdrawn_on_2": "2021", "reason": ""})
    assert "Say why the action is being withdrawn" in response.content.decode()
    response = client.post(
        url,
        {"withdrawn_on_0": "1", "withdrawn_on_1": "8", "withdrawn_on_2": "2021", "reason": "Superseded by 4.3."},
    )
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_on == datetime.date(2021, 8, 1)
    assert withdrawn.history.first().history_user == manager.user

    july = services.round_create(
        plan=plan,
        by=manager,
        label="July 2021",
        period_end=datetime.date(2021, 7, 31),
        update_deadline=datetime.date(2021, 8, 5),
        cadence=MonitoringRound.Cadence.MONTHLY,
    )
    services.round_set_state(monitoring_round=july, by=manager, state="open")
    live = board_for(plan, july)
    assert withdrawn.pk not in [entry.action.pk for entry in live.entries]
    assert live.total == 11
    assert withdrawn.pk not in [row.action.pk for row in selectors.my_actions(withdrawn.lead)]
    assert withdrawn.pk not in [action.pk for action in services.round_missing_agreement(july)]
    # The rounds that covered it still say what they said.
    assert withdrawn.pk in [entry.action.pk for entry in board_for(plan, rounds[0]).entries]
