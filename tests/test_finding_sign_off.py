"""A finding the plan answers is signed off as addressed (when, by which body, on what evidence) and may be
reopened with a reason; the plan page, the board, the committee report and the round exports say where each
area stood as at the round they show."""

import csv
import datetime
import html
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import MonitoringRound, Update
from actions.quadrants import Quadrant
from inspections.models import Finding, FindingSignOff
from inspections.selectors import sign_off_states
from inspections.services import finding_reopen, finding_sign_off
from people.models import Person
from tests.factories import ActionFactory, FindingFactory, MonitoringRoundFactory, UpdateFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 6, 15)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2021, 6, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def area(action):
    """Priority area for action 1, answered by the action."""
    finding = FindingFactory(
        inspection=action.plan.inspection,
        kind=Finding.Kind.PRIORITY_ACTION,
        number=1,
        text="Children at risk of exploitation wait too long at the front door.",
    )
    action.areas.add(finding)
    return finding


@pytest.fixture
def chair(make_person):
    return make_person(role=Person.Role.CHAIR)


def signed_off(area, chair, on=datetime.date(2021, 3, 12), body="the sub-group", evidence="An audit of 20 cases"):
    return finding_sign_off(finding=area, by=chair, signed_off_on=on, agreed_by_body=body, evidence=evidence)


def form_date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def sign_off_url(finding):
    return reverse("inspections:finding_sign_off", args=[finding.pk])


def reopen_url(finding):
    return reverse("inspections:finding_reopen", args=[finding.pk])


def text_of(response) -> str:
    """The page's words, without its markup."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# The record and its rules -------------------------------------------------------------------------------------


def test_a_sign_off_records_the_meeting_the_body_the_evidence_and_who_typed_it_in(area, chair):
    sign_off = finding_sign_off(
        finding=area,
        by=chair,
        signed_off_on=datetime.date(2021, 3, 12),
        agreed_by_body="  the S&CE   sub-group ",
        evidence="An audit of 20 front-door cases\n",
        note="Health attended every strategy meeting.",
    )
    assert (sign_off.signed_off_on, sign_off.agreed_by_body) == (datetime.date(2021, 3, 12), "the S&CE sub-group")
    assert (sign_off.evidence, sign_off.recorded_by) == ("An audit of 20 front-door cases", chair)
    assert sign_off.sentence == (
        "Priority area for action 1 was signed off as addressed by the S&CE sub-group on 12 March 2021."
    )
    assert sign_off.history.get().history_user == chair.user


def test_reopening_keeps_the_sign_off_and_closes_it_with_the_date_and_reason(area, chair):
    sign_off = signed_off(area, chair)
    finding_reopen(finding=area, by=chair, reopened_on=datetime.date(2021, 5, 4), reason="A re-audit found drift")
    sign_off.refresh_from_db()
    assert (sign_off.reopened_on, sign_off.reopened_reason, sign_off.reopened_by) == (
        datetime.date(2021, 5, 4),
        "A re-audit found drift",
        chair,
    )
    assert sign_off.history.latest().history_user == chair.user
    again = signed_off(area, chair, on=datetime.date(2021, 6, 1), evidence="A second re-audit")
    assert list(area.sign_offs.standing()) == [again]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "must be today or in the past"),
        (datetime.date(2019, 6, 16), r"cannot be before the inspection's fieldwork started \(17 June 2019\)"),
    ],
)
def test_a_sign_off_is_dated_between_the_inspection_and_today(area, chair, on, message):
    with pytest.raises(ValidationError, match=message):
        signed_off(area, chair, on=on)
    assert not FindingSignOff.objects.exists()


def test_a_finding_signed_off_is_not_signed_off_twice(area, chair):
    signed_off(area, chair)
    with pytest.raises(ValidationError, match="already signed off"):
        signed_off(area, chair, on=datetime.date(2021, 4, 1))
    assert FindingSignOff.objects.count() == 1


def test_a_new_sign_off_cannot_go_back_inside_an_earlier_one(area, chair):
    signed_off(area, chair)
    finding_reopen(finding=area, by=chair, reopened_on=datetime.date(2021, 5, 4), reason="Drift")
    with pytest.raises(ValidationError, match="a new sign-off must be dated on or after that"):
        signed_off(area, chair, on=datetime.date(2021, 4, 1))


def test_a_reopening_needs_a_reason_and_a_date_after_the_sign_off(area, chair):
    signed_off(area, chair)
    with pytest.raises(ValidationError, match="Give the reason"):
        finding_reopen(finding=area, by=chair, reopened_on=datetime.date(2021, 5, 4), reason="  ")
    with pytest.raises(ValidationError, match=r"cannot be before it was signed off \(12 March 2021\)"):
        finding_reopen(finding=area, by=chair, reopened_on=datetime.date(2021, 3, 11), reason="Drift")
    assert area.sign_offs.standing().exists()


def test_a_strength_is_never_signed_off(action, chair):
    strength = FindingFactory(inspection=action.plan.inspection, kind=Finding.Kind.STRENGTH)
    with pytest.raises(ValidationError, match="Only an area for improvement or a priority area"):
        signed_off(strength, chair)


def test_the_record_answers_was_it_signed_off_as_at_any_day(area, chair):
    signed_off(area, chair)  # 12 March 2021
    finding_reopen(finding=area, by=chair, reopened_on=datetime.date(2021, 5, 4), reason="Drift")
    inspection = area.inspection

    def as_at(day, **kwargs):
        return sign_off_states(inspection, day, **kwargs)[area.pk]

    assert not as_at(datetime.date(2021, 3, 11)).signed_off
    assert as_at(datetime.date(2021, 3, 12)).signed_off
    assert as_at(datetime.date(2021, 5, 3)).signed_off
    assert not as_at(datetime.date(2021, 5, 4)).signed_off
    assert as_at(datetime.date(2021, 5, 4)).summary == "Not signed off. Reopened on 4 May 2021: Drift"
    # Known on 1 June 2021 it was signed off as at 1 April; typed in on 15 June, known on 14 June it was not.
    assert as_at(datetime.date(2021, 4, 1), known_on=datetime.date(2021, 6, 15)).signed_off
    assert not as_at(datetime.date(2021, 4, 1), known_on=datetime.date(2021, 6, 14)).signed_off


# The screens --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Person.Role.CHAIR, Person.Role.MANAGER])
def test_the_chair_or_the_manager_signs_off_and_reopens_from_the_plan_page(client, action, area, make_person, role):
    client.force_login(make_person(role=role).user)
    plan_page = text_of(client.get(action.plan.get_absolute_url()))
    assert "Sign-off Not signed off Sign off priority area for action 1 as addressed" in plan_page

    page = client.get(sign_off_url(area))
    assert page.status_code == 200 and "Sign off priority area for action 1" in text_of(page)
    response = client.post(
        sign_off_url(area),
        {
            **form_date("signed_off_on", datetime.date(2021, 3, 12)),
            "agreed_by_body": "the S&CE sub-group",
            "evidence": "An audit of 20 front-door cases",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{action.plan.get_absolute_url()}#area-{area.pk}"
    plan_page = text_of(client.get(action.plan.get_absolute_url()))
    assert "Signed off as addressed by the S&CE sub-group on 12 March 2021" in plan_page
    assert "An audit of 20 front-door cases" in plan_page
    assert "Reopen priority area for action 1" in plan_page

    response = client.post(
        reopen_url(area), {**form_date("reopened_on", datetime.date(2021, 5, 4)), "reason": "A re-audit found drift"}
    )
    assert response.status_code == 302
    plan_page = text_of(client.get(action.plan.get_absolute_url()))
    assert "Not signed off. Reopened on 4 May 2021: A re-audit found drift" in plan_page
    assert FindingSignOff.objects.get().reopened_by.role == role


def test_the_form_says_what_is_wrong_beside_each_field(client, area, chair):
    client.force_login(chair.user)
    response = client.post(
        sign_off_url(area),
        {**form_date("signed_off_on", TODAY + datetime.timedelta(days=1)), "agreed_by_body": "", "evidence": ""},
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "<title>Error: Sign off priority area for action 1" in response.content.decode()
    assert "The date of the sign-off must be today or in the past" not in page  # the form's own errors first
    assert "Enter who agreed it, for example the sub-group" in page
    assert "Enter the evidence the sign-off was agreed on" in page

    response = client.post(
        sign_off_url(area),
        {**form_date("signed_off_on", TODAY + datetime.timedelta(days=1)), "agreed_by_body": "x", "evidence": "y"},
    )
    assert "The date of the sign-off must be today or in the past" in text_of(response)
    response = client.post(
        sign_off_url(area),
        {
            "signed_off_on_0": "30",
            "signed_off_on_1": "2",
            "signed_off_on_2": "2021",
            "agreed_by_body": "x",
            "evidence": "y",
        },
    )
    assert "Date of the meeting that agreed it must be a real date" in text_of(response)
    assert not FindingSignOff.objects.exists()


def test_a_reopening_before_the_sign_off_is_refused_on_the_form(client, area, chair):
    signed_off(area, chair)
    client.force_login(chair.user)
    response = client.post(reopen_url(area), {**form_date("reopened_on", datetime.date(2021, 1, 1)), "reason": "x"})
    assert response.status_code == 200
    assert "The date it was reopened cannot be before it was signed off (12 March 2021)" in text_of(response)
    assert area.sign_offs.standing().exists()


def test_signing_off_twice_or_reopening_what_is_not_signed_off_goes_back_to_the_plan(client, action, area, chair):
    client.force_login(chair.user)
    assert client.get(reopen_url(area))["Location"].startswith(action.plan.get_absolute_url())
    signed_off(area, chair)
    assert client.get(sign_off_url(area))["Location"].startswith(action.plan.get_absolute_url())


@pytest.mark.parametrize("role", [Person.Role.LEAD, Person.Role.VIEWER, Person.Role.OFFICER])
def test_a_lead_viewer_or_officer_is_refused(client, action, area, chair, make_person, role):
    client.force_login(make_person(role=role).user)
    assert "Sign off as addressed" not in client.get(action.plan.get_absolute_url()).content.decode()
    for url in (sign_off_url(area), reopen_url(area)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"agreed_by_body": "x", "evidence": "y", "reason": "z"}).status_code == 403
    signed_off(area, chair)
    assert client.post(reopen_url(area), {**form_date("reopened_on", TODAY), "reason": "z"}).status_code == 403
    assert area.sign_offs.standing().exists()


def test_another_partnership_gets_not_found(client, area, other_partnership_action):
    chair = other_partnership_action.lead
    chair.role = Person.Role.CHAIR
    chair.save()
    client.force_login(chair.user)
    for url in (sign_off_url(area), reopen_url(area)):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404


def test_a_strength_has_no_sign_off_page(client, action, chair):
    strength = FindingFactory(inspection=action.plan.inspection, kind=Finding.Kind.STRENGTH)
    client.force_login(chair.user)
    assert client.get(sign_off_url(strength)).status_code == 404


# As at a round: the board, the committee report, the exports ---------------------------------------------------


@pytest.fixture
def rounds(action, area):
    """March 2021, agreed at the sub-group's meeting of 24 March; June 2021, still open."""
    march = MonitoringRoundFactory(
        plan=action.plan,
        label="March 2021",
        period_end=datetime.date(2021, 3, 31),
        state=MonitoringRound.State.AGREED,
        subgroup_meeting_on=datetime.date(2021, 3, 24),
    )
    UpdateFactory(
        action=action,
        round=march,
        status=Update.Status.AGREED,
        proposed_quadrant=Quadrant.COMPLETE,
        agreed_quadrant=Quadrant.COMPLETE,
    )
    june = MonitoringRoundFactory(
        plan=action.plan, label="June 2021", period_end=datetime.date(2021, 6, 30), state=MonitoringRound.State.OPEN
    )
    return march, june


def board(client, plan, monitoring_round):
    response = client.get(reverse("reports:board_round", args=[plan.pk, monitoring_round.pk]))
    assert response.status_code == 200
    return text_of(response)


def test_the_board_lists_the_priority_areas_signed_off_as_at_the_round(client, action, area, chair, rounds):
    march, june = rounds
    ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency).areas.add(area)  # after March
    signed_off(area, chair, on=datetime.date(2021, 4, 20))  # after March's meeting
    client.force_login(chair.user)

    page = board(client, action.plan, march)
    panel = page[page.index("Priority areas for action As at") :]
    assert panel.startswith(
        "Priority areas for action As at 24 March 2021 (the sub-group's meeting): 0 of 1 signed off as addressed."
    )
    assert "Priority area for action 1 1 action. Not signed off" in panel  # March agreed one action

    page = board(client, action.plan, june)
    panel = page[page.index("Priority areas for action As at") :]
    assert panel.startswith("Priority areas for action As at 15 June 2021 (today): 1 of 1 signed off as addressed.")
    assert "Priority area for action 1 2 actions. Signed off as addressed by the sub-group on 20 April 2021" in panel


def test_a_sign_off_at_the_rounds_meeting_shows_on_that_round(client, action, area, chair, rounds):
    march, _ = rounds
    signed_off(area, chair, on=datetime.date(2021, 3, 24))
    client.force_login(chair.user)
    assert "1 of 1 signed off as addressed" in board(client, action.plan, march)


def test_an_endorsed_round_keeps_what_the_board_endorsed(client, action, area, chair, rounds):
    march, _ = rounds
    march.state, march.endorsed_on = MonitoringRound.State.ENDORSED, datetime.date(2021, 4, 7)
    march.save()
    signed_off(area, chair, on=datetime.date(2021, 3, 24))  # agreed at March's meeting, typed in on 15 June
    client.force_login(chair.user)
    assert "0 of 1 signed off as addressed" in board(client, action.plan, march)


def test_the_committee_report_says_which_priority_areas_were_signed_off_as_at_the_round(
    client, action, area, chair, rounds, make_person
):
    march, june = rounds
    signed_off(area, chair, on=datetime.date(2021, 3, 12), body="the S&CE sub-group")
    later = FindingFactory(inspection=action.plan.inspection, kind=Finding.Kind.PRIORITY_ACTION, number=2)
    action.areas.add(later)
    signed_off(later, chair, on=datetime.date(2021, 4, 20))
    client.force_login(make_person(role=Person.Role.VIEWER).user)

    page = text_of(client.get(reverse("reports:committee_report", args=[march.pk])))
    sentence = "Priority area for action 1 was signed off as addressed by the S&CE sub-group on 12 March 2021."
    assert sentence in page
    assert "Priority area for action 2 was signed off" not in page

    page = text_of(client.get(reverse("reports:committee_report", args=[june.pk])))
    assert sentence in page
    assert "Priority area for action 2 was signed off as addressed by the sub-group on 20 April 2021." in page


def test_the_round_exports_name_the_areas_signed_off_as_at_the_round(client, action, area, chair, rounds):
    march, june = rounds
    signed_off(area, chair, on=datetime.date(2021, 4, 20))
    client.force_login(chair.user)

    def areas_signed_off(monitoring_round):
        response = client.get(reverse("reports:round_csv", args=[monitoring_round.pk]))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        return [row["Areas signed off"] for row in rows]

    assert areas_signed_off(march) == [""]
    assert areas_signed_off(june) == ["P1: signed off as addressed by the sub-group on 20 April 2021"]


def test_an_endorsed_round_holds_its_areas_words_and_sign_offs_whatever_happens_later(
    client, action, area, chair, rounds
):
    from actions.services import round_endorse

    march, _ = rounds
    # Agreed at March's meeting and typed in today, before the board's endorsement is recorded (after the fact).
    signed_off(area, chair, on=datetime.date(2021, 3, 24))
    round_endorse(monitoring_round=march, by=chair, endorsed_on=datetime.date(2021, 4, 7), meeting="the NSCC executive")
    client.force_login(chair.user)

    def seen():
        report = text_of(client.get(reverse("reports:committee_report", args=[march.pk])))
        exported = client.get(reverse("reports:round_csv", args=[march.pk])).content.decode("utf-8-sig")
        return board(client, action.plan, march), report, exported

    before = seen()
    assert "Agreed by the sub-group on 24 March 2021 and endorsed by the NSCC executive on 7 April 2021." in before[0]
    assert "1 of 1 signed off as addressed" in before[0]
    assert "Children at risk of exploitation wait too long at the front door." in before[1]
    assert "Priority area for action 1 was signed off as addressed by the sub-group on 24 March 2021." in before[1]

    # Later: the area is reworded, reopened and a second area added and signed off.
    Finding.objects.filter(pk=area.pk).update(text="Reworded long afterwards.")
    finding_reopen(finding=area, by=chair, reopened_on=datetime.date(2021, 6, 1), reason="Re-audit found gaps.")
    second = FindingFactory(inspection=action.plan.inspection, kind=Finding.Kind.PRIORITY_ACTION, number=2)
    action.areas.add(second)
    signed_off(second, chair, on=datetime.date(2021, 3, 20))

    assert seen() == before
    assert "Reworded" not in before[1] and "Priority area for action 2" not in before[0]
