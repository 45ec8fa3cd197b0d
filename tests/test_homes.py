"""Each person's home says what they need to do next: a section per part they play, most urgent first.

Read on a day in June 2030 from a partnership built through the services (tests/homes.py), with a second
partnership beside it whose rows must never show.
"""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from actions.models import Action, ReminderLog, Update
from people.models import Person
from reports.selectors import round_figures
from tests.email_backends import REFUSED_DOMAIN, REFUSING
from tests.homes import OPEN_DEADLINE, TODAY, build_world, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world("Tynedale")


@pytest.fixture
def other():
    return build_world("Wansbeck", plans=1, actions_per_plan=4)


def home(client, person, day=TODAY):
    with on(day):
        client.force_login(person.user)  # signed in that day: a session ends 12 hours after sign-in
        response = client.get("/")
    assert response.status_code == 200
    return response


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def section_order(response) -> list[str]:
    return re.findall(r'<section class="app-home-section" id="([a-z_]+)"', response.content.decode())


def assert_nothing_of(other_world, page: str):
    assert other_world.partnership.name not in page
    for plan in other_world.plans:
        assert plan.title not in page
    for person in [other_world.manager, other_world.chair, *other_world.leads]:
        assert person.name not in page


# The action lead ----------------------------------------------------------------------------------------


def test_a_lead_sees_each_update_due_with_its_deadline_and_state_in_words(client, world, other):
    lead = world.leads[0]
    response = home(client, lead)
    page, words = response.content.decode(), text(response)
    assert section_order(response) == ["updates", "plans"]
    mine = [a for a in world.actions[world.plans[0].pk] if a.lead_id == lead.pk]  # the open round's plan
    states = {0: "Not started", 1: "In progress", 2: "Submitted", 3: "Agreed"}
    for action in mine:
        n = int(action.reference.split(".")[1]) - 1
        assert f"{action.reference} {action.description}" in words
        item = re.search(rf"{re.escape(action.description)}</a>.*?</li>", page, re.S).group(0)
        assert f">{states[n % 4]}</strong>" in item
        if n % 4 in (0, 1):  # not submitted, deadline passed: said in words, and the link writes the update
            assert f"<strong>Overdue</strong>: the June 2030 update was due on {OPEN_DEADLINE:%-d %B %Y}." in item
            assert reverse("actions:update", args=[action.pk]) in page
    # Each link's name says what it does: 1.1 not started, 1.10 in draft, 1.7 submitted, 1.4 agreed.
    assert "Write update for 1.1 Tynedale plan 1 action 1" in words
    assert "Continue update for 1.10 Tynedale plan 1 action 10" in words
    sent = next(a for a in mine if a.reference == "1.7")  # to its page, which changes a submitted update
    assert f'href="{reverse("actions:detail", args=[sent.pk])}"' in page
    assert "June 2030: agreed as Green." in words
    submitted = sum(1 for a in mine if (int(a.reference.split(".")[1]) - 1) % 4 >= 2)
    assert f"{submitted} of {len(mine)} updates submitted." in words
    assert_nothing_of(other, page)


def test_my_actions_groups_what_needs_doing_with_the_name_as_the_link(client, world):
    lead = world.leads[0]
    with on(TODAY):
        client.force_login(lead.user)
        words = text(client.get(reverse("actions:mine")))
    assert words.index("Updates to write") < words.index("Submitted, waiting for the sense check")
    assert words.index("Submitted, waiting for the sense check") < words.index("Nothing to do now")
    assert "You have 2 updates to write." in words
    # The plan with no open round: nothing to do, said so.
    assert "No round is open for updates. Last agreed:" in words
    assert "Action overdue: its target date" in words


# The sub-group chair -------------------------------------------------------------------------------------


def test_a_chair_sees_rounds_to_decide_and_rounds_waiting_for_the_board(client, world, other):
    response = home(client, world.chair)
    page, words = response.content.decode(), text(response)
    assert section_order(response) == ["sense_check", "plans"]
    in_check = world.sense_check[0]
    card = re.search(rf'id="sense-check-{in_check.pk}".*?</a>\s*</div>\s*</div>', page, re.S).group(0)
    assert "Ready for the sense check" in card
    assert "3 of 12 decided" in card
    assert reverse("actions:sense_check_start", args=[in_check.pk]) in card
    assert "Continue the sense check" in card
    open_card = re.search(rf'id="sense-check-{world.open_round.pk}".*?</a>\s*</div>\s*</div>', page, re.S).group(0)
    assert "3 of 12 decided" in open_card and "Open for updates until 15 June 2030" in open_card
    assert "Agreed, waiting for the board's endorsement" in words
    assert (
        f"{world.agreed[0].label} round of {world.agreed[0].plan.title}: agreed by the sub-group on 20 April 2030"
        in words
    )
    assert_nothing_of(other, page)


# The partnership manager --------------------------------------------------------------------------------


def test_a_manager_sees_each_open_round_s_progress_and_who_has_not_started(client, world, other):
    response = home(client, world.manager)
    page = response.content.decode()
    # The deadline has passed with updates missing: chasing them comes first.
    assert section_order(response)[0] == "chase"
    assert "Set up your partnership" not in page  # set up already
    card = re.search(rf'id="round-{world.open_round.pk}".*?</form>', page, re.S).group(0)
    card_words = " ".join(strip_tags(card).split())
    assert "Updates due 15 June 2030: overdue" in card_words
    assert "Submitted 6 of 12 (3 agreed already)" in card_words
    assert "In draft, not submitted 3" in card_words
    assert "Not started 3" in card_words
    actions = world.actions[world.plans[0].pk]
    for n in (0, 4, 8):  # not started, each under its lead's name
        lead = actions[n].lead
        assert re.search(
            rf"{re.escape(lead.name)}</strong> \([^)]*\):.*?>{re.escape(actions[n].reference)}<", card, re.S
        )
    assert "Send a reminder now" in card
    assert reverse("actions:round_remind", args=[world.open_round.pk]) in card
    assert_nothing_of(other, page)


def test_the_manager_s_set_up_task_list_stays_until_set_up_is_complete(client, world):
    world.partnership.board_name = ""  # "Partnership details" is not complete
    world.partnership.save()
    response = home(client, world.manager)
    assert "Set up your partnership" in response.content.decode()
    assert "5 of 6 tasks completed" in text(response)
    assert "Set up your partnership" not in home(client, world.chair).content.decode()


# The report officer -------------------------------------------------------------------------------------


def test_an_officer_sees_reports_to_write_and_meetings_coming(client, world, other):
    response = home(client, world.officer)
    page, words = response.content.decode(), text(response)
    # A meeting ten days away with its report unpublished is urgent.
    assert section_order(response) == ["reports", "plans"]
    second = world.plans[1]
    agreed = world.agreed[0]
    assert reverse("reports:committee_report_edit", args=[agreed.pk]) in page  # not started: straight to the form
    assert f"{agreed.label} committee report" in words
    draft = world.draft_report
    assert reverse("reports:committee_report", args=[draft.round_id]) in page
    assert f"{draft.title}" in words and "Draft, not published" in words
    meeting = re.search(rf"<dt[^>]*>{draft.meeting_date:%-d %B %Y}</dt>(.*?)</dd>", page, re.S).group(1)
    assert draft.title in meeting and "Children&#x27;s Scrutiny Committee" in meeting
    assert "Not yet published" in meeting
    published_round = world.endorsed[world.plans[0].pk]
    assert reverse("reports:committee_report_edit", args=[published_round.pk]) not in page
    assert second.title in words
    assert_nothing_of(other, page)


# Everyone ----------------------------------------------------------------------------------------------


def test_a_viewer_sees_the_latest_endorsed_board_as_at_its_round_and_published_reports(client, world, other):
    plan = world.plans[0]
    endorsed = world.endorsed[plan.pk]
    figures = round_figures(plan, endorsed)
    # Long after the endorsement, every action is reworded and completed: the round's figures never move.
    Action.objects.filter(plan=plan).update(description="Reworded", completed_on=TODAY, sustainability_plan="x")
    response = home(client, world.viewer)
    page, words = response.content.decode(), text(response)
    assert section_order(response) == ["plans"]
    assert "Nothing needs doing by you now." in words
    assert reverse("reports:board_round", args=[plan.pk, endorsed.pk]) in page
    assert f"{endorsed.label} quadrant board, endorsed by the board on" in words
    assert f"{figures.complete_percent}% of actions complete ({figures.denominator})" in words
    assert round_figures(plan, endorsed) == figures
    assert reverse("reports:published_pdf", args=[world.published.pk]) in page
    assert f"{world.published.title} (PDF, version 1)" in words
    assert_nothing_of(other, page)


def test_someone_with_several_parts_sees_each_most_urgent_first(client, world):
    """A chair who also leads an action in the overdue round: their own overdue update comes first."""
    action = world.actions[world.plans[0].pk][0]  # not started, overdue
    Action.objects.filter(pk=action.pk).update(lead=world.chair, lead_agency=world.chair.agency)
    assert section_order(home(client, world.chair)) == ["updates", "sense_check", "plans"]
    # The manager plays the chair's and the officer's parts too.
    assert set(section_order(home(client, world.manager))) == {"chase", "sense_check", "reports", "plans"}


# Queries ------------------------------------------------------------------------------------------------


def _queries(client, person) -> int:
    with on(TODAY):
        client.force_login(person.user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
    return len(captured)


#: The most any role's home may take, however much data the partnership has.
HOME_QUERIES = 40
ROLES = ["lead", "chair", "manager", "officer", "viewer"]


def test_each_home_reads_the_same_number_of_queries_for_a_small_and_a_large_partnership(
    client, django_assert_max_num_queries
):
    """Two plans of 8 actions with 2 endorsed rounds, against 3 plans of 24 actions with 4 endorsed rounds."""

    def who(world, role):
        return world.leads[0] if role == "lead" else getattr(world, role)

    small = build_world("Small", plans=2, actions_per_plan=8, endorsed_rounds=2)
    large = build_world("Large", plans=3, actions_per_plan=24, endorsed_rounds=4)
    counts = {role: (_queries(client, who(small, role)), _queries(client, who(large, role))) for role in ROLES}
    assert {role: small for role, (small, large) in counts.items() if small != large} == {}, counts
    for role in ROLES:
        with on(TODAY):
            client.force_login(who(large, role).user)
            with django_assert_max_num_queries(HOME_QUERIES):
                client.get("/")


# Send a reminder now ------------------------------------------------------------------------------------


def remind(client, person, monitoring_round, day=TODAY, hour=12):
    with on(day, hour):
        client.force_login(person.user)
        return client.post(reverse("actions:round_remind", args=[monitoring_round.pk]), follow=True)


def test_send_a_reminder_now_emails_the_leads_who_have_not_submitted_once_a_day(client, world):
    open_round = world.open_round
    actions = world.actions[world.plans[0].pk]
    unsubmitted = [a for n, a in enumerate(actions) if n % 4 in (0, 1)]
    expected = {a.lead.user.email for a in unsubmitted}

    response = remind(client, world.manager, open_round, hour=9)
    assert {tuple(m.to) for m in mail.outbox} == {(email,) for email in expected}
    assert len(mail.outbox) == len(expected)
    for message in mail.outbox:
        lead = Person.objects.get(user__email=message.to[0])
        assert message.subject == "Overdue: your June 2030 updates were due on 15 June 2030"
        assert f"{world.manager.name} asks you to submit your updates for the June 2030 round" in message.body
        for action in unsubmitted:
            assert (action.description in message.body) == (action.lead_id == lead.pk)
    names = ", ".join(sorted(Person.objects.get(user__email=e).name for e in expected))
    assert f"Reminder about June 2030 sent to {len(expected)} leads: " in text(response)
    assert sorted(text(response).split("leads: ")[1].split(".")[0].split(", ")) == names.split(", ")
    logs = ReminderLog.objects.filter(round=open_round, kind=ReminderLog.Kind.CHASED)
    assert {log.sent_by for log in logs} == {world.manager} and logs.count() == len(expected)
    assert "The last reminder was sent today at 9:00am by Mary Tynedale-Manager." in text(
        home(client, world.manager, TODAY)
    )

    # Later the same day, anyone pressing again is told when and by whom, and nothing is sent.
    other_manager = Person.objects.create(
        user=type(world.manager.user).objects.create_user("second-manager", "second@example.invalid"),
        partnership=world.partnership,
        agency=world.manager.agency,
        role=Person.Role.MANAGER,
    )
    response = remind(client, other_manager, open_round, hour=17)
    assert (
        "A reminder about June 2030 was already sent today at 9:00am by Mary Tynedale-Manager. "
        "Nothing was sent: you can send the next one tomorrow." in text(response)
    )
    assert len(mail.outbox) == len(expected)

    # The next day it goes again, to those still not submitted.
    Update.objects.filter(round=open_round, action=unsubmitted[0]).delete()  # (no change in who is missing)
    response = remind(client, world.manager, open_round, day=TODAY + datetime.timedelta(days=1), hour=8)
    assert len(mail.outbox) == 2 * len(expected)
    assert "Reminder about June 2030 sent to" in text(response)


def test_a_reminder_that_cannot_be_sent_to_one_lead_says_so_and_keeps_the_days_record(client, world, settings):
    actions = world.actions[world.plans[0].pk]
    unsubmitted = [a for n, a in enumerate(actions) if n % 4 in (0, 1)]
    leads = {a.lead for a in unsubmitted}
    refused = unsubmitted[0].lead
    refused.user.email = f"{refused.user.username}@{REFUSED_DOMAIN}"
    refused.user.save()
    settings.EMAIL_BACKEND = REFUSING

    response = remind(client, world.manager, world.open_round, hour=9)
    assert response.status_code == 200
    assert {m.to[0] for m in mail.outbox} == {lead.user.email for lead in leads - {refused}}
    page = text(response)
    assert f"Reminder about June 2030 sent to {len(leads) - 1} of {len(leads)} leads: " in page
    assert (
        f"The email to {refused.name} could not be sent: contact them another way, or send a reminder again tomorrow."
        in page
    )
    logs = ReminderLog.objects.filter(round=world.open_round, kind=ReminderLog.Kind.CHASED)
    assert set(logs.values_list("person", flat=True)) == {lead.pk for lead in leads - {refused}}

    # What was sent is the day's reminder: pressing again sends nobody a second copy.
    response = remind(client, world.manager, world.open_round, hour=10)
    assert "was already sent today at 9:00am by Mary Tynedale-Manager" in text(response)
    assert len(mail.outbox) == len(leads) - 1


def test_a_reminder_that_could_not_be_sent_to_anyone_records_nothing(client, world, settings):
    actions = world.actions[world.plans[0].pk]
    leads = {a.lead for n, a in enumerate(actions) if n % 4 in (0, 1)}
    for lead in leads:
        lead.user.email = f"{lead.user.username}@{REFUSED_DOMAIN}"
        lead.user.save()
    settings.EMAIL_BACKEND = REFUSING

    response = remind(client, world.manager, world.open_round, hour=9)
    assert response.status_code == 200
    assert "The reminder about June 2030 could not be sent to " in text(response)
    assert "Nothing was sent, so you can try again later." in text(response)
    assert mail.outbox == [] and not ReminderLog.objects.filter(kind=ReminderLog.Kind.CHASED).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    response = remind(client, world.manager, world.open_round, hour=10)
    assert f"Reminder about June 2030 sent to {len(leads)} leads" in text(response)
    assert len(mail.outbox) == len(leads)


def test_nobody_but_the_manager_may_send_a_reminder(client, world):
    for person in (world.chair, world.officer, world.viewer, world.leads[0]):
        with on(TODAY):
            client.force_login(person.user)
            assert client.post(reverse("actions:round_remind", args=[world.open_round.pk])).status_code == 403
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_no_reminder_for_a_round_not_open_or_with_every_update_in(client, world):
    response = remind(client, world.manager, world.sense_check[0])
    assert "May 2030 is not open for updates, so no reminder was sent." in text(response)
    Update.objects.filter(round=world.open_round).update(status=Update.Status.SUBMITTED, proposed_quadrant="green")
    for action in world.actions[world.plans[0].pk]:
        Update.objects.get_or_create(
            round=world.open_round, action=action, defaults={"status": "submitted", "proposed_quadrant": "green"}
        )
    response = remind(client, world.manager, world.open_round)
    assert "Every lead has submitted their June 2030 updates: there is nobody to remind." in text(response)
    assert mail.outbox == []
    assert "Every update is in." in text(home(client, world.manager))
