"""How a person comes to have a password of their own: an emailed invitation, a forgotten-password link,
and a temporary password that must be changed at first sign-in. Email is Django's locmem outbox; GOV.UK
Notify is played by a local HTTP server speaking its API."""

import datetime
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from people import services as people_services
from people.models import Person
from tests.factories import PersonFactory
from tests.second_factor import signed_in_just_now

# Emails leave when the transaction commits, as in the service: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def manager(make_person):
    return make_person(role=Person.Role.MANAGER)


@pytest.fixture
def manager_client(client, manager):
    signed_in_just_now(client, manager.user)
    return client


def add_person(manager_client, agency, email="priya.shah@example.org"):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": email,
        "username": "",
        "agency": agency.pk,
        "role": Person.Role.LEAD,
        "job_title": "Head of Early Help",
    }
    response = manager_client.post(reverse("setup:person_add"), data)
    assert response.status_code == 302, response.content.decode()
    return Person.objects.select_related("user").get(user__email=email)


def link_in(message) -> str:
    """The path of the one link in an email."""
    found = re.findall(r"https?://[^/\s]+(/\S+)", message.body)
    assert len(found) == 1, message.body
    return found[0]


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def choose(client, path, password=NEW_PASSWORD, again=None):
    response = client.get(path)
    assert response.status_code == 302  # the token leaves the address bar for the session
    return client.post(
        response["Location"], {"new_password1": password, "new_password2": again or password}, follow=False
    )


def test_an_invitation_sets_a_password_once_and_signs_the_person_in(client, manager_client, manager, action):
    person = add_person(manager_client, action.lead_agency)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["priya.shah@example.org"]
    assert manager.partnership.name in email.subject
    assert "Dear Priya" in email.body and manager.name in email.body and "priya.shah@example.org" in email.body
    path = link_in(email)
    invitation = Invitation.objects.get(person=person)
    assert invitation.sent_by == manager.user and invitation.state == "open"
    assert path.split("/")[-2] not in invitation.token_hash  # only a hash of the token is kept

    client.logout()
    form_page = client.get(client.get(path)["Location"])
    assert "Choose your password" in text_of(form_page) and "priya.shah@example.org" in text_of(form_page)
    refused = choose(client, path, password="short", again="short")
    assert refused.status_code == 200 and "Your password must be at least 12 characters" in text_of(refused)
    mismatch = choose(client, path, again="something else entirely 99")
    assert "The two passwords do not match" in text_of(mismatch)

    done = choose(client, path)
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == person.user  # signed in
    person.user.refresh_from_db()
    assert person.user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert person.history.first().history_user == person.user

    client.logout()
    again = client.get(client.get(path)["Location"])
    assert again.status_code == 410 and "already been used" in text_of(again)


def test_an_invitation_expires_after_seven_days(client, manager_client, action):
    with time_machine.travel(datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC), tick=False):
        add_person(manager_client, action.lead_agency)
    path = link_in(mail.outbox[0])
    client.logout()
    with time_machine.travel(datetime.datetime(2026, 12, 10, 8, 59, tzinfo=datetime.UTC), tick=False):
        assert client.get(client.get(path)["Location"]).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 1, tzinfo=datetime.UTC), tick=False):
        page = client.get(client.get(path)["Location"])
        assert page.status_code == 410 and "has expired" in text_of(page)
        assert choose(client, path).status_code == 410


def test_a_new_invitation_replaces_the_old_and_a_manager_can_withdraw_one(client, manager_client, action):
    person = add_person(manager_client, action.lead_agency)
    first = link_in(mail.outbox[0])
    response = manager_client.post(reverse("setup:person_invite", args=[person.pk]), follow=True)
    assert "Invitation sent to priya.shah@example.org" in text_of(response)
    second = link_in(mail.outbox[1])
    assert first != second
    edit_page = text_of(manager_client.get(reverse("setup:person_edit", args=[person.pk])))
    assert "Sent to priya.shah@example.org" in edit_page

    anonymous = type(client)()
    revoked = anonymous.get(anonymous.get(first)["Location"])
    assert revoked.status_code == 410 and "newer invitation was sent" in text_of(revoked)

    manager_client.post(reverse("setup:person_invitation_revoke", args=[person.pk]))
    assert anonymous.get(anonymous.get(second)["Location"]).status_code == 410
    assert Invitation.objects.filter(person=person).open().count() == 0
    assert "was withdrawn" in text_of(manager_client.get(reverse("setup:person_edit", args=[person.pk])))


def test_a_made_up_or_missing_token_is_not_found(client):
    assert client.get(reverse("invitation", args=["not-a-real-token"]), follow=True).status_code == 404
    page = client.get(reverse("invitation", args=["set-password"]))
    assert page.status_code == 404 and "not complete" in text_of(page)


def test_another_partnerships_manager_cannot_invite_or_withdraw(client, other_partnership_action, action):
    outsider = PersonFactory(partnership=other_partnership_action.plan.inspection.partnership, role="manager")
    client.force_login(outsider.user)
    for name in ("setup:person_invite", "setup:person_invitation_revoke"):
        assert client.post(reverse(name, args=[action.lead.pk])).status_code == 404
    assert not mail.outbox


@pytest.mark.parametrize("role", [Person.Role.LEAD, Person.Role.CHAIR, Person.Role.OFFICER, Person.Role.VIEWER])
def test_only_a_manager_invites(client, make_person, action, role):
    client.force_login(make_person(role=role).user)
    assert client.post(reverse("setup:person_invite", args=[action.lead.pk])).status_code == 403
    assert not mail.outbox


def test_forgotten_password_sends_a_link_without_saying_whether_the_account_exists(client, action):
    lead = action.lead
    lead.user.email = "lead@example.org"
    lead.user.save()
    url = reverse("account_reset_password")
    assert "Forgotten your password?" in text_of(client.get(reverse("account_login")))

    unknown = client.post(url, {"email": "nobody@example.org"}, follow=True)
    known = client.post(url, {"email": "LEAD@example.org"}, follow=True)
    assert text_of(unknown) == text_of(known)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lead@example.org"]

    path = link_in(mail.outbox[0])
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in text_of(form_page)
    done = client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert (
        client.post(reverse("account_login"), {"login": lead.user.username, "password": NEW_PASSWORD}).status_code
        == 302
    )
    assert "cannot be used" in text_of(client.get(path, follow=True))  # used once


def test_someone_still_to_accept_their_invitation_can_ask_for_a_reset_link(client, manager_client, action):
    add_person(manager_client, action.lead_agency)
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "priya.shah@example.org"})
    assert len(mail.outbox) == 2 and "reset" in mail.outbox[1].subject.lower()


def test_an_empty_or_malformed_address_is_refused_beside_the_field(client):
    page = text_of(client.post(reverse("account_reset_password"), {"email": ""}))
    assert "Enter your email address" in page
    page = text_of(client.post(reverse("account_reset_password"), {"email": "not an address"}))
    assert "Enter an email address in the correct format" in page


def test_a_temporary_password_must_be_changed_before_anything_else(client, manager_client, action):
    lead = action.lead
    manager_client.post(reverse("setup:person_password", args=[lead.pk]))
    page = manager_client.get(reverse("setup:person_added", args=[lead.pk]) + "?reset=1").content.decode()
    temporary = page.split("Temporary password</dt>")[1].split("</span>")[0].rsplit(">", 1)[1]

    client.logout()
    assert (
        client.post(reverse("account_login"), {"login": lead.user.username, "password": temporary}).status_code == 302
    )
    for path in (reverse("home"), reverse("actions:mine"), reverse("setup:home")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("account_change_password")
    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": temporary, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    lead.refresh_from_db()
    assert not lead.must_change_password
    assert client.get(reverse("home")).status_code == 200


class _NotifyStandIn(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, self.headers["Authorization"], body))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}).encode())

    def log_message(self, *args):
        pass


def test_email_goes_through_gov_uk_notify_when_a_key_is_set(settings):
    server = HTTPServer(("127.0.0.1", 0), _NotifyStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    service_id, secret = "26785a09-ab16-4eb0-8407-a37497a57506", "3d844edf-8d35-48ac-975b-e847b4f122b0"
    settings.NOTIFY_API_KEY = f"tracker_test-{service_id}-{secret}"
    settings.NOTIFY_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.EMAIL_BACKEND = "accounts.notify.NotifyEmailBackend"
    _NotifyStandIn.received = []
    try:
        assert mail.send_mail("Your invitation", "Choose your password here", None, ["priya@example.org"]) == 1
    finally:
        server.shutdown()
    [(path, authorization, body)] = _NotifyStandIn.received
    assert path == "/v2/notifications/email"
    assert body == {
        "email_address": "priya@example.org",
        "template_id": settings.NOTIFY_TEMPLATE_ID,
        "personalisation": {"subject": "Your invitation", "body": "Choose your password here"},
    }
    claims = jwt.decode(authorization.removeprefix("Bearer "), secret, algorithms=["HS256"])
    assert claims["iss"] == service_id


def test_the_demo_password_is_not_one_to_change(client, action):
    people_services.person_create(
        partnership=action.plan.inspection.partnership,
        by=None,
        first_name="Demo",
        last_name="Person",
        agency=action.lead_agency,
        role=Person.Role.VIEWER,
        username="demo.person",
        password=NEW_PASSWORD,
    )
    client.post(reverse("account_login"), {"login": "demo.person", "password": NEW_PASSWORD})
    assert client.get(reverse("home")).status_code == 200


def test_changing_the_address_ends_links_sent_to_the_old_one_and_tells_it(client, manager_client, manager, action):
    person = add_person(manager_client, action.lead_agency)
    old_link = link_in(mail.outbox[0])
    data = {"agency": person.agency_id, "role": person.role, "job_title": "", "version": person.version}
    response = manager_client.post(
        reverse("setup:person_edit", args=[person.pk]), {**data, "email": "priya.shah@new.example.org"}
    )
    assert response.status_code == 302
    warned = mail.outbox[-1]
    assert warned.to == ["priya.shah@example.org"] and manager.name in warned.body
    assert person.history.first().history_change_reason == (
        "Email address changed from priya.shah@example.org to priya.shah@new.example.org"
    )
    anonymous = type(client)()
    assert anonymous.get(anonymous.get(old_link)["Location"]).status_code == 410
    assert choose(anonymous, old_link).status_code == 410
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()


def test_deactivating_or_giving_a_temporary_password_ends_open_links(client, manager_client, action):
    person = add_person(manager_client, action.lead_agency)
    manager_client.post(reverse("setup:person_password", args=[person.pk]))
    assert not Invitation.objects.filter(person=person).open().exists()
    manager_client.post(reverse("setup:person_invite", args=[person.pk]))
    manager_client.post(reverse("setup:person_deactivate", args=[person.pk]), {"reassign_to": ""})
    person.user.refresh_from_db()
    assert not person.user.is_active
    assert not Invitation.objects.filter(person=person).open().exists()
    manager_client.post(reverse("setup:person_reactivate", args=[person.pk]))
    anonymous = type(client)()
    assert anonymous.get(anonymous.get(link_in(mail.outbox[-1]))["Location"]).status_code == 410


def test_a_password_set_from_a_reset_link_is_in_the_persons_history_and_ends_invitations(
    client, manager_client, action
):
    person = add_person(manager_client, action.lead_agency)
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "priya.shah@example.org"})
    form_page = client.get(link_in(mail.outbox[-1]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert person.history.first().history_change_reason == "Password set from a reset link"
    assert person.history.first().history_user == person.user
    assert not Invitation.objects.filter(person=person).open().exists()


def test_reset_links_name_the_services_own_address_not_the_requests_host(client, settings, action):
    settings.SITE_URL = "https://tracker.example.gov.uk"
    settings.ALLOWED_HOSTS = ["internal.example", "testserver"]
    action.lead.user.email = "lead@example.org"
    action.lead.user.save()
    client.post(reverse("account_reset_password"), {"email": "lead@example.org"}, HTTP_HOST="internal.example")
    assert "https://tracker.example.gov.uk/accounts/password/reset/" in mail.outbox[0].body


def test_a_manager_cannot_change_a_support_accounts_address_or_password(manager_client, action):
    lead = action.lead
    lead.user.is_staff = True
    lead.user.save()
    data = {"agency": lead.agency_id, "role": lead.role, "job_title": "", "version": lead.version}
    page = manager_client.post(reverse("setup:person_edit", args=[lead.pk]), {**data, "email": "me@example.org"})
    assert "managed by the service" in page.content.decode()
    manager_client.post(reverse("setup:person_password", args=[lead.pk]))
    lead.refresh_from_db()
    assert not lead.must_change_password and lead.user.email != "me@example.org"


def test_a_mail_server_that_is_down_never_gives_a_server_error(manager_client, action, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    person = add_person(manager_client, action.lead_agency)
    assert Invitation.objects.filter(person=person).exists()  # they can be sent a new one from their page
