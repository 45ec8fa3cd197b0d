"""A sign-in lasts 30 minutes idle and 12 hours in all, and the session is not written on every request."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

START = datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC)


def at(minutes: float):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def session_writes(client, url: str) -> tuple[int, int]:
    """The response's status and how many times the request wrote the session row."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    writes = [
        query["sql"]
        for query in captured
        if "django_session" in query["sql"] and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    return status, len(writes)


@pytest.fixture
def lead_client(client, action):
    with at(0):
        client.force_login(action.lead.user)
    return client


def test_idle_for_31_minutes_signs_you_out(lead_client):
    mine = reverse("actions:mine")
    with at(0):
        assert lead_client.get(mine).status_code == 200
    with at(29):
        assert lead_client.get(mine).status_code == 200
    with at(29 + 31):
        response = lead_client.get(mine)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_idle_for_29_minutes_keeps_you_signed_in_even_when_the_last_request_wrote_nothing(lead_client):
    mine = reverse("actions:mine")
    with at(0):
        assert session_writes(lead_client, mine) == (200, 1)
    with at(0.9):  # within the minute: nothing written, so the idle limit counts from 0
        assert session_writes(lead_client, mine) == (200, 0)
    with at(29.5):
        assert lead_client.get(mine).status_code == 200


def test_active_every_five_minutes_you_are_signed_out_at_twelve_hours(lead_client):
    mine = reverse("actions:mine")
    for minutes in range(0, 12 * 60, 5):
        with at(minutes):
            assert lead_client.get(mine).status_code == 200, f"signed out after {minutes} minutes"
    with at(12 * 60 + 5):
        response = lead_client.get(mine, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "signed in more than 12 hours ago" in response.content.decode()


def test_two_requests_within_the_minute_write_the_session_once(lead_client):
    mine = reverse("actions:mine")
    with at(0):
        assert session_writes(lead_client, mine) == (200, 1)  # the sign-in's time, and the first refresh
    with at(0.5):
        assert session_writes(lead_client, mine) == (200, 0)
    with at(1.1):
        assert session_writes(lead_client, mine) == (200, 1)  # a minute on: the idle limit moves on
    with at(1.2):
        assert session_writes(lead_client, mine) == (200, 0)
