"""Random input to the update form: a page with errors or a redirect, never a server error or a half-save."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import MonitoringRound, Update
from tests.factories import MonitoringRoundFactory

text = st.text(max_size=6000) | st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "=1+1"])
date_part = st.text(max_size=6) | st.integers(min_value=-5, max_value=100000).map(str)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    narrative=text,
    evidence=text,
    quadrant=st.sampled_from(["", "green", "yellow", "amber", "red", "complete", "purple", "0"]),
    day=date_part,
    month=date_part,
    year=date_part,
    reason=text,
    sustainability=text,
    version=st.sampled_from(["0", "1", "-1", "x", "", "99999999999999999999"]),
    intent=st.sampled_from(["submit", "draft", "", "delete"]),
)
def test_random_update_input_never_errors_or_half_saves(
    action, narrative, evidence, quadrant, day, month, year, reason, sustainability, version, intent
):
    MonitoringRound.objects.filter(plan=action.plan).delete()
    MonitoringRoundFactory(
        plan=action.plan,
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )
    client = Client(raise_request_exception=False)
    client.force_login(action.lead.user)
    before = list(Update.objects.values())
    response = client.post(
        reverse("actions:update", args=[action.pk]),
        {
            "version": version,
            "intent": intent,
            "narrative": narrative,
            "evidence": evidence,
            "barriers": narrative[:50],
            "next_steps": evidence[:50],
            "proposed_quadrant": quadrant,
            "sustainability_plan": sustainability,
            "requested_target_date_0": day,
            "requested_target_date_1": month,
            "requested_target_date_2": year,
            "requested_target_reason": reason,
        },
    )
    assert response.status_code in (200, 302, 409)
    after = list(Update.objects.values())
    if response.status_code == 302:
        assert len(after) == 1 and after[0]["narrative"] == narrative.strip()
    else:
        assert after == before
