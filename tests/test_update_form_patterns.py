"""The lead's update form in GOV.UK patterns: questions revealed by an answer, character counts, the file
upload, removing a file from a draft, and "Check your answers" as the one way an update is submitted."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions.models import EvidenceFile, MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import MonitoringRoundFactory, PersonFactory, UpdateFactory

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


@pytest.fixture
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path
    return tmp_path


def form_data(version=0, intent="check", **overrides):
    return {
        "version": version,
        "intent": intent,
        "narrative": "Referral form relaunched at three locality events.",
        "evidence": "Audit of 40 referrals: 36 used the new form.",
        "barriers": "",
        "next_steps": "Re-audit in September.",
        "proposed_quadrant": Quadrant.GREEN,
        "sustainability_plan": "",
        "new_target_date": "no",
        "requested_target_reason": "",
        **overrides,
    }


def update_url(action):
    return reverse("actions:update", args=[action.pk])


def check_url(action):
    return reverse("actions:update_check", args=[action.pk])


def group_of(page: str, element_id: str) -> str:
    """The form group holding the element with this id, as HTML (up to the next form group)."""
    start = page.rindex('class="govuk-form-group', 0, page.index(f'id="{element_id}"'))
    end = page.find('class="govuk-form-group', page.index(f'id="{element_id}"'))
    return page[start:end]


# Questions revealed by an answer -----------------------------------------------


def test_completion_questions_are_revealed_by_complete_and_the_new_date_by_yes(lead_client, action, open_round):
    page = lead_client.get(update_url(action)).content.decode()
    assert page.count('data-module="govuk-radios"') == 2

    complete = re.search(r'<input[^>]*value="complete"[^>]*>', page).group(0)
    assert 'data-aria-controls="conditional-proposed_quadrant-5"' in complete
    revealed = page[page.index('id="conditional-proposed_quadrant-5"') :]
    revealed = revealed[: revealed.index('id="div_id_new_target_date"')]
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in page
    assert 'id="id_sustainability_plan"' in revealed and 'id="id_achieved_on_0"' in revealed
    assert "give the evidence that the action is complete" in revealed
    for quadrant in ("green", "yellow", "amber", "red"):
        other = re.search(rf'<input[^>]*value="{quadrant}"[^>]*>', page).group(0)
        assert "data-aria-controls" not in other

    yes = re.search(r'<input[^>]*name="new_target_date"[^>]*value="yes"[^>]*>', page).group(0)
    assert 'data-aria-controls="conditional-new_target_date-1"' in yes
    revealed = page[page.index('id="conditional-new_target_date-1"') :]
    assert 'id="id_requested_target_date_0"' in revealed and 'id="id_requested_target_reason"' in revealed
    assert "The current target date is" in page


def test_a_saved_answer_shows_its_revealed_questions_open(lead_client, action, open_round):
    data = form_data(
        intent="draft",
        proposed_quadrant=Quadrant.COMPLETE,
        sustainability_plan="Audited yearly.",
        new_target_date="yes",
        requested_target_date_0="31",
        requested_target_date_1="3",
        requested_target_date_2="2031",
        requested_target_reason="Roadshows postponed.",
    )
    assert lead_client.post(update_url(action), data).status_code == 302
    page = lead_client.get(update_url(action)).content.decode()
    assert 'class="govuk-radios__conditional" id="conditional-proposed_quadrant-5"' in page
    assert 'class="govuk-radios__conditional" id="conditional-new_target_date-1"' in page
    assert re.search(r'<input[^>]*value="yes"[^>]*checked', page)


def test_answers_under_an_unchosen_option_are_not_saved_but_the_rules_still_hold(lead_client, action, open_round):
    """Without JavaScript every revealed question shows: what is typed under an option not chosen is dropped."""
    data = form_data(
        intent="draft",
        proposed_quadrant=Quadrant.AMBER,
        sustainability_plan="Typed, then amber chosen.",
        achieved_on_0="1",
        achieved_on_1="6",
        achieved_on_2="2020",
        new_target_date="no",
        requested_target_date_0="31",
        requested_target_date_1="2",  # not even a real date: not asked, so not checked
        requested_target_date_2="2031",
        requested_target_reason="Changed my mind.",
    )
    assert lead_client.post(update_url(action), data).status_code == 302
    update = Update.objects.get()
    assert (update.sustainability_plan, update.achieved_on) == ("", None)
    assert (update.requested_target_date, update.requested_target_reason) == (None, "")

    # No answer to the new-date question (a browser without JavaScript): the date typed is the lead's.
    data.update(version=1, new_target_date="", requested_target_date_1="3")
    assert lead_client.post(update_url(action), data).status_code == 302
    assert Update.objects.get().requested_target_date == datetime.date(2031, 3, 31)

    # "Yes" with no date is a message beside the date, and nothing is saved.
    data.update(version=2, new_target_date="yes", requested_target_reason="", requested_target_date_0="")
    data.update(requested_target_date_1="", requested_target_date_2="")
    response = lead_client.post(update_url(action), data)
    assert response.status_code == 200
    error = re.search(r'id="id_requested_target_date_1_error"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert "Enter the new target date, or select no" in response.content.decode()[error.end() : error.end() + 80]
    assert Update.objects.get().version == 2

    # Completing still needs a sustainability plan: the one rule, update_problems.
    response = lead_client.post(update_url(action), form_data(version=2, proposed_quadrant=Quadrant.COMPLETE))
    page = response.content.decode()
    assert "Say how the change will last before proposing completion" in group_of(page, "id_sustainability_plan")
    assert Update.objects.get().version == 2


# Character counts and the file upload ------------------------------------------

COUNTED = ("narrative", "evidence", "barriers", "next_steps", "sustainability_plan", "requested_target_reason")


def test_each_long_text_box_has_a_character_count_of_5000(lead_client, action, open_round):
    page = lead_client.get(update_url(action)).content.decode()
    for name in COUNTED:
        group = group_of(page, f"id_{name}")
        assert 'govuk-character-count" data-module="govuk-character-count" data-maxlength="5000"' in group, name
        textarea = re.search(rf'<textarea[^>]*id="id_{name}"[^>]*>', group).group(0)
        assert 'rows="5"' in textarea and "govuk-js-character-count" in textarea
        assert "maxlength" not in textarea  # a lead may type past the limit and see by how much
        assert f"id_{name}-info" in textarea.split("aria-describedby=")[1]
        assert f'<div id="id_{name}-info" class="govuk-hint govuk-character-count__message">' in group
        assert "You can enter up to 5,000 characters" in group


def test_text_over_5000_characters_is_refused_beside_its_box(lead_client, action, open_round):
    response = lead_client.post(update_url(action), form_data(evidence="x" * 5001))
    group = group_of(response.content.decode(), "id_evidence")
    assert "Evidence must be 5,000 characters or fewer" in group
    assert "govuk-textarea--error" in group
    assert not Update.objects.exists()
    assert lead_client.post(update_url(action), form_data(evidence="x" * 5000)).status_code == 302


def test_evidence_files_use_the_gov_uk_file_upload_with_the_allowed_types(lead_client, action, open_round, settings):
    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    page = lead_client.get(update_url(action)).content.decode()
    group = group_of(page, "id_files")
    assert '<div class="govuk-drop-zone" data-module="govuk-file-upload">' in group
    file_input = re.search(r'<input[^>]*type="file"[^>]*>', group).group(0)
    assert 'class="govuk-file-upload"' in file_input and "multiple" in file_input
    assert 'accept=".pdf,.doc,.docx,' in file_input
    assert "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF or CSV" in group
    assert "Each file must be smaller than 10\xa0MB" in group


# Removing a file from a draft --------------------------------------------------


@pytest.fixture
def draft_with_file(lead_client, action, open_round, evidence_root):
    upload = SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf")
    response = lead_client.post(update_url(action), {**form_data(intent="draft"), "files": upload})
    assert response.status_code == 302
    return EvidenceFile.objects.get()


def remove(client, evidence, version):
    return client.post(reverse("actions:evidence_remove", args=[evidence.pk]), {"version": version})


def test_a_lead_removes_a_file_from_their_draft_and_history_names_them(
    lead_client, action, draft_with_file, evidence_root, django_capture_on_commit_callbacks
):
    page = lead_client.get(update_url(action)).content.decode()
    assert f'form="remove-file-{draft_with_file.pk}"' in page
    form = page[page.index(f'<form id="remove-file-{draft_with_file.pk}"') :]
    form = form[: form.index("</form>")]
    assert f'action="{reverse("actions:evidence_remove", args=[draft_with_file.pk])}"' in form
    assert "csrfmiddlewaretoken" in form and 'name="version" value="1"' in form

    stored = evidence_root / draft_with_file.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = remove(lead_client, draft_with_file, 1)
    assert response.status_code == 302 and response["Location"] == update_url(action)
    assert not EvidenceFile.objects.exists()
    assert not stored.exists()  # deleted once the removal is committed
    removal = EvidenceFile.history.filter(id=draft_with_file.pk, history_type="-").get()
    assert removal.history_user == action.lead.user
    update = Update.objects.get()
    assert update.version == 2 and update.history.first().history_user == action.lead.user

    assert "audit.pdf removed from your draft update." in lead_client.get(update_url(action)).content.decode()
    timeline = lead_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Q2 2020/21: audit.pdf removed" in timeline and "Q2 2020/21: audit.pdf attached" in timeline
    assert action.lead.name in timeline


def test_removing_needs_csrf_and_a_post(action, draft_with_file):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(action.lead.user)
    assert remove(browser, draft_with_file, 1).status_code == 403
    assert browser.get(reverse("actions:evidence_remove", args=[draft_with_file.pk])).status_code == 302
    assert EvidenceFile.objects.exists()


def test_a_stale_page_cannot_remove_a_file(lead_client, action, draft_with_file):
    lead_client.post(update_url(action), form_data(version=1, intent="draft", narrative="Saved again."))
    response = remove(lead_client, draft_with_file, 1)
    assert response.status_code == 302
    assert EvidenceFile.objects.exists() and Update.objects.get().version == 2
    page = lead_client.get(update_url(action)).content.decode()
    assert "Someone else saved this update after you opened it, so audit.pdf was not removed" in page
    for version in ("", "x", "-1"):
        assert remove(lead_client, draft_with_file, version).status_code == 302
    assert EvidenceFile.objects.exists()


def test_a_submitted_update_keeps_its_files(lead_client, action, draft_with_file):
    assert lead_client.post(update_url(action), form_data(version=1)).status_code == 302
    assert lead_client.post(check_url(action), {"version": 2}).status_code == 302
    assert Update.objects.get().status == Update.Status.SUBMITTED
    page = lead_client.get(update_url(action)).content.decode()
    assert 'form="remove-file-' not in page and "To remove a file, save the update as a draft first." in page
    response = remove(lead_client, draft_with_file, 3)
    assert response.status_code == 302 and response["Location"] == reverse("actions:detail", args=[action.pk])
    assert EvidenceFile.objects.exists()


def test_no_file_is_removed_once_the_round_stops_taking_updates(lead_client, draft_with_file, open_round):
    open_round.state = MonitoringRound.State.SENSE_CHECK
    open_round.save()
    assert remove(lead_client, draft_with_file, 1).status_code == 302
    assert EvidenceFile.objects.exists()


def test_the_only_evidence_of_a_completion_stays(lead_client, action, draft_with_file):
    data = form_data(version=1, intent="draft", evidence="", proposed_quadrant=Quadrant.COMPLETE)
    data["sustainability_plan"] = "Audited yearly."
    assert lead_client.post(update_url(action), data).status_code == 302
    assert remove(lead_client, draft_with_file, 2).status_code == 302
    assert EvidenceFile.objects.exists()
    assert "audit.pdf is the only evidence that the action is complete" in (
        lead_client.get(update_url(action)).content.decode()
    )


def test_only_someone_who_may_edit_the_update_removes_its_files(
    client, action, draft_with_file, other_partnership_action
):
    partnership = action.plan.inspection.partnership
    client.force_login(other_partnership_action.lead.user)
    assert remove(client, draft_with_file, 1).status_code == 404
    for role in (Person.Role.LEAD, Person.Role.VIEWER, Person.Role.CHAIR):
        client.force_login(PersonFactory(partnership=partnership, role=role).user)
        assert remove(client, draft_with_file, 1).status_code == 403
    assert EvidenceFile.objects.exists()
    manager = PersonFactory(partnership=partnership, role=Person.Role.MANAGER)
    client.force_login(manager.user)
    assert remove(client, draft_with_file, 1).status_code == 302
    assert EvidenceFile.history.get(history_type="-").history_user == manager.user


# Check your answers -------------------------------------------------------------


def test_continue_saves_a_draft_and_shows_every_answer_to_check(lead_client, action, open_round, evidence_root):
    data = form_data(
        proposed_quadrant=Quadrant.COMPLETE,
        sustainability_plan="Audited yearly by the sub-group.",
        achieved_on_0="1",
        achieved_on_1="6",
        achieved_on_2="2020",
        new_target_date="yes",
        requested_target_date_0="31",
        requested_target_date_1="3",
        requested_target_date_2="2031",
        requested_target_reason="Roadshows postponed.",
        files=SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf"),
    )
    response = lead_client.post(update_url(action), data)
    assert response.status_code == 302 and response["Location"] == check_url(action)
    assert Update.objects.get().status == Update.Status.DRAFT

    response = lead_client.get(check_url(action))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check your update before you submit it" in page
    for answer in (
        "Referral form relaunched at three locality events.",
        "Audit of 40 referrals: 36 used the new form.",
        "Re-audit in September.",
        "Audited yearly by the sub-group.",
        "1 June 2020",
        "31 March 2031",
        "Roadshows postponed.",
        "audit.pdf",
    ):
        assert answer in page, answer
    change_link = r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)<'
    changes = re.findall(change_link, page)
    anchors = {label: href.split("#")[1] for href, label in changes}
    assert {href.split("#")[0] for href, _ in changes} == {update_url(action)}
    assert anchors == {
        "progress": "id_narrative",
        "evidence": "id_evidence",
        "evidence files": "id_files",
        "barriers": "id_barriers",
        "next steps": "id_next_steps",
        "proposed quadrant": "id_proposed_quadrant_1",
        "sustainability plan": "id_sustainability_plan",
        "date achieved": "id_achieved_on_0",
        "new target date": "id_new_target_date_1",
        "why the target date needs to change": "id_requested_target_reason",
    }
    form_page = lead_client.get(update_url(action)).content.decode()
    assert all(f'id="{anchor}"' in form_page for anchor in anchors.values())

    response = lead_client.post(check_url(action), {"version": 1})
    assert response.status_code == 302 and response["Location"] == reverse("actions:mine")
    update = Update.objects.get()
    assert (update.status, update.version, update.submitted_by) == (Update.Status.SUBMITTED, 2, action.lead)
    assert "Update on" in lead_client.get(reverse("actions:mine")).content.decode()


def test_nothing_is_submitted_from_the_form_itself(lead_client, action, open_round):
    """Only the check page submits: an old "submit" post, or any other intent, is at most a draft."""
    for version, intent in enumerate(["submit", "draft", "anything"]):
        assert lead_client.post(update_url(action), form_data(version=version, intent=intent)).status_code == 302
        assert Update.objects.get().status == Update.Status.DRAFT


def test_bad_answers_stop_at_the_form_and_nothing_is_half_saved(lead_client, action, open_round, evidence_root):
    bad = form_data(
        narrative="",
        proposed_quadrant=Quadrant.COMPLETE,
        files=SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf"),
    )
    response = lead_client.post(update_url(action), bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Describe the progress made before you submit" in page
    assert "Say how the change will last before proposing completion" in page
    assert not Update.objects.exists() and not EvidenceFile.objects.exists()
    assert not list(evidence_root.rglob("*"))
    assert lead_client.get(check_url(action))["Location"] == update_url(action)  # nothing to check yet


def test_files_chosen_on_a_refused_save_are_asked_for_again_beside_the_field_and_in_the_summary(
    lead_client, action, open_round, evidence_root
):
    upload = SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf")
    refused = form_data(intent="draft", proposed_quadrant=Quadrant.COMPLETE, files=upload)
    page = lead_client.post(update_url(action), refused).content.decode()
    message = "Your files were not saved because of the other errors on this page: choose them again"
    assert message in group_of(page, "id_files")
    summary = page[page.index('class="govuk-error-summary') : page.index("</ul>", page.index("govuk-error-summary"))]
    assert f'href="#id_files">{message}</a>' in summary
    assert summary.index(message) < summary.index("Say how the change will last")  # in the order of the page
    assert not EvidenceFile.objects.exists()

    without_files = lead_client.post(update_url(action), form_data(intent="draft", proposed_quadrant=Quadrant.COMPLETE))
    assert "choose them again" not in without_files.content.decode()
    again = SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf")
    saved = lead_client.post(update_url(action), {**form_data(intent="draft"), "files": again})
    assert saved.status_code == 302 and EvidenceFile.objects.count() == 1


def test_the_page_says_which_answers_a_draft_must_complete_and_that_removing_a_file_reloads_it(
    lead_client, action, draft_with_file
):
    page = lead_client.get(update_url(action)).content.decode()
    assert "You can save a draft at any time; what you say about completion or a new date must be complete" in page
    files = page[page.index("Files attached") : page.index('class="govuk-summary-list app-update-files"')]
    assert "Removing a file reloads this page: save your draft first if you have changed anything" in files


def test_a_draft_that_cannot_be_submitted_says_why_on_the_check_page(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(intent="draft", narrative="", proposed_quadrant=""))
    response = lead_client.get(check_url(action))
    page = response.content.decode()
    assert response.status_code == 200 and page.count("Error: ") == 1
    assert f'<a href="{update_url(action)}#id_narrative">Describe the progress made before you submit</a>' in page
    assert "Select the quadrant you think this action is in" in page
    assert "Submit update" not in page
    assert lead_client.post(check_url(action), {"version": 1}).status_code == 200
    assert Update.objects.get().status == Update.Status.DRAFT


def test_a_stale_submit_is_refused_with_both_versions(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(narrative="Lead's words."))
    assert "Lead&#x27;s words." in lead_client.get(check_url(action)).content.decode()  # the lead checks version 1
    manager = PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.MANAGER)
    deputy = Client()
    deputy.force_login(manager.user)
    deputy.post(update_url(action), form_data(version=1, intent="draft", narrative="Manager's words."))

    response = lead_client.post(check_url(action), {"version": 1})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this update while you were editing it" in page
    assert "Manager&#x27;s words." in page and "Lead&#x27;s words." in page
    assert 'name="version" value="2"' in page  # the form carries the version now saved
    update = Update.objects.get()
    assert (update.status, update.narrative, update.version) == (Update.Status.DRAFT, "Manager's words.", 2)

    # Not even a version the page never showed submits: only the one saved now.
    for version in ("0", "3", "x", ""):
        assert lead_client.post(check_url(action), {"version": version}).status_code == 409
    assert Update.objects.get().status == Update.Status.DRAFT


def test_a_double_click_on_submit_submits_once_and_both_clicks_end_in_success(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(narrative="Lead's words."))
    check_page = lead_client.get(check_url(action)).content.decode()
    assert 'name="version" value="1"' in check_page

    first = lead_client.post(check_url(action), {"version": 1})
    second = lead_client.post(check_url(action), {"version": 1}, follow=True)
    assert first.status_code == 302 and first["Location"] == reverse("actions:mine")
    assert second.redirect_chain == [(reverse("actions:mine"), 302)]
    assert f"Update on {action.reference} submitted to the sub-group." in second.content.decode()
    update = Update.objects.get()
    assert (update.status, update.version, update.submitted_by) == (Update.Status.SUBMITTED, 2, action.lead)
    assert update.history.filter(status=Update.Status.SUBMITTED).count() == 1


def test_a_stale_submit_after_someone_else_submitted_is_still_a_conflict(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(narrative="Lead's words."))
    manager = PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.MANAGER)
    deputy = Client()
    deputy.force_login(manager.user)
    assert deputy.post(check_url(action), {"version": 1}).status_code == 302  # the manager submits version 1

    response = lead_client.post(check_url(action), {"version": 1})
    assert response.status_code == 409
    assert "Someone else saved this update while you were editing it" in response.content.decode()
    update = Update.objects.get()
    assert (update.status, update.version, update.submitted_by) == (Update.Status.SUBMITTED, 2, manager)


def test_an_older_page_than_the_one_submitted_is_still_a_conflict(lead_client, action, open_round):
    lead_client.post(update_url(action), form_data(narrative="First words."))
    lead_client.post(update_url(action), form_data(version=1, narrative="Second words."))
    assert lead_client.post(check_url(action), {"version": 2}).status_code == 302
    assert lead_client.post(check_url(action), {"version": 1}).status_code == 409  # two behind: not this submit
    update = Update.objects.get()
    assert (update.status, update.version, update.narrative) == (Update.Status.SUBMITTED, 3, "Second words.")


def test_the_check_page_is_for_whoever_may_edit_the_update(client, action, open_round, other_partnership_action):
    client.force_login(other_partnership_action.lead.user)
    assert client.get(check_url(action)).status_code == 404
    assert client.post(check_url(action), {"version": 1}).status_code == 404
    client.force_login(PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.LEAD).user)
    assert client.get(check_url(action)).status_code == 403
    assert client.post(check_url(action), {"version": 1}).status_code == 403


# The update as the action page shows it -----------------------------------------


def test_the_action_page_shows_every_part_of_a_submitted_update_and_its_state_as_a_tag(lead_client, action, open_round):
    UpdateFactory(
        action=action,
        round=open_round,
        status=Update.Status.SUBMITTED,
        proposed_quadrant=Quadrant.COMPLETE,
        evidence="Audit of 40 referrals.",
        sustainability_plan="Built into the induction of every new worker.",
        achieved_on=datetime.date(2030, 8, 1),
        requested_target_date=datetime.date(2031, 3, 31),
        requested_target_reason="The audit moved to the spring.",
    )
    page = lead_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    card = page[page.index('class="govuk-summary-card"') :]
    card = card[: card.index("</dl>")]
    rows = {
        re.sub(r"<[^>]+>", "", key).strip(): re.sub(r"<[^>]+>", "", value).strip()
        for key, value in re.findall(
            r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>', card
        )
    }
    assert rows["Sustainability plan"] == "Built into the induction of every new worker."
    assert rows["Date achieved"] == "1 August 2030"
    assert rows["New target date asked for"] == "31 March 2031"
    assert rows["Why the target date needs to change"] == "The audit moved to the spring."
    actions = card[card.index('class="govuk-summary-card__actions"') : card.index("</ul>")]
    assert '<strong class="govuk-tag govuk-tag--blue">Submitted</strong>' in actions
