"""Every change is attributable: who, when, what it was before and after."""

import pytest

from actions.models import Action
from people.models import Person
from tests.factories import UpdateFactory

pytestmark = pytest.mark.django_db


def test_every_model_of_ours_keeps_history():
    from django.apps import apps

    for app_label in ("inspections", "people", "actions", "reports"):
        for model in apps.get_app_config(app_label).get_models():
            # ReminderLog and ClockReminderLog are append-only logs of emails sent; a PublishedReport is written once
            # and never changes (its save() refuses), so a history would only copy the PDF. A FrozenRecord is what an
            # endorsed round said, written at endorsement; the round's own history says who endorsed it and when.
            if model._meta.model_name.startswith("historical") or model._meta.model_name in (
                "reminderlog",
                "clockreminderlog",
                "publishedreport",
                "frozenrecord",
            ):
                continue
            assert hasattr(model, "history"), f"{model.__name__} keeps no history"


def test_change_records_before_after_and_author(action, make_person):
    manager = make_person(role=Person.Role.MANAGER)
    action._history_user = manager.user
    action.description = "Review and refresh the multi agency referral form"
    action.save()
    latest, previous = action.history.all()[:2]
    assert latest.history_user == manager.user
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [change.field for change in delta.changes] == ["description"]
    assert delta.changes[0].new == "Review and refresh the multi agency referral form"
    assert latest.history_date >= previous.history_date


def test_history_survives_deletion(action):
    pk = action.pk
    UpdateFactory(action=action).delete()
    action.delete()
    assert Action.history.filter(id=pk, history_type="-").exists()


def history_rows(client, action) -> list[tuple[str, str]]:
    """(who, what) of every row of the history the action's page shows, newest first."""
    import re

    from django.urls import reverse
    from django.utils.html import strip_tags

    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    table = page[page.index("Every change to this action") :]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table[: table.index("</table>")], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [(strip_tags(who).strip(), strip_tags(what).strip()) for _when, who, what in (c for c in cells if c)]


def test_the_history_names_the_people_who_made_each_change_through_the_pages(client, action, make_person):
    import datetime

    from django.urls import reverse

    from actions.models import MonitoringRound
    from tests.factories import MonitoringRoundFactory
    from tests.test_lead_updates import form_data, submit

    monitoring_round = MonitoringRoundFactory(
        plan=action.plan,
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )
    chair = make_person(role=Person.Role.CHAIR)
    client.force_login(action.lead.user)
    assert submit(client, action, form_data()).status_code == 302
    client.force_login(chair.user)
    client.post(reverse("actions:round_state", args=[monitoring_round.pk]), {"state": "sense_check"})
    decided = client.post(
        reverse("actions:sense_check", args=[monitoring_round.pk, action.pk]),
        {"version": 2, "quadrant": "amber", "reason": "Not yet audited"},
    )
    assert decided.status_code == 302

    client.force_login(make_person(role=Person.Role.VIEWER).user)
    rows = history_rows(client, action)
    assert (chair.name, f"{monitoring_round.label}: quadrant agreed as Amber (Not yet audited)") in rows
    assert (action.lead.name, f"{monitoring_round.label}: update submitted, proposing Green") in rows
    # The factory made the action with nobody signed in: the only automatic row, and never "System".
    assert [what for who, what in rows if who == "Automatic (system)"] == ["Action added to the plan"]
    assert "System" not in [who for who, _what in rows]


def test_the_demo_history_names_its_lead_chair_and_manager(client, demo):
    from actions.models import MonitoringRound

    action = Action.objects.get(plan__inspection__partnership=demo, reference="1.1")
    chair, manager = (Person.objects.get(user__username=name) for name in ("chair", "manager"))
    client.force_login(Person.objects.get(user__username="viewer").user)
    rows = history_rows(client, action)
    assert (manager.name, "Action added to the plan") in rows
    agreed = [who for who, what in rows if what.startswith("May 2020: quadrant agreed as")]
    assert agreed == [chair.name]
    live = MonitoringRound.objects.get(plan=action.plan, state=MonitoringRound.State.OPEN)
    assert (action.lead.name, f"{live.label}: update submitted, proposing Green") in rows
    assert not [who for who, _what in rows if who in ("System", "Automatic (system)")]
