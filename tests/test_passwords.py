"""The rules a new password must pass (accounts/passwords.py): at least 12 characters, not common or found in
breaches, not a repeated or keyboard pattern, not the current password; each refusal in one plain message."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Invitation
from accounts.passwords import (
    ZXCVBN_MAX_LENGTH,
    GuessablePasswordValidator,
    NotCurrentPasswordValidator,
)
from accounts.services import invite
from demo.loader import PASSWORD as DEMO_PASSWORD
from people import services as people_services
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

REPEATED = "Your password must not be a character or group of characters repeated, like aaaaaa or abcabc"
IN_ORDER = "Your password must not be letters or numbers in order, like abcdef or 123456"
COMMON = "Your password must not be a common password"
COMMON_CHANGED = "Your password must not be a common password, or a common password with a few changes"
ONLY_NUMBERS = "Your password must not be only numbers"
TOO_SHORT = "Your password must be at least 12 characters"
ONE_WORD = "Your password must not be a single word or name with a few changes: use 3 or more random words"
CURRENT = "Your password must not be the same as your current password"

#: A password and the one message a page shows for it: the first rule it breaks, in the settings' order.
REFUSED = [
    ("aaaaaaaaaaaa", REPEATED),
    ("abcabcabcabc", REPEATED),
    ("a" * 200, REPEATED),  # past what zxcvbn reads: judged by its start
    ("abcdefghijkl", IN_ORDER),
    ("123456789012", ONLY_NUMBERS),
    ("qwertyuiopas", COMMON_CHANGED),  # qwertyuiop is on zxcvbn's list from breaches
    ("password1234", COMMON),  # on Django's list too
    ("Password123!", COMMON_CHANGED),  # capitals and a symbol do not hide it
    ("1q2w3e4r5t6y", COMMON),
    ("Northumberland1", ONE_WORD),
    ("25/12/1990abc", "Your password must not be mostly a date or a year"),
    ("short", TOO_SHORT),
]

ACCEPTED = [
    "kettle orbit lantern meadow",
    "Walrus-tangerine-quarry-7",
    "the sub-group meets on tuesdays at the library",
    "lantern " * 3 + "a quiet heron fishing beneath the old stone bridge at dawn, " * 2,  # over 72 characters
]


@pytest.fixture
def invited(action):
    """A lead with an open invitation, and the page its link leads to (the token moved into the session)."""
    lead = action.lead
    lead.user.email = "priya.shah@example.org"
    lead.user.first_name, lead.user.last_name, lead.user.username = "Priya", "Shah", "priya.shah"
    lead.user.save()
    return lead


def _choose_page(client, lead):
    """Open the person's invitation link in ``client``; the address of the choose-password page."""
    # Hypothesis runs every example in one test's transaction: each starts from an account with no password.
    lead.user.set_unusable_password()
    lead.user.save()
    Invitation.objects.filter(person=lead).delete()
    invitation = invite(person=lead, by=None)
    token = "t" * 43
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    landing = client.get(reverse("invitation", args=[token]))
    assert landing.status_code == 302
    return landing["Location"]


def _errors(response) -> list[str]:
    """The error messages beside the fields (without GOV.UK's visually hidden "Error:")."""
    found = re.findall(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return [" ".join(message.split()) for message in found]


@pytest.mark.parametrize(("password", "message"), REFUSED, ids=[p[:20] for p, _ in REFUSED])
def test_a_weak_password_is_refused_with_the_first_rule_it_breaks(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert refused.value.messages[0] == message


@pytest.mark.parametrize("password", ACCEPTED)
def test_a_long_passphrase_is_accepted(password):
    validate_password(password, PersonFactory().user)


@pytest.mark.parametrize(("password", "message"), REFUSED, ids=[p[:20] for p, _ in REFUSED])
def test_the_invitation_page_refuses_a_weak_password_with_one_message_beside_the_box(
    client, invited, password, message
):
    page = _choose_page(client, invited)
    response = client.post(page, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert _errors(response) == [message]
    assert f'href="#id_new_password1">{message}</a>' in response.content.decode()  # the error summary
    assert not Invitation.objects.get(person=invited).accepted_at


def test_the_invitation_page_accepts_a_passphrase_and_signs_the_person_in(client, invited):
    page = _choose_page(client, invited)
    assert "3 or more random words" in client.get(page).content.decode()  # the hint
    response = client.post(page, {"new_password1": ACCEPTED[0], "new_password2": ACCEPTED[0]})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    invited.user.refresh_from_db()
    assert invited.user.check_password(ACCEPTED[0])


def test_the_invitation_page_refuses_a_password_containing_the_persons_name(client, invited):
    page = _choose_page(client, invited)
    response = client.post(page, {"new_password1": "PriyaShah2024!", "new_password2": "PriyaShah2024!"})
    assert _errors(response) == ["Your password must not be like your username"]


def test_the_current_password_is_refused_as_the_new_one():
    user = PersonFactory().user
    with pytest.raises(ValidationError) as refused:
        validate_password(PASSWORD, user)
    assert refused.value.messages == [CURRENT]
    validate_password("Walrus-tangerine-quarry-7", user)


def test_someone_without_a_password_is_never_refused_for_reusing_it():
    user = PersonFactory().user
    user.set_unusable_password()
    NotCurrentPasswordValidator().validate(PASSWORD, user)
    NotCurrentPasswordValidator().validate(PASSWORD, None)
    unsaved = get_user_model()(username="new.person")  # person_create validates before the account is saved
    NotCurrentPasswordValidator().validate(PASSWORD, unsaved)


def test_checking_the_current_password_leaves_the_account_as_it_was():
    user = PersonFactory().user
    before = user.password
    with pytest.raises(ValidationError):
        validate_password(PASSWORD, user)
    user.refresh_from_db()
    assert user.password == before


def test_the_help_texts_are_plain_sentences_about_your_password():
    texts = password_validators_help_texts()
    assert len(texts) == 6
    for text in texts:
        assert text.startswith("Your password must ") and text.endswith("."), text
        assert "can’t" not in text and "%" not in text, text


def test_a_temporary_password_passes_every_rule_at_the_first_try(monkeypatch):
    user = PersonFactory().user
    tries = []

    def counted(password, user=None):
        tries.append(password)
        validate_password(password, user)

    monkeypatch.setattr(people_services, "validate_password", counted)
    passwords = [people_services.temporary_password(user) for _ in range(100)]
    assert tries == passwords
    assert len(set(passwords)) == 100


def test_the_demo_password_and_the_suites_pass_every_rule():
    user = get_user_model()(username="manager", first_name="Claire", last_name="Robson", email="manager@example.org")
    validate_password(DEMO_PASSWORD, user)
    validate_password(PASSWORD, get_user_model()(username="user1", first_name="Alex", last_name="Person1"))


def test_only_the_start_of_a_very_long_password_is_read(monkeypatch):
    read = []
    monkeypatch.setattr("accounts.passwords.zxcvbn", lambda password, user_inputs: read.append(password) or _strong())
    GuessablePasswordValidator().validate("x" * 10_000)
    assert read == ["x" * ZXCVBN_MAX_LENGTH]


def _strong():
    return {"score": 4, "sequence": []}


passwords = (
    st.text(max_size=120)
    | st.text(alphabet="aAbB1!-", min_size=10, max_size=300)
    | st.lists(st.sampled_from(["kettle", "orbit", "Password", "qwerty", "1234", "!", " ", "Priya"]), max_size=12).map(
        "".join
    )
    | st.sampled_from(["", " " * 20, "\x00" * 12, "é" * 12, "😀" * 12, "a" * 100_000])
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=passwords)
def test_no_password_typed_on_the_invitation_page_gives_a_server_error(invited, password):
    client = Client(raise_request_exception=False)
    page = _choose_page(client, invited)
    response = client.post(page, {"new_password1": password, "new_password2": password})
    assert response.status_code in (200, 302), response.status_code
    if "\x00" in password:  # no form field takes a null character (Django refuses it beside the box)
        assert response.status_code == 200
        return
    try:
        validate_password(password, invited.user)
    except ValidationError:
        assert response.status_code == 200 and 1 <= len(_errors(response)) <= 2  # at most one a box
    else:
        assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("guess", ["Safeguarding2026!", "Quadrant2026!", "Partnership#2027", "Inspection2026!"])
def test_the_services_own_words_with_a_year_are_refused(guess):
    """ASVS 6.1.2: the words anyone guessing here tries first (accounts.passwords.CONTEXT_WORDS)."""
    with pytest.raises(ValidationError):
        validate_password(guess)


@pytest.mark.django_db
def test_the_persons_own_partnership_and_agency_are_refused(make_person):
    person = make_person()
    person.partnership.name = "Tyneside Safeguarding Children Partnership"
    person.partnership.save()
    with pytest.raises(ValidationError):
        validate_password("Tyneside!2026", person.user)
