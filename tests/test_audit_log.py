"""The security audit log: each event recorded once, with who, when, the real address and the browser, through
the page or signal that causes it; a manager reads and downloads their own partnership's; nothing in it can
be changed, and old events go only when the retention period says so."""

import csv
import datetime
import io
import re
import sys
import types

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit import receivers
from audit.models import AppendOnly, AuditEvent
from audit.services import record
from audit.user_agents import short_browser
from people.models import Person
from tests.factories import PASSWORD, PersonFactory, UserFactory
from tests.jobs import file_of
from tests.second_factor import signed_in_just_now

pytestmark = pytest.mark.django_db

Event = AuditEvent.Event
ADDRESS = "198.51.100.7"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
NEW_PASSWORD = "a long and unusual passphrase 42"
NOW = datetime.datetime(2030, 3, 4, 9, 15, 30, tzinfo=datetime.UTC)


# The pages that cause events: each posted to in one place, as their addresses and fields will change when
# django-allauth's pages replace Django's (account_login with "login" and "password", and so on).


def sign_in(client, username, password):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def sign_out(client):
    return client.post(reverse("account_logout"))


def change_password(client, old, new):
    return client.post(reverse("account_change_password"), {"oldpassword": old, "password1": new, "password2": new})


def ask_for_reset_link(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def link_in(message) -> str:
    found = re.findall(r"https?://[^/\s]+(/\S+)", message.body)
    assert len(found) == 1, message.body
    return found[0]


def choose_password_from(client, link, password=NEW_PASSWORD):
    """Follow an emailed link (reset or invitation): the token moves to the session, then the form is posted."""
    form_page = client.get(link)
    assert form_page.status_code == 302
    fields = ("password1", "password2") if "/password/reset/" in link else ("new_password1", "new_password2")
    return client.post(form_page["Location"], dict.fromkeys(fields, password))


# Helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture
def browser():
    """A browser at a known address, sending a known User-Agent."""
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=FIREFOX)


@pytest.fixture
def manager(make_person):
    return make_person(role=Person.Role.MANAGER)


@pytest.fixture
def manager_browser(browser, manager):
    signed_in_just_now(browser, manager.user)  # recorded as a sign-in, as every sign-in is
    return browser


def rows_of(page: str) -> list[str]:
    """The event named in each row of the log's table."""
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', page)


def the_one(event: str, **filters) -> AuditEvent:
    """The only event of its kind: recorded once, not twice."""
    found = list(AuditEvent.objects.filter(event=event, **filters).select_related("user"))
    assert len(found) == 1, found
    return found[0]


def assert_from_the_browser(event: AuditEvent) -> None:
    assert (event.ip_address, event.user_agent) == (ADDRESS, FIREFOX)


def request_from_the_browser(user=None):
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=FIREFOX)
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request.user = user if user is not None else AnonymousUser()
    request.session = SessionStore()
    return request


# Signing in and out ------------------------------------------------------------------------------------------


def test_signing_in_is_recorded_with_who_when_the_address_and_the_browser(browser, make_person):
    person = make_person()
    with time_machine.travel(NOW, tick=False):
        assert sign_in(browser, person.user.username, PASSWORD).status_code == 302
    signed_in = the_one(Event.SIGNED_IN)
    assert (signed_in.user, signed_in.username, signed_in.partnership) == (
        person.user,
        person.user.username,
        person.partnership,
    )
    assert signed_in.at == NOW
    assert_from_the_browser(signed_in)


def test_a_failed_sign_in_is_recorded_with_the_name_as_typed_and_the_account_it_names(browser, make_person):
    person = make_person()
    typed = person.user.username.upper()
    assert sign_in(browser, typed, "wrong-guess-123").status_code == 200
    failed = the_one(Event.SIGN_IN_FAILED)
    assert (failed.username, failed.user, failed.partnership) == (typed, person.user, person.partnership)
    assert_from_the_browser(failed)
    assert "wrong-guess" not in str(vars(failed))


def test_a_failed_sign_in_for_an_unknown_name_belongs_to_no_partnership(browser, action):
    sign_in(browser, "no.such.person", "wrong-guess-123")
    failed = the_one(Event.SIGN_IN_FAILED)
    assert (failed.username, failed.user, failed.partnership) == ("no.such.person", None, None)
    assert_from_the_browser(failed)


def test_a_failed_sign_in_to_a_leavers_account_is_in_their_partnerships_log(browser, make_person):
    leaver = make_person()
    leaver.user.is_active = False
    leaver.user.save()
    sign_in(browser, leaver.user.username, PASSWORD)
    assert the_one(Event.SIGN_IN_FAILED).partnership == leaver.partnership


def test_signing_out_is_recorded(browser, make_person):
    person = make_person()
    sign_in(browser, person.user.username, PASSWORD)
    sign_out(browser)
    signed_out = the_one(Event.SIGNED_OUT)
    assert (signed_out.user, signed_out.partnership) == (person.user, person.partnership)
    assert_from_the_browser(signed_out)
    sign_out(browser)  # not signed in: nothing more to record
    assert AuditEvent.objects.filter(event=Event.SIGNED_OUT).count() == 1


def test_being_locked_out_is_recorded_once_when_the_sign_in_page_starts_refusing(browser, make_person):
    person = make_person()
    for _ in range(20):
        if "Too many failed attempts" in sign_in(browser, person.user.username, "wrong-guess-123").content.decode():
            break
    else:
        pytest.fail("the sign-in page never refused")
    locked = the_one(Event.LOCKED_OUT)
    assert (locked.username, locked.user, locked.partnership) == (
        person.user.username,
        person.user,
        person.partnership,
    )
    assert_from_the_browser(locked)


def test_a_throttle_records_a_lockout_through_the_one_service(make_person):
    """How the sign-in throttle that replaces django-axes records one: the name as typed finds the account."""
    person = make_person()
    record(request_from_the_browser(), Event.LOCKED_OUT, username=person.user.email.upper())
    locked = the_one(Event.LOCKED_OUT)
    assert (locked.username, locked.user, locked.partnership) == (
        person.user.email.upper(),
        person.user,
        person.partnership,
    )
    assert_from_the_browser(locked)


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "recorded"),
    [
        # Behind our proxy: the address it saw, not what the client wrote to the left of it.
        (["10.0.0.0/8"], "10.0.0.5", "203.0.113.66, 192.0.2.44, 10.0.0.4", "192.0.2.44"),
        # Straight from the internet: X-Forwarded-For is whatever the client wrote, so it is not believed.
        (["10.0.0.0/8"], "192.0.2.44", "203.0.113.66", "192.0.2.44"),
        ([], "10.0.0.5", "192.0.2.44", "10.0.0.5"),
    ],
)
def test_the_real_address_is_recorded_behind_a_trusted_proxy(settings, make_person, trusted, peer, forwarded, recorded):
    settings.TRUSTED_PROXIES = trusted
    person = make_person()
    behind_proxy = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded, HTTP_USER_AGENT=FIREFOX)
    sign_in(behind_proxy, person.user.username, PASSWORD)
    assert the_one(Event.SIGNED_IN).ip_address == recorded


def test_a_long_user_agent_or_username_is_cut_short_never_refused(make_person):
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="x" * 5000)
    record(request, Event.SIGN_IN_FAILED, username="y" * 5000)
    failed = the_one(Event.SIGN_IN_FAILED)
    assert (len(failed.user_agent), len(failed.username)) == (500, 254)


# Passwords ---------------------------------------------------------------------------------------------------


def test_changing_a_password_is_recorded(browser, make_person):
    person = make_person()
    sign_in(browser, person.user.username, PASSWORD)
    assert change_password(browser, PASSWORD, NEW_PASSWORD).status_code == 302
    changed = the_one(Event.PASSWORD_CHANGED)
    assert (changed.user, changed.partnership) == (person.user, person.partnership)
    assert_from_the_browser(changed)


def test_asking_for_a_reset_link_and_using_it_are_recorded(browser, make_person, django_capture_on_commit_callbacks):
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset_link(browser, person.user.email.upper())
    asked = the_one(Event.PASSWORD_RESET_REQUESTED)
    assert (asked.username, asked.user, asked.partnership) == (
        person.user.email.upper(),
        person.user,
        person.partnership,
    )
    assert_from_the_browser(asked)

    assert choose_password_from(browser, link_in(mail.outbox[-1])).status_code == 302
    reset = the_one(Event.PASSWORD_RESET)
    assert (reset.user, reset.partnership) == (person.user, person.partnership)
    assert_from_the_browser(reset)


def test_asking_for_a_reset_link_for_an_unknown_address_is_recorded_as_typed(browser, action):
    ask_for_reset_link(browser, "someone@example.org")
    asked = the_one(Event.PASSWORD_RESET_REQUESTED)
    assert (asked.username, asked.user, asked.partnership) == ("someone@example.org", None, None)


@pytest.mark.parametrize(
    ("signal", "event"),
    [
        ("password_changed", Event.PASSWORD_CHANGED),
        ("password_set", Event.PASSWORD_SET),
        ("password_reset", Event.PASSWORD_RESET),
    ],
)
def test_allauths_password_signals_are_recorded(make_person, signal, event):
    from allauth.account import signals

    person = make_person()
    getattr(signals, signal).send(
        sender=type(person.user), request=request_from_the_browser(person.user), user=person.user
    )
    recorded = the_one(event)
    assert (recorded.user, recorded.partnership) == (person.user, person.partnership)
    assert_from_the_browser(recorded)


# Second factors (django-allauth's MFA: installed, not yet in INSTALLED_APPS on this branch) ---------------------


@pytest.fixture(scope="module")
def mfa_signals():
    """allauth's MFA signals, with the receivers connected as ``AuditConfig.ready`` connects them once
    ``allauth.mfa`` is installed.

    Until then its models cannot load, and its signals module imports two modules that load them, for a
    receiver of its own. Those two are stood in for while it loads, and every ``allauth.mfa`` module is
    forgotten afterwards, so nothing else in the suite sees them.
    """
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa import signals

        return signals
    for name, attribute in (("allauth.mfa.adapter", "get_adapter"), ("allauth.mfa.utils", "is_mfa_enabled")):
        sys.modules[name] = types.ModuleType(name)
        setattr(sys.modules[name], attribute, None)  # used only by allauth's own receiver, never called here
    try:
        from allauth.mfa import signals

        receivers.connect_allauth_mfa()
    finally:
        for name in [name for name in sys.modules if name == "allauth.mfa" or name.startswith("allauth.mfa.")]:
            del sys.modules[name]
    return signals


class Authenticator:
    """Stands in for allauth.mfa's Authenticator row: the receivers read only its type."""

    def __init__(self, kind):
        self.type = kind


@pytest.mark.parametrize(
    ("signal", "kind", "event", "detail"),
    [
        ("authenticator_added", "totp", Event.MFA_ENROLLED, "Authenticator app"),
        ("authenticator_added", "webauthn", Event.MFA_ENROLLED, "Security key or passkey"),
        ("authenticator_added", "recovery_codes", Event.RECOVERY_CODES_GENERATED, ""),
        ("authenticator_removed", "totp", Event.MFA_REMOVED, "Authenticator app"),
        ("authenticator_reset", "recovery_codes", Event.RECOVERY_CODES_GENERATED, ""),
    ],
)
def test_allauths_mfa_signals_are_recorded(mfa_signals, make_person, signal, kind, event, detail):
    person = make_person()
    getattr(mfa_signals, signal).send(
        sender=Authenticator, request=request_from_the_browser(), user=person.user, authenticator=Authenticator(kind)
    )
    recorded = the_one(event)
    assert (recorded.user, recorded.partnership, recorded.detail) == (person.user, person.partnership, detail)
    assert_from_the_browser(recorded)


def test_a_manager_resetting_someones_second_factor_has_an_event_to_record(manager, make_person):
    """The reset itself comes with allauth's MFA pages; its event is ready for the service that does it."""
    lead = make_person()
    record(request_from_the_browser(manager.user), Event.MFA_RESET, partnership=lead.partnership, subject="Lead")
    reset = the_one(Event.MFA_RESET)
    assert (reset.user, reset.get_event_display()) == (manager.user, "Second factor reset by a manager")


# Invitations and people --------------------------------------------------------------------------------------


def add_person(client, agency, email="priya.shah@example.org", role=Person.Role.LEAD):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": email,
        "username": "",
        "agency": agency.pk,
        "role": role,
        "job_title": "",
    }
    response = client.post(reverse("setup:person_add"), data)
    assert response.status_code == 302, response.content.decode()
    return Person.objects.select_related("user").get(user__email=email)


def assert_by_the_manager_about(event, manager, person):
    assert (event.user, event.partnership, event.subject) == (
        manager.user,
        person.partnership,
        f"Priya Shah ({person.user.username})",
    )
    assert_from_the_browser(event)


def test_adding_a_person_and_their_invitation_are_recorded(manager_browser, manager, action):
    person = add_person(manager_browser, action.lead_agency)
    added = the_one(Event.PERSON_ADDED)
    assert_by_the_manager_about(added, manager, person)
    assert added.detail == "Action lead"
    sent = the_one(Event.INVITATION_SENT)
    assert_by_the_manager_about(sent, manager, person)
    assert sent.detail == "Sent to priya.shah@example.org"


def test_accepting_an_invitation_is_recorded_and_signs_in(
    manager_browser, manager, action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = add_person(manager_browser, action.lead_agency)
    invited = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=FIREFOX)
    assert choose_password_from(invited, link_in(mail.outbox[-1])).status_code == 302
    accepted = the_one(Event.INVITATION_ACCEPTED)
    assert (accepted.user, accepted.partnership) == (person.user, person.partnership)
    assert_from_the_browser(accepted)
    assert the_one(Event.SIGNED_IN, user=person.user).ip_address == ADDRESS


def test_resending_and_withdrawing_an_invitation_are_recorded(manager_browser, manager, action):
    person = add_person(manager_browser, action.lead_agency)
    manager_browser.post(reverse("setup:person_invite", args=[person.pk]))
    assert AuditEvent.objects.filter(event=Event.INVITATION_SENT).count() == 2
    manager_browser.post(reverse("setup:person_invitation_revoke", args=[person.pk]))
    assert_by_the_manager_about(the_one(Event.INVITATION_REVOKED), manager, person)
    manager_browser.post(reverse("setup:person_invitation_revoke", args=[person.pk]))  # nothing open: nothing to record
    assert AuditEvent.objects.filter(event=Event.INVITATION_REVOKED).count() == 1


def edit_person(client, person, **changes):
    data = {
        "email": person.user.email,
        "agency": person.agency_id,
        "role": person.role,
        "job_title": person.job_title,
        "version": person.version,
        **changes,
    }
    response = client.post(reverse("setup:person_edit", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()


def test_a_new_role_and_a_new_email_address_are_recorded_old_to_new(manager_browser, manager, action):
    person = add_person(manager_browser, action.lead_agency)
    edit_person(manager_browser, person, role=Person.Role.CHAIR, email="priya.shah@example.gov.uk")
    role = the_one(Event.ROLE_CHANGED)
    assert_by_the_manager_about(role, manager, person)
    assert role.detail == "Action lead to Sub-group chair"
    email = the_one(Event.EMAIL_CHANGED)
    assert_by_the_manager_about(email, manager, person)
    assert email.detail == "priya.shah@example.org to priya.shah@example.gov.uk"

    person.refresh_from_db()
    edit_person(manager_browser, person, job_title="Head of Early Help")  # neither changed: nothing more
    assert AuditEvent.objects.filter(event__in=[Event.ROLE_CHANGED, Event.EMAIL_CHANGED]).count() == 2


def test_deactivating_and_reactivating_a_person_are_recorded(manager_browser, manager, action, make_person):
    lead = action.lead
    lead.user.first_name, lead.user.last_name = "Priya", "Shah"
    lead.user.save()
    taker = make_person(role=Person.Role.LEAD)
    response = manager_browser.post(reverse("setup:person_deactivate", args=[lead.pk]), {"reassign_to": taker.pk})
    assert response.status_code == 302
    deactivated = the_one(Event.PERSON_DEACTIVATED)
    assert_by_the_manager_about(deactivated, manager, lead)
    assert deactivated.detail == f"1 action passed to {taker.name}"
    manager_browser.post(reverse("setup:person_reactivate", args=[lead.pk]))
    assert_by_the_manager_about(the_one(Event.PERSON_REACTIVATED), manager, lead)


def test_a_temporary_password_from_a_manager_is_recorded(manager_browser, manager, action):
    person = add_person(manager_browser, action.lead_agency)
    assert manager_browser.post(reverse("setup:person_password", args=[person.pk])).status_code == 302
    given = the_one(Event.PASSWORD_RESET_BY_MANAGER)
    assert_by_the_manager_about(given, manager, person)
    assert NEW_PASSWORD not in str(vars(given))


def test_a_refused_change_leaves_no_event_behind(manager, action, other_partnership_action):
    """The event is written in the service's transaction: a change refused after it is recorded takes it back."""
    from django.core.exceptions import ValidationError

    from people.services import person_update

    lead = action.lead
    elsewhere = other_partnership_action.lead_agency  # Person.clean refuses it, after the address is recorded
    with pytest.raises(ValidationError):
        person_update(person=lead, by=manager, agency=elsewhere, role=lead.role, job_title="", email="new@example.org")
    assert not AuditEvent.objects.filter(event=Event.EMAIL_CHANGED).exists()


def test_a_partnership_set_up_by_support_staff_records_its_first_manager_and_invitation(browser, action):
    from onboarding.services import support_user_create

    support = support_user_create(username="helpdesk", email="helpdesk@example.org")
    browser.force_login(support)
    data = {
        "name": "Tyneside Safeguarding Children Partnership",
        "local_authority": "Tyneside Council",
        "board_name": "",
        "committee_name": "",
        "agencies": "Tyneside Council\nNorthumbria Police",
        "manager_first_name": "Sam",
        "manager_last_name": "Reid",
        "manager_email": "sam.reid@example.org",
        "manager_agency": "Tyneside Council",
        "manager_job_title": "",
    }
    assert browser.post(reverse("onboarding:partnership_new"), data).status_code == 302
    manager = Person.objects.get(user__email="sam.reid@example.org")
    for event in (the_one(Event.PERSON_ADDED), the_one(Event.INVITATION_SENT)):
        assert (event.user, event.partnership, event.subject) == (
            support,
            manager.partnership,
            f"Sam Reid ({manager.user.username})",
        )
        assert_from_the_browser(event)


def test_commands_record_without_an_address(action):
    call_command(
        "create_partnership",
        "Tyneside Safeguarding Children Partnership",
        "--local-authority=Tyneside Council",
        "--agency=Tyneside Council",
        "--manager-name=Sam Reid",
        "--manager-email=sam.reid@example.org",
        "--manager-agency=Tyneside Council",
        stdout=io.StringIO(),
    )
    added = the_one(Event.PERSON_ADDED)
    assert (added.user, added.username, added.ip_address, added.user_agent) == (None, "", None, "")
    assert added.partnership.name == "Tyneside Safeguarding Children Partnership"


# Downloads ---------------------------------------------------------------------------------------------------

DOWNLOADS = [
    ("actions:evidence", "evidence", Event.EVIDENCE_DOWNLOADED),
    ("reports:committee_report_pdf", "round", Event.REPORT_DOWNLOADED),
    ("reports:published_pdf", "published", Event.REPORT_DOWNLOADED),
    ("reports:published_html", "published", Event.REPORT_DOWNLOADED),
    ("reports:round_xlsx", "round", Event.EXPORTED),
    ("reports:round_csv", "round", Event.EXPORTED),
    ("transfers:export_xlsx", "plan", Event.EXPORTED),
    ("transfers:export_json", "plan", Event.EXPORTED),
]


@pytest.mark.parametrize(("name", "what", "event"), DOWNLOADS, ids=[name for name, _, _ in DOWNLOADS])
def test_every_download_is_recorded_with_the_file_it_handed_out(demo, browser, settings, tmp_path, name, what, event):
    from tests.test_tenancy_matrix import NORTHUMBERLAND, _objects_of

    objects = _objects_of(NORTHUMBERLAND, settings, tmp_path)
    manager = Person.objects.get(user__username="manager")
    browser.force_login(manager.user)
    response = browser.get(reverse(name, args=[objects[what].pk]))
    if response.status_code == 302:  # made by a job: its page, then its file
        response = file_of(browser, response)
    assert response.status_code == 200
    downloaded = the_one(event)
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert (downloaded.user, downloaded.partnership, downloaded.subject) == (manager.user, demo, filename)
    assert_from_the_browser(downloaded)


def test_no_view_hands_out_a_file_but_through_the_recorded_wrapper():
    """A new download view that calls attachment_response itself would go unrecorded: this fails first."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    calls = {
        str(path.relative_to(root)): path.read_text().count("attachment_response(")
        for path in root.glob("*/**/*.py")
        if not path.is_relative_to(root / "tests") and ".venv" not in path.parts
    }
    assert {path: count for path, count in calls.items() if count} == {
        "jtai_tracker/downloads.py": 1,  # its definition
        "audit/downloads.py": 1,  # recorded_attachment
        "transfers/views.py": 1,  # the blank import template, below
    }


def test_the_blank_import_template_is_not_recorded(browser, make_person):
    browser.force_login(make_person().user)
    assert browser.get(reverse("transfers:import_template")).status_code == 200
    assert not AuditEvent.objects.exclude(event=Event.SIGNED_IN).exists()


# The log page ------------------------------------------------------------------------------------------------


def events_for(partnership, count, *, start=NOW, event=Event.SIGN_IN_FAILED, user=None):
    """``count`` events, a minute apart from ``start``, in the partnership's log (a name typed, "visitor3")."""
    for minute in range(count):
        with time_machine.travel(start + datetime.timedelta(minutes=minute), tick=False):
            username = user.username if user else f"visitor{minute}"
            record(request_from_the_browser(), event, user=user, partnership=partnership, username=username)


def test_a_manager_reads_their_partnerships_events_newest_first(
    manager_browser, manager, partnership, other_partnership_action
):
    events_for(partnership, 3, start=timezone.now() - datetime.timedelta(hours=1))
    events_for(other_partnership_action.plan.inspection.partnership, 2, event=Event.PASSWORD_CHANGED)
    response = manager_browser.get(reverse("audit:log"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "4 events" in page  # the three, and the manager signing in to read them
    rows = re.findall(r'<time datetime="([^"]+)"', page)
    assert rows == sorted(rows, reverse=True) and len(rows) == 4
    assert rows_of(page) == ["Signed in", "Sign-in failed", "Sign-in failed", "Sign-in failed"]
    assert page.index("visitor2") < page.index("visitor1") < page.index("visitor0")
    assert "Firefox 128 on Windows" in page and ADDRESS in page


@pytest.mark.parametrize("role", [Person.Role.CHAIR, Person.Role.LEAD, Person.Role.OFFICER, Person.Role.VIEWER])
def test_no_one_but_the_manager_may_read_or_download_the_log(client, make_person, role):
    client.force_login(make_person(role=role).user)
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:download")).status_code == 403


def test_support_staff_may_not_read_any_partnerships_log(client, action):
    from onboarding.services import support_user_create

    client.force_login(support_user_create(username="helpdesk", email="helpdesk@example.org"))
    assert client.get(reverse("audit:log")).status_code == 403


def test_another_partnerships_manager_never_sees_the_events(client, partnership, other_partnership_action):
    events_for(partnership, 2, event=Event.PASSWORD_CHANGED)
    assert AuditEvent.objects.filter(partnership=partnership).count() == 2
    other = PersonFactory(partnership=other_partnership_action.plan.inspection.partnership, role=Person.Role.MANAGER)
    client.force_login(other.user)
    page = client.get(reverse("audit:log")).content.decode()
    assert rows_of(page) == ["Signed in"]  # their own, only
    body = client.get(reverse("audit:download")).content.decode("utf-8-sig")
    assert "Password changed" not in body


def test_the_page_is_linked_from_the_managers_set_up_page(manager_browser):
    assert reverse("audit:log") in manager_browser.get(reverse("setup:home")).content.decode()


def test_the_list_costs_the_same_queries_for_five_events_as_for_a_hundred(
    manager_browser, partnership, manager, sessions_written_once
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert manager_browser.get(reverse("audit:log")).status_code == 200
        return len(captured)

    events_for(partnership, 5, user=manager.user)
    queries()  # the first request writes the session
    few = queries()
    events_for(partnership, 95, user=manager.user, start=NOW + datetime.timedelta(days=1))
    assert queries() == few <= 6  # session, user, person, partnership, count, page


def test_the_list_is_paginated_keeping_its_filters(manager_browser, partnership):
    events_for(partnership, 120)
    page = manager_browser.get(reverse("audit:log"), {"event": Event.SIGN_IN_FAILED}).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 51  # the header and 50 events
    assert 'class="govuk-pagination"' in page
    assert 'href="?event=sign_in_failed&amp;page=2" rel="next"' in page
    last = manager_browser.get(reverse("audit:log"), {"event": Event.SIGN_IN_FAILED, "page": 3}).content.decode()
    assert last.count('<tr class="govuk-table__row">') == 21
    assert "page 3 of 3" in last


def test_filters_by_event_person_and_dates_in_uk_time(manager_browser, partnership, make_person):
    """The manager's own sign-in to read the page is an event too: dated today, long before 2030."""
    person = make_person()
    person.user.first_name, person.user.last_name = "Priya", "Shah"
    person.user.save()
    summer = datetime.datetime(2030, 7, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 July in London
    with time_machine.travel(summer, tick=False):
        record(request_from_the_browser(), Event.PASSWORD_CHANGED, user=person.user)
    events_for(partnership, 2, start=datetime.datetime(2030, 6, 1, 9, tzinfo=datetime.UTC))

    def shown(**filters):
        page = manager_browser.get(reverse("audit:log"), filters).content.decode()
        return len(re.findall(r'<time datetime="', page))

    assert shown() == 4
    page = manager_browser.get(reverse("audit:log"), {"event": Event.PASSWORD_CHANGED}).content.decode()
    assert "1 event matches your filters" in page
    form = page[page.index('<form method="get"') : page.index("</form>", page.index('<form method="get"'))]
    assert "csrfmiddlewaretoken" not in form  # a GET form: a token would end up in the address
    assert shown(event=Event.PASSWORD_CHANGED) == 1
    assert shown(event=Event.SIGN_IN_FAILED) == 2
    assert shown(person="priya shah") == shown(person=person.user.username.upper()) == 1
    assert shown(person="visitor1") == 1
    july_2 = {"date_from_0": "2", "date_from_1": "7", "date_from_2": "2030"}
    assert shown(**july_2) == 1
    assert shown(**july_2, date_to_0="2", date_to_1="7", date_to_2="2030") == 1
    assert (
        shown(date_from_0="1", date_from_1="6", date_from_2="2030", date_to_0="1", date_to_1="7", date_to_2="2030") == 2
    )


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2030"}, "Date from must be a real date"),
        ({"date_to_0": "1", "date_to_1": "1", "date_to_2": "30"}, "Date to must include a year with 4 numbers"),
        (
            {"date_from_0": "2", "date_from_1": "1", "date_from_2": "2030", "date_to_0": "1", "date_to_1": "1"}
            | {"date_to_2": "2030"},
            "Date to must be the same as or after date from",
        ),
    ],
)
def test_a_wrong_date_is_one_message_in_the_error_summary(manager_browser, partnership, filters, message):
    response = manager_browser.get(reverse("audit:log"), filters)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(message) == 2  # in the summary and beside the date
    assert "<title>Error: " in page
    download = manager_browser.get(reverse("audit:download"), filters)
    assert download.status_code == 302 and download["Location"].startswith(reverse("audit:log") + "?")


def test_the_csv_holds_the_filtered_events_whole_and_its_download_is_recorded(manager_browser, manager, partnership):
    with time_machine.travel(NOW, tick=False):
        record(request_from_the_browser(), Event.PASSWORD_CHANGED, user=manager.user, detail="=HYPERLINK(1)")
    events_for(partnership, 2, start=NOW + datetime.timedelta(hours=1))
    response = manager_browser.get(reverse("audit:download"), {"event": Event.PASSWORD_CHANGED})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="security-audit-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["When", "Event", "Username", "Name", "Concerning", "Address", "Browser", "Detail"],
        [
            "2030-03-04T09:15:30+00:00",
            "Password changed",
            manager.user.username,
            manager.user.get_full_name(),
            "",
            ADDRESS,
            FIREFOX,
            "'=HYPERLINK(1)",  # never a formula in a spreadsheet
        ],
    ]
    exported = the_one(Event.EXPORTED)
    assert (exported.user, exported.partnership, exported.detail) == (
        manager.user,
        partnership,
        "Security audit log: 1 event",
    )
    assert exported.subject.startswith("security-audit-log-") and exported.subject.endswith(".csv")
    assert_from_the_browser(exported)


# Nothing can be changed ----------------------------------------------------------------------------------------


@pytest.fixture
def logged(make_person):
    person = make_person()
    return record(request_from_the_browser(), Event.SIGNED_IN, user=person.user)


def test_the_model_refuses_to_save_a_row_twice_or_delete_one(logged):
    logged.detail = "Edited"
    with pytest.raises(AppendOnly):
        logged.save()
    with pytest.raises(AppendOnly):
        logged.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=logged.pk).update(detail="Edited")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=logged.pk).delete()
    with pytest.raises(AppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([logged], ["detail"])
    assert AuditEvent.objects.get(pk=logged.pk).detail == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET detail = 'Edited'",
        "UPDATE audit_auditevent SET ip_address = '192.0.2.1'",
        "UPDATE audit_auditevent SET at = '2000-01-01 00:00:00'",
        "UPDATE audit_auditevent SET user_id = NULL, username = 'someone.else'",
        "UPDATE audit_auditevent SET partnership_id = NULL",
    ],
)
def test_the_database_refuses_any_update(logged, sql):
    """SQLite here; PostgreSQL when DATABASE_URL names one (CI runs the suite on both)."""
    assert connection.vendor in ("sqlite", "postgresql")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    unchanged = AuditEvent.objects.get(pk=logged.pk)
    assert (unchanged.detail, unchanged.ip_address, unchanged.username) == ("", ADDRESS, logged.username)
    assert unchanged.user_id is not None and unchanged.partnership_id is not None


def test_deleting_an_account_keeps_its_events_and_the_name_they_were_recorded_under(action):
    account = UserFactory(username="temporary.account")
    record(request_from_the_browser(), Event.SIGNED_IN, user=account)
    account.delete()
    kept = the_one(Event.SIGNED_IN)
    assert (kept.user, kept.username, kept.ip_address) == (None, "temporary.account", ADDRESS)


# Retention ---------------------------------------------------------------------------------------------------


def test_pruning_deletes_only_events_older_than_the_retention_period_and_can_run_again(settings, partnership):
    settings.AUDIT_RETENTION_DAYS = 30
    for age in (31, 30, 29):
        with time_machine.travel(NOW - datetime.timedelta(days=age, minutes=1), tick=False):
            record(None, Event.SIGNED_IN, partnership=partnership, detail=f"{age} days old")
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("prune_audit_log", stdout=out)
        assert out.getvalue().strip() == (
            "Deleted 2 security audit events from before 2 February 2030, 9:15am (older than 30 days)."
        )
        assert list(AuditEvent.objects.values_list("detail", flat=True)) == ["29 days old"]
        out = io.StringIO()
        call_command("prune_audit_log", stdout=out)
        assert out.getvalue().startswith("Deleted 0 security audit events")
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(("value", "read"), [(None, "730"), ("90", "90"), ("0", "ImproperlyConfigured")])
def test_the_retention_period_comes_from_the_environment(value, read):
    """Read in a fresh interpreter, as the service reads its settings when it starts."""
    import os
    import subprocess
    import sys

    environment = {key: item for key, item in os.environ.items() if key != "AUDIT_RETENTION_DAYS"}
    if value is not None:
        environment["AUDIT_RETENTION_DAYS"] = value
    script = (
        "from django.core.exceptions import ImproperlyConfigured\n"
        "try:\n    from jtai_tracker import settings; print(settings.AUDIT_RETENTION_DAYS)\n"
        "except ImproperlyConfigured: print('ImproperlyConfigured')"
    )
    ran = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip() == read


# Reading a browser's name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [
        (FIREFOX, "Firefox 128 on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
            "Edge 126 on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari 17 on iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.6478.122 Mobile Safari/537.36",
            "Chrome 126 on Android",
        ),
        ("python-requests/2.32.3", "python-requests/2.32.3"),
        ("x" * 100, "x" * 59 + "…"),
        ("", ""),
    ],
)
def test_a_browser_is_named_in_a_few_words(user_agent, shown):
    assert short_browser(user_agent) == shown


def test_the_log_records_when_in_utc_and_shows_it_in_uk_time(manager_browser, partnership):
    summer = datetime.datetime(2030, 7, 1, 23, 30, 5, tzinfo=datetime.UTC)
    with time_machine.travel(summer, tick=False):
        record(request_from_the_browser(), Event.SIGN_IN_FAILED, partnership=partnership, username="someone")
    assert AuditEvent.objects.get(event=Event.SIGN_IN_FAILED).at == summer
    page = manager_browser.get(reverse("audit:log")).content.decode()
    assert "2 Jul 2030" in page and "00:30:05" in page
    assert timezone.localtime(summer).hour == 0


# Sign-in through django-allauth: the events its pages and the service's rules add ---------------------------


def test_a_lockout_is_recorded_with_the_real_address_behind_a_trusted_proxy(settings, make_person):
    from django.test import Client
    from django.urls import reverse

    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    person = make_person()
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7", HTTP_USER_AGENT="Attacker/1.0")
    for _ in range(11):
        client.post(reverse("account_login"), {"login": person.user.username, "password": "wrong-guess-123"})
    lockout = AuditEvent.objects.get(event=AuditEvent.Event.LOCKED_OUT)
    assert (lockout.username, lockout.ip_address, lockout.user_agent) == (
        person.user.username.lower(),
        "198.51.100.7",
        "Attacker/1.0",
    )
    assert AuditEvent.objects.filter(event=AuditEvent.Event.SIGN_IN_FAILED).count() == 10


def test_a_managers_reset_of_a_second_factor_is_recorded(make_person):
    from django.test import Client
    from django.urls import reverse

    from tests import second_factor

    manager = make_person(role=Person.Role.MANAGER)
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    client = Client(HTTP_USER_AGENT="Manager/1.0")
    second_factor.signed_in_just_now(client, manager.user)
    client.post(reverse("setup:person_second_factor_reset", args=[chair.pk]))
    event = AuditEvent.objects.get(event=AuditEvent.Event.MFA_RESET)
    assert (event.user, event.partnership_id, event.user_agent) == (manager.user, chair.partnership_id, "Manager/1.0")
    assert chair.name in event.subject


def test_a_reset_link_asked_for_is_recorded_as_typed(client):
    from django.urls import reverse

    client.post(reverse("account_reset_password"), {"email": "Someone@Example.org"})
    assert AuditEvent.objects.get(event=AuditEvent.Event.PASSWORD_RESET_REQUESTED).username == "Someone@Example.org"


def test_support_changing_a_role_or_deactivating_on_the_support_site_is_recorded(admin_client, make_person):
    from django.urls import reverse

    person = make_person(role=Person.Role.LEAD)
    url = reverse("admin:people_person_change", args=[person.pk])
    data = {"agency": person.agency_id, "role": Person.Role.MANAGER}
    assert admin_client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(event=AuditEvent.Event.ROLE_CHANGED)
    assert (event.partnership, event.detail) == (person.partnership, "Action lead to Partnership manager")
    user_url = reverse("admin:auth_user_change", args=[person.user.pk])
    assert admin_client.post(user_url, {}).status_code in (200, 302)
    admin_client.post(user_url, {"is_active": ""})
    assert AuditEvent.objects.filter(event=AuditEvent.Event.PERSON_DEACTIVATED, partnership=person.partnership).exists()


def test_a_partnership_requiring_a_second_step_of_everyone_is_recorded(make_person):
    from django.test import Client
    from django.urls import reverse

    manager = make_person(role=Person.Role.MANAGER)
    partnership = manager.partnership
    client = Client()
    client.force_login(manager.user)
    data = {
        "local_authority": partnership.local_authority or "Northshire Council",
        "board_name": partnership.board_name or "Northshire Board",
        "committee_name": "",
        "second_factor_for_everyone": "on",
        "version": partnership.version,
    }
    assert client.post(reverse("setup:partnership_edit"), data).status_code == 302
    event = AuditEvent.objects.get(event=AuditEvent.Event.SIGN_IN_SETTINGS_CHANGED)
    assert (event.partnership, event.detail) == (partnership, "Everyone must use a second step: yes")
