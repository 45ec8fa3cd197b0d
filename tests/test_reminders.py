"""send_reminders: one email per lead listing all their actions, never the same reminder twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from actions.models import MonitoringRound, ReminderLog, Update
from people.models import Person
from tests.email_backends import REFUSED_DOMAIN, REFUSING
from tests.factories import ActionFactory, MonitoringRoundFactory, PersonFactory, UpdateFactory

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2030, 6, 15)


@pytest.fixture
def open_round(action):
    return MonitoringRoundFactory(
        plan=action.plan,
        label="Q1 2030/31",
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 6, 30),
        update_deadline=DEADLINE,
    )


def run(day):
    call_command("send_reminders", f"--date={day.isoformat()}", "--days-before=7", stdout=io.StringIO())


def test_round_opening_sends_one_email_per_lead_listing_all_their_actions(action, open_round):
    second = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    other_lead_action = ActionFactory(plan=action.plan)
    run(datetime.date(2030, 6, 1))
    assert len(mail.outbox) == 2
    to_lead = next(m for m in mail.outbox if m.to == [action.lead.user.email])
    assert to_lead.subject == "Q1 2030/31: please update your actions by 15 June 2030"
    assert action.description in to_lead.body and second.description in to_lead.body
    assert other_lead_action.description not in to_lead.body


def test_running_twice_a_day_or_daily_never_repeats_a_reminder(action, open_round):
    for day in range(1, 8):
        run(datetime.date(2030, 6, day))
    run(datetime.date(2030, 6, 7))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Q1 2030/31"]
    assert ReminderLog.objects.count() == 1


def test_due_soon_and_overdue_list_only_unsubmitted_actions(action, open_round):
    submitted = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    UpdateFactory(action=submitted, round=open_round, status=Update.Status.SUBMITTED, proposed_quadrant="green")
    run(datetime.date(2030, 6, 1))
    run(datetime.date(2030, 6, 9))  # 6 days before the deadline
    run(datetime.date(2030, 6, 16))  # the day after
    run(datetime.date(2030, 6, 20))
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Q1 2030/31: please update your actions by 15 June 2030",
        "Reminder: your Q1 2030/31 updates are due on 15 June 2030",
        "Overdue: your Q1 2030/31 updates were due on 15 June 2030",
    ]
    assert action.description in mail.outbox[2].body
    assert submitted.description not in mail.outbox[2].body


def test_no_reminder_for_closed_rounds_or_leavers(action, open_round):
    action.lead.user.is_active = False
    action.lead.user.save()
    closed = MonitoringRoundFactory(plan=action.plan, state=MonitoringRound.State.SENSE_CHECK)
    run(datetime.date(2030, 6, 20))
    assert mail.outbox == []
    assert not ReminderLog.objects.filter(round=closed).exists()


def test_a_refused_email_is_not_logged_so_it_is_tried_again_and_the_others_still_go(action, open_round, settings):
    refused = ActionFactory(plan=action.plan)
    refused.lead.user.email = f"lead@{REFUSED_DOMAIN}"
    refused.lead.user.save()
    settings.EMAIL_BACKEND = REFUSING
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 reminder email\\(s\\) could not be sent; the next run tries them again"):
        call_command("send_reminders", "--date=2030-06-01", stdout=io.StringIO(), stderr=err)
    assert [m.to for m in mail.outbox] == [[action.lead.user.email]]
    assert f"Not sent: opened: Q1 2030/31 to lead@{REFUSED_DOMAIN}" in err.getvalue()
    assert list(ReminderLog.objects.values_list("person", flat=True)) == [action.lead_id]

    refused.lead.user.email = "lead@example.invalid"  # put right: the next run sends it, and only it
    refused.lead.user.save()
    run(datetime.date(2030, 6, 2))
    assert [m.to for m in mail.outbox] == [[action.lead.user.email], ["lead@example.invalid"]]
    assert ReminderLog.objects.count() == 2


def test_command_reports_what_it_sent(action, open_round, capsys):
    PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.CHAIR)
    call_command("send_reminders", "--date=2030-06-01")
    out = capsys.readouterr().out
    assert f"opened: Q1 2030/31 to {action.lead.user.email} (1 actions)" in out
    assert "1 reminder email(s) sent for 1 June 2030." in out


def test_on_the_database_backend_cron_queues_the_reminders_and_the_worker_sends_them(
    transactional_db, action, open_round, settings
):
    """As `make demo` and a deployment without Redis run: the command only queues; `db_worker` sends."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    out = io.StringIO()
    call_command("send_reminders", "--date=2030-06-01", stdout=out)
    assert "The reminders for 1 June 2030 are queued" in out.getvalue()
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert [m.to for m in mail.outbox] == [[action.lead.user.email]]
    assert ReminderLog.objects.count() == 1
