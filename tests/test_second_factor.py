"""Second factors (accounts.second_factor, django-allauth's mfa): who must have one, the pages before anything
else, a manager's reset (logged, the person emailed), and the support site behind one."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from people.models import Person
from tests import second_factor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def required(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.mark.parametrize(
    ("role", "must"),
    [
        (Person.Role.MANAGER, True),
        (Person.Role.CHAIR, True),
        (Person.Role.OFFICER, True),
        (Person.Role.LEAD, False),
        (Person.Role.VIEWER, False),
    ],
)
def test_managers_chairs_and_officers_must_set_one_up_before_anything_else(required, make_person, password, role, must):
    person = make_person(role=role)
    client = Client()
    client.post(reverse("account_login"), {"login": person.user.username, "password": password})
    response = client.get(reverse("home"))
    if must:
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
        assert client.get(reverse("mfa_index")).status_code == 200
    else:
        assert response.status_code == 200


def test_everyone_must_when_the_partnership_says_so(required, make_person):
    lead = make_person(role=Person.Role.LEAD)
    lead.partnership.second_factor_for_everyone = True
    lead.partnership.save()
    client = Client()
    client.force_login(lead.user)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_support_staff_must_too(required, db):
    from onboarding.services import support_user_create

    support = support_user_create(username="helpdesk", email="helpdesk@service.example.org")
    client = Client()
    client.force_login(support)
    assert client.get(reverse("onboarding:index"))["Location"] == reverse("mfa_activate_totp")


def test_with_one_set_up_the_pages_open_and_signing_in_asks_for_a_code(required, make_person, password):
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    client = Client()
    response = client.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in until the code
    page = client.post(reverse("mfa_authenticate"), {"code": "123456"}).content.decode()
    assert "Enter the code your authenticator app shows now" in page
    assert client.post(reverse("mfa_authenticate"), {"code": second_factor.code()})["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_code_works_once(make_person, password):
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    code = second_factor.code()
    first = Client()
    first.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    replay = Client()
    replay.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert replay.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200


def test_a_manager_resets_someones_second_factor_and_they_are_told(make_person):
    manager = make_person(role=Person.Role.MANAGER)
    chair = make_person(role=Person.Role.CHAIR)
    chair.user.email = "chair@example.org"
    chair.user.save()
    second_factor.enrol(chair.user)
    client = Client()
    second_factor.signed_in_just_now(client, manager.user)
    page = client.get(reverse("setup:person_edit", args=[chair.pk])).content.decode()
    assert "They have an authenticator app." in page
    response = client.post(reverse("setup:person_second_factor_reset", args=[chair.pk]))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=chair.user).exists()
    assert mail.outbox[-1].to == ["chair@example.org"]
    assert manager.name in mail.outbox[-1].body
    latest = chair.history.latest()
    assert latest.history_change_reason == "Second factor reset" and latest.history_user == manager.user
    page = client.get(reverse("setup:person_edit", args=[chair.pk]), follow=True).content.decode()
    assert "They have not set up a second step" in page


def test_only_a_manager_of_their_partnership_may_reset_it(make_person, other_partnership_action):
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    for role in (Person.Role.CHAIR, Person.Role.LEAD, Person.Role.OFFICER):
        client = Client()
        client.force_login(make_person(role=role).user)
        assert client.post(reverse("setup:person_second_factor_reset", args=[chair.pk])).status_code == 403
    elsewhere = Client()
    elsewhere.force_login(other_partnership_action.lead.user)
    assert elsewhere.post(reverse("setup:person_second_factor_reset", args=[chair.pk])).status_code in (403, 404)
    assert Authenticator.objects.filter(user=chair.user).exists()


def test_someone_who_must_use_one_cannot_turn_off_their_only_one(required, make_person, password):
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    client = Client()
    client.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    client.post(reverse("mfa_authenticate"), {"code": second_factor.code()})
    page = client.post(reverse("mfa_deactivate_totp"), {}).content.decode()
    assert "You cannot turn off your second step: your role needs one" in page
    assert Authenticator.objects.filter(user=chair.user, type=Authenticator.Type.TOTP).exists()


def test_an_invitation_link_sets_a_password_but_never_skips_the_second_factor(make_person, password):
    """A manager re-sends a chair's invitation: whoever holds the link still needs the chair's code to get in."""
    import hashlib

    from accounts.models import Invitation
    from accounts.services import invite

    chair = make_person(role=Person.Role.CHAIR)
    chair.user.email = "chair@example.org"
    chair.user.save()
    second_factor.enrol(chair.user)
    invitation = invite(person=chair, by=None)
    token = "t" * 43
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    client = Client()
    landing = client.get(reverse("invitation", args=[token]))
    new = "a long and unusual passphrase 42"
    response = client.post(landing["Location"], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert client.get(reverse("home")).status_code == 302  # not signed in
    assert client.post(reverse("account_login"), {"login": chair.user.username, "password": new})["Location"] == (
        reverse("mfa_authenticate")
    )


def test_changing_a_second_factor_signs_the_person_out_everywhere_else(make_person, password):
    from django.contrib.sessions.models import Session

    lead = make_person(role=Person.Role.LEAD)
    elsewhere = Client()
    elsewhere.post(reverse("account_login"), {"login": lead.user.username, "password": password})
    here = Client()
    here.post(reverse("account_login"), {"login": lead.user.username, "password": password})
    assert "Sign out everywhere else" in here.get(reverse("usersessions_list")).content.decode()
    secret = here.get(reverse("mfa_activate_totp")).context["form"].secret
    here.post(reverse("mfa_activate_totp"), {"code": second_factor.code(secret)})
    assert elsewhere.get(reverse("home")).status_code == 302  # signed out
    assert here.get(reverse("home")).status_code == 200
    assert Session.objects.count() == 1


def test_a_managers_reset_signs_the_person_out_everywhere(make_person, password):
    manager = make_person(role=Person.Role.MANAGER)
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    theirs = Client()
    theirs.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    theirs.post(reverse("mfa_authenticate"), {"code": second_factor.code()})
    assert theirs.get(reverse("home")).status_code == 200
    client = Client()
    second_factor.signed_in_just_now(client, manager.user)
    client.post(reverse("setup:person_second_factor_reset", args=[chair.pk]))
    assert theirs.get(reverse("home")).status_code == 302


def test_authenticator_secrets_and_recovery_seeds_are_not_stored_in_clear(make_person, password):
    chair = make_person(role=Person.Role.CHAIR)
    client = Client()
    client.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": second_factor.code(secret)})
    stored = {a.type: a.data for a in Authenticator.objects.filter(user=chair.user)}
    assert secret not in str(stored[Authenticator.Type.TOTP])
    assert stored[Authenticator.Type.TOTP]["secret"].startswith("fernet:")
    assert stored[Authenticator.Type.RECOVERY_CODES]["seed"].startswith("fernet:")
    # ... and the codes still work.
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert client.post(reverse("mfa_authenticate"), {"code": second_factor.code(secret, step=1)})["Location"] == (
        reverse("home")
    )


def test_a_code_older_or_newer_than_a_minute_is_refused(make_person, password):
    """A code is good for its own 30 seconds and the 30 either side (phones' clocks drift), no longer."""
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    for step in (-2, 2):
        client = Client()
        client.post(reverse("account_login"), {"login": chair.user.username, "password": password})
        assert client.post(reverse("mfa_authenticate"), {"code": second_factor.code(step=step)}).status_code == 200


def test_a_manager_signs_someone_out_everywhere_and_it_is_recorded(make_person, password):
    from audit.models import AuditEvent

    manager = make_person(role=Person.Role.MANAGER)
    lead = make_person(role=Person.Role.LEAD)
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post(reverse("account_login"), {"login": lead.user.username, "password": password})
        assert browser.get(reverse("home")).status_code == 200
    client = Client()
    client.force_login(manager.user)
    page = client.get(reverse("setup:person_edit", args=[lead.pk])).content.decode()
    assert f"Sign {lead.name} out everywhere" in page
    response = client.post(reverse("setup:person_sign_out", args=[lead.pk]), follow=True)
    assert f"{lead.name} is signed out everywhere (2 sessions)." in response.content.decode()
    assert laptop.get(reverse("home")).status_code == 302 and phone.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(event=AuditEvent.Event.SIGNED_OUT_EVERYWHERE)
    assert (event.user, event.partnership_id) == (manager.user, lead.partnership_id)


def test_confirming_the_password_again_gives_a_new_session_key(make_person, password):
    """ASVS 7.2.4: re-authentication, like signing in, replaces the session key."""
    lead = make_person(role=Person.Role.LEAD)
    client = Client()
    client.post(reverse("account_login"), {"login": lead.user.username, "password": password})
    before = client.cookies["sessionid"].value
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.get(reverse("home")).status_code == 200


def test_the_security_key_button_shows_only_to_someone_with_a_key(make_person, password):
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    client = Client()
    client.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert "Use a security key" not in client.get(reverse("mfa_authenticate")).content.decode()


def test_a_manager_cannot_reset_their_own_second_factor(make_person):
    manager = make_person(role=Person.Role.MANAGER)
    second_factor.enrol(manager.user)
    client = Client()
    second_factor.signed_in_just_now(client, manager.user)
    page = client.post(reverse("setup:person_second_factor_reset", args=[manager.pk]), follow=True).content.decode()
    assert "You cannot reset your own second step" in page
    assert Authenticator.objects.filter(user=manager.user).exists()


def test_a_new_role_signs_the_person_out_so_a_promotion_asks_for_a_second_factor(required, make_person, password):
    manager = make_person(role=Person.Role.MANAGER)
    second_factor.enrol(manager.user)
    viewer = make_person(role=Person.Role.VIEWER)
    theirs = Client()
    theirs.post(reverse("account_login"), {"login": viewer.user.username, "password": password})
    assert theirs.get(reverse("home")).status_code == 200
    client = Client()
    second_factor.signed_in_with_second_factor(client, manager.user)
    data = {"agency": viewer.agency_id, "role": Person.Role.MANAGER, "job_title": "", "version": viewer.version}
    data["email"] = viewer.user.email
    assert client.post(reverse("setup:person_edit", args=[viewer.pk]), data).status_code == 302
    assert theirs.get(reverse("home")).status_code == 302  # signed out
    theirs.post(reverse("account_login"), {"login": viewer.user.username, "password": password})
    assert theirs.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_a_manager_confirms_their_password_again_before_taking_over_someones_sign_in(make_person, password):
    """A session left open is not enough to reset a chair's second step or give them a temporary password."""
    manager = make_person(role=Person.Role.MANAGER)
    chair = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(chair.user)
    client = Client()
    client.force_login(manager.user)  # signed in long enough ago
    for name in ("setup:person_second_factor_reset", "setup:person_password"):
        response = client.post(reverse(name, args=[chair.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=chair.user).exists()
    chair.refresh_from_db()
    assert not chair.must_change_password
    # Confirmed, the manager presses the button again.
    assert client.post(reverse("account_reauthenticate"), {"password": password}).status_code == 302
    client.post(reverse("setup:person_second_factor_reset", args=[chair.pk]))
    assert not Authenticator.objects.filter(user=chair.user).exists()
