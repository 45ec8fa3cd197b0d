"""In a real browser: three monthly rounds of 2021 entered long after the fact, by the people who run them.

The manager creates and opens each round, the two leads write and submit their updates (one action is
agreed complete in February, another in March with the day it was achieved), the sub-group chair runs the
sense check and closes each round with the meeting's date, the manager records the board's endorsement, the
chair signs the priority area for action off as addressed before March is endorsed, and the report officer
publishes March's committee report. Today is whatever the clock says: every date the PDF and the database
hold is one typed into the date boxes, never the day it was typed.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions import services
from actions.models import Action, MonitoringRound, Update
from inspections.models import Agency, Finding, FindingSignOff
from people.models import Person
from reports.models import PublishedReport
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    InspectionFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.reading import pdf_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_TITLE = "Exploitation action plan"
BOARD = "the Safeguarding Partnership Executive"
COMMITTEE = "Children's Services Overview and Scrutiny Committee"
COMMITTEE_MEETING = datetime.date(2021, 5, 27)
SIGNED_OFF_ON = datetime.date(2021, 4, 12)  # the March round's sub-group meeting
P1_2_ACHIEVED = datetime.date(2021, 3, 25)  # the lead's own date: before the meeting that agrees it

DESCRIPTIONS = {
    "P1.1": "Commission return home interviews within 72 hours.",
    "P1.2": "Share missing episodes with the police daily.",
    "1.1": "Train health staff on exploitation screening.",
    "1.2": "Add health to the daily exploitation meeting.",
}

GREEN, YELLOW, AMBER, RED, COMPLETE = "● Green", "▲ Yellow", "◆ Amber", "■ Red", "✔ Blue (complete)"


@dataclass(frozen=True)
class Round:
    label: str
    period_end: datetime.date
    deadline: datetime.date
    meeting: datetime.date  # the sub-group's sense-check meeting
    endorsed: datetime.date  # the board's meeting
    #: Each lead's updates: action reference -> the quadrant the lead proposes (and the sub-group agrees).
    updates: dict[str, str]


ROUNDS = [
    Round(
        "January 2021",
        datetime.date(2021, 1, 31),
        datetime.date(2021, 2, 5),
        datetime.date(2021, 2, 10),
        datetime.date(2021, 2, 17),
        {"P1.1": AMBER, "1.1": YELLOW, "P1.2": RED, "1.2": AMBER},
    ),
    Round(
        "February 2021",
        datetime.date(2021, 2, 28),
        datetime.date(2021, 3, 5),
        datetime.date(2021, 3, 10),
        datetime.date(2021, 3, 17),
        {"P1.1": COMPLETE, "1.1": GREEN, "P1.2": AMBER, "1.2": YELLOW},
    ),
    Round(
        "March 2021",
        datetime.date(2021, 3, 31),
        datetime.date(2021, 4, 5),
        datetime.date(2021, 4, 12),
        datetime.date(2021, 4, 20),
        {"1.1": GREEN, "P1.2": COMPLETE, "1.2": GREEN},  # P1.1 was agreed complete in February
    ),
]
FEBRUARY, MARCH = ROUNDS[1], ROUNDS[2]


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def appendix_b_completion(reference: str, agency: str, day: str) -> str:
    """A pattern for an action's facts in the report's Appendix B, up to the day it was completed."""
    return re.escape(
        f"{reference} {DESCRIPTIONS[reference]} Lead agency: {agency} · Target date: 30 June 2021 · "
        f"Quadrant: Blue (complete) Completed on {day}"
    )


def summary_value(page, key: str):
    """The value beside ``key`` in the page's summary list."""
    row = page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=re.compile(f"^{key}$")))
    return row.locator("dd").first


@pytest.fixture
def plan():
    """A plan of four actions: two answer priority area for action 1, two area for improvement 1."""
    partnership = PartnershipFactory(
        name="Tynedale Safeguarding Children Partnership",
        local_authority="Tynedale Council",
        board_name="Safeguarding Partnership Executive",
    )
    council = AgencyFactory(partnership=partnership, name="Tynedale Council", short_name="TC")
    police = AgencyFactory(partnership=partnership, name="Northumbria Police", short_name="NP", kind=Agency.Kind.POLICE)

    def person(username, first, last, role, agency=council):
        user = UserFactory(username=username, first_name=first, last_name=last)
        return PersonFactory(user=user, partnership=partnership, agency=agency, role=role)

    people = {
        "manager": person("manager", "Morgan", "Hale", Person.Role.MANAGER),
        "chair": person("chair", "Chris", "Ward", Person.Role.CHAIR, police),
        "officer": person("officer", "Olive", "Grant", Person.Role.OFFICER),
        "council lead": person("councillead", "Lena", "Shaw", Person.Role.LEAD),
        "police lead": person("policelead", "Pat", "Doyle", Person.Role.LEAD, police),
    }
    inspection = InspectionFactory(partnership=partnership)
    priority = FindingFactory(
        inspection=inspection,
        kind=Finding.Kind.PRIORITY_ACTION,
        number=1,
        text="Leaders should make sure that children missing from home are offered a timely return home interview.",
    )
    improvement = FindingFactory(
        inspection=inspection,
        kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
        number=1,
        text="Health partners should share information about children at risk of exploitation promptly.",
    )
    plan = ActionPlanFactory(inspection=inspection, title=PLAN_TITLE)
    for position, (reference, lead, area) in enumerate(
        [
            ("P1.1", "council lead", priority),
            ("P1.2", "police lead", priority),
            ("1.1", "council lead", improvement),
            ("1.2", "police lead", improvement),
        ]
    ):
        action = ActionFactory(
            plan=plan,
            reference=reference,
            position=position,
            description=DESCRIPTIONS[reference],
            lead=people[lead],
            lead_agency=people[lead].agency,
            target_date=datetime.date(2021, 6, 30),
        )
        action.areas.set([area])
    return plan, people, priority


def test_three_back_entered_rounds_a_sign_off_and_the_published_report(page, sign_in, plan, axe_violations):
    plan, people, priority = plan
    today = timezone.localdate()
    leads_of = {
        action.reference: action.lead for action in Action.objects.filter(plan=plan).select_related("lead__user")
    }

    def switch_to(role: str):
        # Load home first, so the sign-out button is not clicked on a page a link is still leaving.
        page.goto("/")
        if page.get_by_role("button", name="Sign out").count():
            page.get_by_role("button", name="Sign out").click()
            expect(page).to_have_title(re.compile("^Sign in"))
        sign_in(people[role].user)

    for number, this in enumerate(ROUNDS, start=1):
        # The manager creates the round for a month long past and opens it for updates.
        switch_to("manager")
        if number > 1:
            endorse(page, ROUNDS[number - 2])
        page.get_by_role("link", name="Set up", exact=True).click()
        page.get_by_role("link", name=PLAN_TITLE).click()
        page.get_by_role("link", name="Add a monitoring round").click()
        page.get_by_label("Name of the round").fill(this.label)
        fill_date(page, "End of the period", this.period_end)
        fill_date(page, "Update deadline", this.deadline)
        page.get_by_label("Monthly").check()
        if number == 1:
            assert axe_violations(page) == []
        page.get_by_role("button", name="Create round").click()
        expect(page.get_by_text(f"{this.label} round created as a draft.")).to_be_visible()
        if number == 1:
            assert axe_violations(page) == []  # the round page, as the manager sees a draft
        page.get_by_role("button", name="Open the round for updates").click()
        expect(page.get_by_text(f"{this.label}: open for updates.")).to_be_visible()

        # Each lead writes and submits an update on each of their actions still open.
        for lead in ("council lead", "police lead"):
            switch_to(lead)
            page.get_by_role("link", name="My actions").click()
            if number == 3 and lead == "council lead":
                # Agreed complete at February's meeting: dated by that meeting, and not asked about again.
                expect(page.get_by_text(f"Completed {FEBRUARY.meeting:%-d %B %Y}: no update needed")).to_be_visible()
                expect(page.get_by_role("link", name="Write update for P1.1")).to_have_count(0)
            for reference, quadrant in this.updates.items():
                if leads_of[reference] != people[lead]:
                    continue
                axe = axe_violations if number == 2 and reference == "P1.1" else None
                write_update(page, this, reference, quadrant, axe=axe)

        # The chair runs the sense check, agreeing each lead's quadrant, and closes the round.
        switch_to("chair")
        page.get_by_role("link", name=this.label, exact=True).click()
        expect(page).to_have_title(re.compile(f"^{this.label} round"))
        page.get_by_role("button", name="Stop updates and start the sense check").click()
        expect(page.get_by_text(f"{this.label}: updates have stopped and the sense check has started.")).to_be_visible()
        page.get_by_role("link", name="Run the sense check").click()
        sense_check(page, this, axe=axe_violations if number == 2 else None)
        page.get_by_role("link", name="Close the round").click()
        carried = ", 1 complete already (carried forward)" if number == 3 else ""
        expect(summary_value(page, "Actions")).to_have_text(f"4 actions: {len(this.updates)} agreed{carried}")
        if number == 1:
            assert axe_violations(page) == []  # the round page with the close form
        fill_date(page, "Date of the sub-group meeting", this.meeting)
        page.get_by_role("button", name="Close the round").click()
        expect(page.get_by_text(f"{this.label} closed: every quadrant is agreed.")).to_be_visible()
        expect(summary_value(page, "Sub-group agreed")).to_contain_text(long_date(this.meeting))
        if number == 3:
            # Before March is endorsed: the priority area for action is signed off as addressed at its meeting.
            sign_off_priority_area(page, axe_violations)

    switch_to("manager")
    endorse(page, MARCH)

    pdf, pdf_text = publish_the_march_report(page, switch_to)

    # The PDF: the sign-off, the completion dates and the endorsement, each as recorded on the round.
    assert "Priority area for action 1 was signed off as addressed by the sub-group on 12 April 2021." in pdf_text
    assert (
        "The sub-group agreed the quadrant of every action on 12 April 2021, and the Safeguarding Partnership "
        "Executive endorsed the progress report on 20 April 2021." in pdf_text
    )

    # Appendix B: P1.1 dated by February's meeting (so "in an earlier round"), P1.2 by the day its lead said
    # it was achieved.
    p1_1 = appendix_b_completion("P1.1", "Tynedale Council", "10 March 2021")
    p1_2 = appendix_b_completion("P1.2", "Northumbria Police", "25 March 2021")
    assert re.search(p1_1 + r" \(in an earlier round\)\.", pdf_text)
    assert re.search(p1_2 + r"\. Evidence: ", pdf_text)
    assert re.findall(r"Completed on (\d{1,2} \w+ \d{4})", pdf_text) == ["10 March 2021", "25 March 2021"]
    assert f"Completed on {long_date(today)}" not in pdf_text
    assert "Status: 2 actions: 2 blue (complete)." in pdf_text
    assert "Monitoring round March 2021 (endorsed by board)" in pdf_text
    assert f"Date of meeting {long_date(COMMITTEE_MEETING)}" in pdf_text

    # The database holds the dates typed, never the day they were typed in.
    rounds = list(MonitoringRound.objects.filter(plan=plan).order_by("period_end"))
    assert [r.label for r in rounds] == [this.label for this in ROUNDS]
    for saved, this in zip(rounds, ROUNDS, strict=True):
        assert saved.state == MonitoringRound.State.ENDORSED
        assert (saved.period_end, saved.update_deadline) == (this.period_end, this.deadline)
        assert saved.subgroup_meeting_on == this.meeting != today
        assert saved.endorsed_on == this.endorsed != today
        assert saved.endorsement_meeting == BOARD
        assert not Update.objects.filter(round=saved).exclude(status=Update.Status.AGREED).exists()
    completed = dict(Action.objects.filter(plan=plan).values_list("reference", "completed_on"))
    assert completed == {"P1.1": FEBRUARY.meeting, "P1.2": P1_2_ACHIEVED, "1.1": None, "1.2": None}
    sign_off = FindingSignOff.objects.get(finding=priority)
    assert (sign_off.signed_off_on, sign_off.agreed_by_body) == (SIGNED_OFF_ON, "the sub-group")
    assert sign_off.recorded_by == people["chair"]
    assert today not in {sign_off.signed_off_on, *completed.values()}
    published = PublishedReport.objects.get(report__round=rounds[2])
    assert (published.version, published.committee, published.meeting_date) == (1, COMMITTEE, COMMITTEE_MEETING)
    assert hashlib.sha256(pdf).hexdigest() == published.sha256  # the file downloaded is the one published


def write_update(page, this: Round, reference: str, quadrant: str, *, axe=None) -> None:
    page.get_by_role("link", name=f"Write update for {reference}").click()
    expect(page).to_have_title(re.compile(f"^Update {re.escape(reference)} for {this.label}"))
    if axe:
        assert axe(page) == []
    page.get_by_label("Progress").fill(f"{reference}: what was done in {this.label}.")
    page.get_by_label("Next steps").fill("Report again next month.")
    page.get_by_label(quadrant).check()
    if quadrant == COMPLETE:
        page.get_by_label("Evidence", exact=True).fill(f"Audit of every case in {this.label}.")
        page.get_by_label("Sustainability plan").fill("Re-audited every six months by the sub-group.")
        if reference == "P1.2":
            fill_date(page, "When was it achieved? (optional)", P1_2_ACHIEVED)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(f"^Check your update on {re.escape(reference)}"))
    page.get_by_role("button", name="Submit update").click()
    expect(page.get_by_text(f"Update on {reference} submitted to the sub-group.")).to_be_visible()


def sense_check(page, this: Round, *, axe=None) -> None:
    """From the jump list, decide every action not decided yet, choosing the lead's proposal (nothing is chosen
    for the chair); an action completed in an earlier round is decided already, carried forward."""
    carried = 4 - len(this.updates)
    expect(page.locator("#decided-count")).to_have_text(f"{carried} of 4 decided")
    page.get_by_role("link", name=re.compile("Go to the next action not decided yet")).click()
    for decided in range(carried, 4):
        if axe and decided == carried:
            assert axe(page) == []
        heading = page.locator(".govuk-caption-l").inner_text()
        reference = re.search(r"action (\S+) ·", heading).group(1)
        proposal = page.get_by_role("radio", name=this.updates[reference], exact=True)
        expect(proposal).not_to_be_checked()
        expect(page.locator("#leads-proposal")).to_contain_text(this.updates[reference])
        proposal.check()
        page.get_by_role("button", name="Record decision", exact=True).click()
        expect(page.get_by_text(f"Decision on {reference} recorded.")).to_be_visible()
    expect(page.locator("#decided-count")).to_have_text("4 of 4 decided")
    expect(page.get_by_text("Every action has a decision.")).to_be_visible()


def sign_off_priority_area(page, axe_violations) -> None:
    page.get_by_role("link", name=PLAN_TITLE).first.click()
    page.get_by_role("link", name="Sign off priority area for action 1 as addressed").click()
    assert axe_violations(page) == []
    fill_date(page, "Date of the meeting that agreed it", SIGNED_OFF_ON)
    expect(page.get_by_label("Who agreed it")).to_have_value("the sub-group")
    page.get_by_label("Evidence").fill("P1.1 and P1.2 complete; the March audit found every interview on time.")
    page.get_by_label("Note (optional)").fill("Re-audit in October.")
    page.get_by_role("button", name="Sign off", exact=True).click()
    expect(page.get_by_text("Priority area for action 1 signed off as addressed.")).to_be_visible()
    expect(page.get_by_text("Signed off as addressed by the sub-group on 12 April 2021")).to_be_visible()


def endorse(page, this: Round) -> None:
    """The manager records the board's endorsement of a round the sub-group has agreed (a chair may too)."""
    page.get_by_role("link", name=this.label, exact=True).click()
    fill_date(page, "Date the partnership board endorsed the round", this.endorsed)
    page.get_by_label("Body that endorsed the round").fill(BOARD)
    page.get_by_role("button", name="Record endorsement").click()
    expect(page.get_by_text(f"{this.label} endorsed. Its figures are now fixed.")).to_be_visible()
    expect(summary_value(page, "Endorsed")).to_contain_text(f"{long_date(this.endorsed)} by {BOARD}")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home", exact=True).click()
    expect(page).to_have_title(re.compile("^What needs doing"))


def publish_the_march_report(page, switch_to) -> tuple[bytes, str]:
    """The officer edits, publishes and downloads March's committee report: the PDF and its words."""
    switch_to("officer")
    page.get_by_role("link", name=MARCH.label, exact=True).click()
    page.get_by_role("link", name=f"Committee report for {MARCH.label}").click()
    # The page already says it, before anything is saved.
    expect(
        page.get_by_text("Priority area for action 1 was signed off as addressed by the sub-group on 12 April 2021.")
    ).to_have_count(2)  # under the priority areas for action, and in Appendix B
    page.get_by_role("link", name="Edit the report").click()
    page.get_by_label("Committee", exact=True).fill(COMMITTEE)
    fill_date(page, "Date of the meeting", COMMITTEE_MEETING)
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("Report saved.")).to_be_visible()
    page.get_by_role("link", name="Check and publish").click()
    page.get_by_role("button", name="Publish version 1").click(no_wait_after=True)
    expect(page.get_by_text(f"Version 1 published for {COMMITTEE}")).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of version 1").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    return content, pdf_words(content)


QUADRANT_KEYS = {GREEN: "green", YELLOW: "yellow", AMBER: "amber", RED: "red", COMPLETE: "complete"}


def test_a_closed_round_says_an_action_carried_forward_was_completed_in_an_earlier_round(page, sign_in, plan):
    """March carries forward P1.1, agreed complete at February's meeting: its report should say so."""
    plan, people, _priority = plan
    manager, chair = people["manager"], people["chair"]
    actions = {action.reference: action for action in Action.objects.filter(plan=plan)}
    for this in (FEBRUARY, MARCH):  # set up as the first test enters them in the browser
        monitoring_round = services.round_create(
            plan=plan,
            by=manager,
            label=this.label,
            period_end=this.period_end,
            update_deadline=this.deadline,
            cadence=MonitoringRound.Cadence.MONTHLY,
        )
        services.round_set_state(monitoring_round=monitoring_round, by=manager, state=MonitoringRound.State.OPEN)
        for reference, quadrant in this.updates.items():
            action = actions[reference]
            fields = {"narrative": f"What was done in {this.label}.", "proposed_quadrant": QUADRANT_KEYS[quadrant]}
            if quadrant == COMPLETE:
                fields.update(evidence="Audit", sustainability_plan="Re-audit")
            services.update_save(
                action=action,
                monitoring_round=monitoring_round,
                by=action.lead,
                expected_version=0,
                fields=fields,
                submit=True,
            )
            services.update_agree(
                action=action, monitoring_round=monitoring_round, by=chair, quadrant=QUADRANT_KEYS[quadrant]
            )
        services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=this.meeting)

    sign_in(people["officer"].user)
    page.get_by_role("link", name=MARCH.label, exact=True).click()
    page.get_by_role("link", name=f"Committee report for {MARCH.label}").click()
    report = " ".join(page.locator("main").inner_text().split())
    assert "Completed on 10 March 2021." not in report  # P1.1 was not completed in March
    assert "Completed on 10 March 2021 (in an earlier round)." in report
