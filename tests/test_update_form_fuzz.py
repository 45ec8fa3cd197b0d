"""Random input to the update form and its "Check your answers" page: a page with errors, a refusal or a
redirect, never a server error or a half-save; nothing is submitted but the draft the check page shows."""

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
    intent=st.sampled_from(["check", "draft", "submit", "", "delete"]),
    new_date=st.sampled_from(["", "yes", "no", "maybe"]),
    achieved=st.tuples(date_part, date_part, date_part),
    check_version=st.sampled_from(["1", "2", "0", "-1", "x", ""]),
)
def test_random_update_input_never_errors_or_half_saves(
    action,
    narrative,
    evidence,
    quadrant,
    day,
    month,
    year,
    reason,
    sustainability,
    version,
    intent,
    new_date,
    achieved,
    check_version,
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
            "achieved_on_0": achieved[0],
            "achieved_on_1": achieved[1],
            "achieved_on_2": achieved[2],
            "new_target_date": new_date,
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
        assert after[0]["status"] == Update.Status.DRAFT  # saved, never submitted from the form itself
    else:
        assert after == before

    # Then the check page, submitted with whatever version: submitted as it was shown, or nothing changes.
    draft = list(Update.objects.values())
    check = client.post(reverse("actions:update_check", args=[action.pk]), {"version": check_version})
    assert check.status_code in (200, 302, 409)
    now = list(Update.objects.values())
    if draft and now != draft:
        assert check.status_code == 302 and check_version == str(draft[0]["version"])
        submitted = {**draft[0], "status": Update.Status.SUBMITTED, "version": draft[0]["version"] + 1}
        assert {key: now[0][key] for key in submitted if key not in ("submitted_at", "submitted_by_id")} == {
            key: value for key, value in submitted.items() if key not in ("submitted_at", "submitted_by_id")
        }
    else:
        assert now == draft
