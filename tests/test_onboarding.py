"""A partnership goes live without the Django admin: support staff set it up with its first manager, who is
emailed an invitation; or ``manage.py create_partnership`` does the same from a script."""

import html
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from inspections.models import Agency, Partnership
from onboarding.services import support_user_create
from people.models import Person

# The invitation email leaves when the transaction commits, as in the service.
pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "name": "Tyneside Safeguarding Children Partnership",
    "local_authority": "Tyneside Council",
    "board_name": "the Tyneside Safeguarding Executive",
    "committee_name": "Children and Young People Scrutiny Committee",
    "agencies": (
        "Tyneside Council (TC)\nNorthumbria Police\nNorth Tyne NHS Foundation Trust\n\nTyneside Youth Justice Service"
    ),
    "manager_first_name": "Sam",
    "manager_last_name": "Reid",
    "manager_email": "sam.reid@tyneside.example.org",
    "manager_agency": "tyneside council",
    "manager_job_title": "Partnership business manager",
}


@pytest.fixture
def support(client):
    user = support_user_create(username="helpdesk", email="helpdesk@service.example.org")
    client.force_login(user)
    return user


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_support_staff_set_up_a_partnership_and_its_manager_is_invited(client, support):
    assert client.get("/")["Location"] == reverse("onboarding:index")
    index = client.get(reverse("onboarding:index"))
    assert "Set up a new partnership" in text_of(index)
    assert 'href="/onboarding/" aria-current="page">Partnerships</a>' in index.content.decode()
    response = client.post(reverse("onboarding:partnership_new"), FORM)
    partnership = Partnership.objects.get(name=FORM["name"])
    assert response["Location"] == reverse("onboarding:partnership", args=[partnership.pk])
    assert (partnership.board_name, partnership.committee_name) == (FORM["board_name"], FORM["committee_name"])
    kinds = dict(Agency.objects.filter(partnership=partnership).values_list("name", "kind"))
    assert kinds == {
        "Tyneside Council": "council",
        "Northumbria Police": "police",
        "North Tyne NHS Foundation Trust": "health",
        "Tyneside Youth Justice Service": "youth_justice",
    }
    shorts = dict(Agency.objects.filter(partnership=partnership).values_list("name", "short_name"))
    assert shorts["Tyneside Council"] == "TC" and shorts["Northumbria Police"] == ""
    manager = Person.objects.select_related("user", "agency").get(partnership=partnership)
    assert (manager.role, manager.agency.name, manager.name) == ("manager", "Tyneside Council", "Sam Reid")
    assert not manager.user.has_usable_password()
    assert partnership.history.first().history_user == support

    [email] = mail.outbox
    assert email.to == [FORM["manager_email"]] and FORM["name"] in email.subject
    page = text_of(client.get(response["Location"]))
    assert "Sam Reid" in page and "Sent to sam.reid@tyneside.example.org" in page
    assert "Tyneside Youth Justice Service (Youth justice)" in page

    client.post(reverse("onboarding:manager_invite", args=[manager.pk]))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"manager_agency": "Barnardo's"}, "manager_agency", "Enter one of the agencies listed above"),
        ({"agencies": "Council\ncouncil"}, "agencies", "council is listed twice"),
        ({"agencies": "  \n "}, "agencies", "Enter at least one agency, one per line"),
        ({"manager_email": "not an address"}, "manager_email", "Enter an email address in the correct format"),
        ({"name": ""}, "name", "Enter the partnership's name"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(client, support, change, field, message):
    response = client.post(reverse("onboarding:partnership_new"), {**FORM, **change})
    assert response.status_code == 200
    assert message in text_of(response)
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Partnership.objects.filter(name=FORM["name"]).exists()
    assert not Person.objects.exists() and not mail.outbox


def test_a_taken_name_or_manager_email_is_refused(client, support, action):
    taken = action.plan.inspection.partnership
    page = text_of(client.post(reverse("onboarding:partnership_new"), {**FORM, "name": taken.name.upper()}))
    assert f"There is already a partnership called {taken.name.upper()}" in page
    action.lead.user.email = "lead@example.org"
    action.lead.user.save()
    page = text_of(client.post(reverse("onboarding:partnership_new"), {**FORM, "manager_email": "LEAD@example.org"}))
    assert "Someone already has an account with this email address" in page
    assert not Partnership.objects.filter(name=FORM["name"]).exists()


@pytest.mark.parametrize("role", [role.value for role in Person.Role])
def test_partnership_people_cannot_use_the_support_screens(client, make_person, action, role):
    client.force_login(make_person(role=role).user)
    for url in (
        reverse("onboarding:index"),
        reverse("onboarding:partnership_new"),
        reverse("onboarding:partnership", args=[action.plan.inspection.partnership_id]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("onboarding:manager_invite", args=[action.lead.pk])).status_code == 403
    assert not mail.outbox


def test_a_superuser_is_not_support_staff_and_support_staff_see_no_plans(client, support, action):
    assert client.get(reverse("actions:plan", args=[action.plan.pk])).status_code == 404
    assert client.get(reverse("setup:home")).status_code == 403
    client.logout()
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "a long and unusual passphrase 42")
    client.force_login(root)
    assert client.get(reverse("onboarding:index")).status_code == 403


def test_the_command_sets_up_a_partnership_from_a_script(capsys):
    call_command(
        "create_partnership",
        FORM["name"],
        "--local-authority=Tyneside Council",
        "--agency=Tyneside Council",
        "--agency=Northumbria Police",
        "--manager-name=Sam Reid",
        f"--manager-email={FORM['manager_email']}",
        "--manager-agency=Tyneside Council",
    )
    assert "Created Tyneside Safeguarding Children Partnership with 2 agencies." in capsys.readouterr().out
    assert Person.objects.get(partnership__name=FORM["name"]).role == "manager"
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="manager_agency: Enter one of the agencies listed above"):
        call_command(
            "create_partnership",
            "Another",
            "--local-authority=X",
            "--agency=X Council",
            "--manager-name=A B",
            "--manager-email=a@example.org",
            "--manager-agency=Police",
        )


def test_a_support_account_is_made_from_the_command_line(client, capsys):
    call_command("create_support_user", "helpdesk", "--email=helpdesk@service.example.org")
    assert "Created support account helpdesk" in capsys.readouterr().out
    client.post(reverse("account_reset_password"), {"email": "helpdesk@service.example.org"})
    assert len(mail.outbox) == 1  # they choose their password from the emailed link
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_support_user", "HELPDESK", "--email=other@service.example.org")
