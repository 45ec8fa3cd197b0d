"""The committee report says what the record says: completions with their date and evidence, each action once."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from actions import services
from actions.models import EvidenceFile, MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import ActionFactory, FindingFactory, MonitoringRoundFactory, PersonFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def report_text(client, monitoring_round):
    page = client.get(reverse("reports:committee_report", args=[monitoring_round.pk])).content.decode()
    return " ".join(strip_tags(page).split())


def test_a_completed_action_shows_its_completion_date_and_evidence_and_each_action_is_printed_once(client, action):
    plan = action.plan
    partnership = plan.inspection.partnership
    chair = PersonFactory(partnership=partnership, role=Person.Role.CHAIR)
    officer = PersonFactory(partnership=partnership, role=Person.Role.OFFICER)
    first = FindingFactory(inspection=plan.inspection, number=1, text="Referral formats vary")
    second = FindingFactory(inspection=plan.inspection, number=2, text="Strategy meetings lack attendance")
    action.areas.add(first, second)  # answers two areas
    other = ActionFactory(plan=plan, lead=action.lead, lead_agency=action.lead_agency, description="Second action")
    other.areas.add(second)
    june = MonitoringRoundFactory(
        plan=plan, label="June 2020", state=MonitoringRound.State.SENSE_CHECK, period_end=datetime.date(2020, 6, 30)
    )
    done = UpdateFactory(
        action=action,
        round=june,
        status=Update.Status.SUBMITTED,
        proposed_quadrant=Quadrant.COMPLETE,
        evidence="Audit of 40 referrals",
        sustainability_plan="Re-audit yearly",
        achieved_on=datetime.date(2020, 6, 19),
    )
    EvidenceFile.objects.create(
        update=done,
        file="1/abc",
        original_name="referral-audit.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=action.lead,
    )
    services.update_agree(action=action, monitoring_round=june, by=chair, quadrant=Quadrant.COMPLETE)
    services.update_agree(action=other, monitoring_round=june, by=chair, quadrant=Quadrant.GREEN, reason="On track")
    services.round_close(monitoring_round=june, by=chair, meeting_on=datetime.date(2020, 7, 8))

    client.force_login(officer.user)
    text = report_text(client, june)
    assert "Completed on 19 June 2020. Evidence: referral-audit.pdf." in text  # the lead's date, before the meeting
    appendix = text[text.index("Appendix B") :]
    assert appendix.count(f"Lead agency: {action.lead_agency.name}") == 2  # two actions, each once in full
    assert f"{action.reference} {action.description}: set out under Area for improvement 1." in appendix
