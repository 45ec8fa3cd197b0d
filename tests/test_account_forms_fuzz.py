"""Random input to the forms of going live (support's new partnership, choosing a password from an
invitation, asking for a reset link): a page with errors or a redirect, never a server error or a half-save."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Invitation
from accounts.services import invite
from inspections.models import Agency, Partnership
from onboarding.services import support_user_create
from people.models import Person

text = st.text(max_size=400) | st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "=1+1", "a" * 300])
lines = st.lists(text, max_size=6).map("\n".join)
emails = text | st.emails().map(str)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _refuses_or_completes(response):
    assert response.status_code in (200, 302), response.status_code


@pytest.mark.django_db
@FUZZ
@given(name=text, local_authority=text, agencies=lines, first=text, last=text, email=emails, agency=text)
def test_random_new_partnership_input_never_errors_or_half_saves(
    name, local_authority, agencies, first, last, email, agency
):
    support = _support()
    client = Client(raise_request_exception=False)
    client.force_login(support)
    before = (Partnership.objects.count(), Agency.objects.count(), Person.objects.count())
    response = client.post(
        reverse("onboarding:partnership_new"),
        {
            "name": name,
            "local_authority": local_authority,
            "board_name": name[:50],
            "committee_name": local_authority[:50],
            "agencies": agencies,
            "manager_first_name": first,
            "manager_last_name": last,
            "manager_email": email,
            "manager_agency": agency,
            "manager_job_title": first[:20],
        },
    )
    _refuses_or_completes(response)
    after = (Partnership.objects.count(), Agency.objects.count(), Person.objects.count())
    if response.status_code == 200:
        assert after == before
    else:
        assert after[0] == before[0] + 1 and after[2] == before[2] + 1 and after[1] > before[1]


def _support():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="fuzz.support").first() or support_user_create(
        username="fuzz.support", email="fuzz.support@example.org"
    )


@pytest.mark.django_db
@FUZZ
@given(first=text, second=text | st.just("same"))
def test_random_passwords_from_an_invitation_never_error(action, first, second):
    lead = action.lead
    lead.user.email = "lead@example.org"
    lead.user.save()
    Invitation.objects.filter(person=lead).delete()  # hypothesis runs every example in one test's transaction
    invitation = invite(person=lead, by=None)
    token = "t" * 43
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    client = Client(raise_request_exception=False)
    landing = client.get(reverse("invitation", args=[token]))
    response = client.post(
        landing["Location"], {"new_password1": first, "new_password2": first if second == "same" else second}
    )
    _refuses_or_completes(response)
    invitation.refresh_from_db()
    assert (invitation.accepted_at is not None) == (response.status_code == 302)


@pytest.mark.django_db
@FUZZ
@given(email=emails)
def test_random_reset_requests_never_error(email):
    from django.core.cache import cache

    cache.clear()  # hypothesis runs every example in one test: the reset requests' rate limit would refuse most
    response = Client(raise_request_exception=False).post(reverse("account_reset_password"), {"email": email})
    _refuses_or_completes(response)
