"""Action leads write, save and submit their update for the open round."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import EvidenceFile, MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import ActionFactory, MonitoringRoundFactory, PersonFactory, UpdateFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def open_round(action):
    return MonitoringRoundFactory(
        plan=action.plan,
        label="Q2 2020/21",
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )


@pytest.fixture
def lead_client(client, action):
    client.force_login(action.lead.user)
    return client


def form_data(version=0, intent="check", **overrides):
    data = {
        "version": version,
        "intent": intent,
        "narrative": "Referral form relaunched at three locality events.",
        "evidence": "Audit of 40 referrals: 36 used the new form.",
        "barriers": "",
        "next_steps": "Re-audit in September.",
        "proposed_quadrant": Quadrant.GREEN,
        "sustainability_plan": "",
        "requested_target_date_0": "",
        "requested_target_date_1": "",
        "requested_target_date_2": "",
        "requested_target_reason": "",
    }
    data.update(overrides)
    return data


def update_url(action):
    return reverse("actions:update", args=[action.pk])


def check_url(action):
    return reverse("actions:update_check", args=[action.pk])


def submit(client, action, data):
    """Continue from the form, then submit from "Check your answers" the version it shows."""
    response = client.post(update_url(action), data)
    assert response.status_code == 302 and response["Location"] == check_url(action)
    version = Update.objects.get(action=action).version
    assert f'name="version" value="{version}"' in client.get(check_url(action)).content.decode()
    return client.post(check_url(action), {"version": version})


def test_my_actions_lists_what_i_lead_with_round_state(lead_client, action, open_round, other_partnership_action):
    response = lead_client.get(reverse("actions:mine"))
    page = response.content.decode()
    assert response.status_code == 200
    assert action.description in page
    assert "Not started" in page
    assert "Q2 2020/21 round: due 15 September 2030" in page
    assert other_partnership_action.description not in page


def test_my_actions_marks_a_late_update_overdue(lead_client, action, open_round):
    open_round.update_deadline = datetime.date(2020, 1, 1)
    open_round.period_end = datetime.date(2020, 1, 31)
    open_round.save()
    page = lead_client.get(reverse("actions:mine")).content.decode()
    assert "<strong>Overdue</strong>: the Q2 2020/21 update was due on 1 January 2020." in page
    assert 'govuk-tag govuk-tag--red">Not started</strong>' in page


def test_lead_submits_update(lead_client, action, open_round):
    response = lead_client.post(update_url(action), form_data())
    assert response.status_code == 302
    assert Update.objects.get(action=action, round=open_round).status == Update.Status.DRAFT  # not yet sent
    response = lead_client.post(check_url(action), {"version": 1})
    assert response.status_code == 302 and response["Location"] == reverse("actions:mine")
    update = Update.objects.get(action=action, round=open_round)
    assert update.status == Update.Status.SUBMITTED
    assert update.proposed_quadrant == Quadrant.GREEN
    assert update.submitted_by == action.lead
    assert update.version == 2
    assert update.history.first().history_user == action.lead.user


def test_lead_saves_draft_without_a_quadrant(lead_client, action, open_round):
    response = lead_client.post(update_url(action), form_data(intent="draft", proposed_quadrant=""))
    assert response.status_code == 302
    assert Update.objects.get(action=action).status == Update.Status.DRAFT


def test_submit_needs_progress_and_a_quadrant(lead_client, action, open_round):
    response = lead_client.post(update_url(action), form_data(narrative="", proposed_quadrant=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Describe the progress made before you submit" in page
    assert "Select the quadrant you think this action is in" in page
    assert not Update.objects.exists()


def test_quadrant_choices_show_the_partnerships_descriptions(lead_client, action, open_round):
    page = lead_client.get(update_url(action)).content.decode()
    assert "Good progress, all actions taken and on track" in page
    assert "▲ Yellow" in page


def test_completion_needs_evidence_and_a_sustainability_plan(lead_client, action, open_round):
    response = lead_client.post(
        update_url(action), form_data(proposed_quadrant=Quadrant.COMPLETE, evidence="", sustainability_plan="")
    )
    page = response.content.decode()
    assert "Give the evidence that the action is complete, or attach it" in page
    assert "Say how the change will last before proposing completion" in page
    assert not Update.objects.exists()


def test_completion_with_evidence_and_plan_is_submitted(lead_client, action, open_round):
    response = submit(
        lead_client,
        action,
        form_data(proposed_quadrant=Quadrant.COMPLETE, sustainability_plan="Annual audit by the sub-group."),
    )
    assert response.status_code == 302
    assert Update.objects.get().proposes_completion
    assert Update.objects.get().status == Update.Status.SUBMITTED


def test_new_target_date_needs_a_reason(lead_client, action, open_round):
    response = lead_client.post(
        update_url(action),
        form_data(requested_target_date_0="31", requested_target_date_1="3", requested_target_date_2="2031"),
    )
    assert "Say why the target date needs to change" in response.content.decode()
    response = lead_client.post(
        update_url(action),
        form_data(
            new_target_date="yes",
            requested_target_date_0="31",
            requested_target_date_1="3",
            requested_target_date_2="2031",
            requested_target_reason="Roadshows postponed by lockdown.",
        ),
    )
    assert response.status_code == 302
    assert Update.objects.get().requested_target_date == datetime.date(2031, 3, 31)


def test_impossible_date_is_refused_clearly(lead_client, action, open_round):
    response = lead_client.post(
        update_url(action),
        form_data(
            requested_target_date_0="31",
            requested_target_date_1="2",
            requested_target_date_2="2031",
            requested_target_reason="x",
        ),
    )
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()
    assert not Update.objects.exists()


def test_over_long_text_is_refused(lead_client, action, open_round):
    response = lead_client.post(update_url(action), form_data(narrative="x" * 5001))
    assert "Progress must be 5,000 characters or fewer" in response.content.decode()


def test_second_save_from_a_stale_form_is_refused_and_shows_both_versions(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(intent="draft", narrative="First words."))
    deputy_client = lead_client.__class__()
    manager = PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.MANAGER)
    deputy_client.force_login(manager.user)
    deputy_client.post(update_url(action), form_data(version=1, intent="draft", narrative="Manager's words."))

    response = lead_client.post(update_url(action), form_data(version=1, intent="draft", narrative="Lead's words."))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this update while you were editing it" in page
    assert "Manager&#x27;s words." in page and "Lead&#x27;s words." in page
    update = Update.objects.get()
    assert update.narrative == "Manager's words."
    assert update.version == 2

    # The form now carries the saved version, so saving again deliberately goes through.
    response = lead_client.post(update_url(action), form_data(version=2, intent="draft", narrative="Lead's words."))
    assert response.status_code == 302
    assert Update.objects.get().narrative == "Lead's words."


def test_another_lead_cannot_edit_my_action(client, action, open_round):
    other_lead = PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.LEAD)
    client.force_login(other_lead.user)
    assert client.get(update_url(action)).status_code == 403
    assert client.post(update_url(action), form_data()).status_code == 403
    assert not Update.objects.exists()


def test_viewer_cannot_edit_even_an_action_they_lead(client, action, open_round):
    action.lead.role = Person.Role.VIEWER
    action.lead.save()
    client.force_login(action.lead.user)
    assert client.post(update_url(action), form_data()).status_code == 403


def test_other_partnership_gets_not_found(client, action, open_round, other_partnership_action):
    client.force_login(other_partnership_action.lead.user)
    assert client.get(update_url(action)).status_code == 404
    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 404


def test_update_is_read_only_once_the_round_leaves_open(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(intent="draft"))
    open_round.state = MonitoringRound.State.SENSE_CHECK
    open_round.save()
    response = lead_client.post(update_url(action), form_data(version=1, narrative="Too late"))
    assert response.status_code == 302
    assert Update.objects.get().narrative != "Too late"


def test_agreed_update_is_read_only(lead_client, action, open_round):
    UpdateFactory(
        action=action,
        round=open_round,
        status=Update.Status.AGREED,
        proposed_quadrant="green",
        agreed_quadrant="green",
    )
    response = lead_client.post(update_url(action), form_data(version=1, narrative="Rewritten"))
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    assert Update.objects.get().narrative != "Rewritten"


def test_evidence_file_is_stored_under_a_random_name_and_served_only_to_members(
    lead_client, client, action, open_round, settings, tmp_path, other_partnership_action
):
    settings.EVIDENCE_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/audit report.pdf", PDF, content_type="application/pdf")
    response = lead_client.post(update_url(action), {**form_data(), "files": upload})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "audit report.pdf"
    assert "audit" not in evidence.file.name and ".." not in evidence.file.name
    assert (tmp_path / evidence.file.name).read_bytes() == PDF

    download = lead_client.get(reverse("actions:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'attachment; filename="audit report.pdf"' in download["Content-Disposition"]

    client.force_login(other_partnership_action.lead.user)
    assert client.get(reverse("actions:evidence", args=[evidence.pk])).status_code == 404


def test_evidence_with_a_non_ascii_name_downloads_under_that_name_and_is_never_cached(
    lead_client, action, open_round, settings, tmp_path
):
    settings.EVIDENCE_ROOT = tmp_path
    upload = SimpleUploadedFile("Évaluation été.pdf", PDF, content_type="application/pdf")
    assert lead_client.post(update_url(action), {**form_data(), "files": upload}).status_code == 302

    download = lead_client.get(reverse("actions:evidence", args=[EvidenceFile.objects.get().pk]))
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''%C3%89valuation%20%C3%A9t%C3%A9.pdf"
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("payload.exe", b"MZ\x90\x00", "must be a PDF, Word, Excel"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "is not really a .pdf file"),
        ("data.csv", b"a,b\x00,c", "is not a text CSV file"),
    ],
)
def test_refused_file_gets_a_clear_message_and_nothing_is_saved(
    lead_client, action, open_round, settings, tmp_path, name, content, message
):
    settings.EVIDENCE_ROOT = tmp_path
    response = lead_client.post(update_url(action), {**form_data(), "files": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Update.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not list(tmp_path.rglob("*"))


def test_file_over_the_size_limit_is_refused(lead_client, action, open_round, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    response = lead_client.post(update_url(action), {**form_data(), "files": upload})
    assert "a file must be smaller than 1\xa0KB" in response.content.decode()
    assert not Update.objects.exists()


def test_action_page_shows_history_of_updates_and_date_changes(lead_client, action, open_round):
    submit(lead_client, action, form_data())
    action.revised_target_date = datetime.date(2031, 3, 31)
    action.revised_target_reason = "Agreed at sub-group"
    action.save()
    page = lead_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Q2 2020/21: update submitted, proposing Green" in page
    assert "Revised target date set to 31 March 2031" in page
    assert action.lead.name in page


@pytest.mark.parametrize("actions", [5, 100])
def test_my_actions_query_count_is_the_same_for_5_and_100_actions(
    lead_client, action, open_round, django_assert_num_queries, actions
):
    for _ in range(actions - 1):
        extra = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
        UpdateFactory(action=extra, round=open_round)
    # session, user, person, partnership, actions, open rounds, updates, session save (+savepoints)
    with django_assert_num_queries(MY_ACTIONS_QUERIES):
        response = lead_client.get(reverse("actions:mine"))
    assert response.content.decode().count("Continue update") == actions - 1


MY_ACTIONS_QUERIES = 11


@pytest.mark.parametrize("submit", [True, False])
def test_the_service_refuses_completion_without_evidence_or_a_sustainability_plan(action, open_round, submit):
    """The rule lives in update_save, so no caller (form, import, script) can skip it."""
    from actions import services

    with pytest.raises(services.UpdateInvalid) as refused:
        services.update_save(
            action=action,
            monitoring_round=open_round,
            by=action.lead,
            expected_version=0,
            fields={"narrative": "Done.", "proposed_quadrant": Quadrant.COMPLETE},
            submit=submit,
        )
    assert set(refused.value.errors) == {"evidence", "sustainability_plan"}
    assert not Update.objects.filter(action=action).exists()


def test_the_service_refuses_a_submission_without_progress_or_a_quadrant(action, open_round):
    from actions import services

    with pytest.raises(services.UpdateInvalid) as refused:
        services.update_save(
            action=action, monitoring_round=open_round, by=action.lead, expected_version=0, fields={}, submit=True
        )
    assert set(refused.value.errors) == {"narrative", "proposed_quadrant"}
    assert not Update.objects.filter(action=action).exists()
