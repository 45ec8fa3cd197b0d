"""Two officers edit one committee report: a save from a form read before the other's save is refused, never lost.

The refused officer gets a 409 with the saved version and theirs side by side and their text still in the
form, carrying the version now saved, so saving again goes through on purpose.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from jtai_tracker.versions import EditConflict
from people.models import Person
from reports import services
from reports.models import CommitteeReport
from reports.report_text import report_or_default
from tests.factories import MonitoringRoundFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitoring_round(db):
    return MonitoringRoundFactory()


@pytest.fixture
def officers(monitoring_round):
    """Two signed-in officers of the round's partnership: (person, client) each."""
    partnership = monitoring_round.plan.inspection.partnership
    pairs = []
    for _ in range(2):
        officer = PersonFactory(partnership=partnership, role=Person.Role.OFFICER)
        client = Client()
        client.force_login(officer.user)
        pairs.append((officer, client))
    return pairs


def form_data(version, **changes):
    return {
        "version": version,
        "title": "JTAI action plan – progress update, May 2020",
        "committee": "Families and Children's Overview and Scrutiny Committee",
        "meeting_date_0": "16",
        "meeting_date_1": "7",
        "meeting_date_2": "2020",
        "reference": "",
        "report_of": "Cath McEvoy-Carr",
        "report_of_role": "",
        "cabinet_member": "",
        "purpose": "To consider progress with the action plan.",
        "recommendations": "",
        "key_issues": "",
        "background": "",
        **changes,
    }


def edit_url(monitoring_round):
    return reverse("reports:committee_report_edit", args=[monitoring_round.pk])


def version_in(page):
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def test_the_second_officers_stale_save_is_refused_with_both_versions_then_goes_through(monitoring_round, officers):
    (first, first_client), (second, second_client) = officers
    assert version_in(first_client.get(edit_url(monitoring_round)).content.decode()) == 0
    assert first_client.post(edit_url(monitoring_round), form_data(0)).status_code == 302
    report = CommitteeReport.objects.get(round=monitoring_round)
    assert report.version == 1

    # Both open the saved report; the first saves their key issues, then the second saves theirs.
    assert version_in(second_client.get(edit_url(monitoring_round)).content.decode()) == 1
    response = first_client.post(edit_url(monitoring_round), form_data(1, key_issues="Roadshows are delayed."))
    assert response.status_code == 302
    response = second_client.post(
        edit_url(monitoring_round), form_data(1, key_issues="Audit shows good progress.", background="Since 2019.")
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: Edit the committee report" in page
    assert "Someone else saved this report while you were editing it" in page
    assert f"Their version (saved by {first.name})" in page and "Your version" in page
    assert re.search(r"Key issues</th>\s*<td[^>]*>Roadshows are delayed.</td>\s*<td[^>]*>Audit shows good", page)
    assert re.search(r"Background</th>\s*<td[^>]*>\(empty\)</td>\s*<td[^>]*>Since 2019.</td>", page)
    # Nothing lost: the first officer's text is saved, the second's is back in the form.
    assert "Audit shows good progress.</textarea>" in page and "Since 2019.</textarea>" in page
    report.refresh_from_db()
    assert (report.key_issues, report.background, report.version) == ("Roadshows are delayed.", "", 2)
    assert version_in(page) == 2

    response = second_client.post(
        edit_url(monitoring_round),
        form_data(version_in(page), key_issues="Audit shows good progress.", background="Since 2019."),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.key_issues, report.background, report.version) == ("Audit shows good progress.", "Since 2019.", 3)
    assert [record.history_user for record in report.history.order_by("history_date")] == [
        first.user,
        first.user,
        second.user,
    ]


def test_two_first_saves_of_a_new_report_the_second_is_refused(monitoring_round, officers):
    (_, first_client), (_, second_client) = officers
    assert first_client.post(edit_url(monitoring_round), form_data(0, purpose="First officer's.")).status_code == 302
    response = second_client.post(edit_url(monitoring_round), form_data(0, purpose="Second officer's."))
    page = response.content.decode()
    assert response.status_code == 409
    assert "First officer&#x27;s." in page and "Second officer&#x27;s.</textarea>" in page
    assert CommitteeReport.objects.get(round=monitoring_round).purpose == "First officer's."


def test_an_unchanged_second_submit_of_the_same_version_is_fine(monitoring_round, officers):
    (_, client), _ = officers
    data = form_data(0, purpose="Written once, sent twice.")
    assert client.post(edit_url(monitoring_round), data).status_code == 302
    # A second click on "Save the report" sends the same form again: nothing anyone else wrote is lost by it.
    assert client.post(edit_url(monitoring_round), data).status_code == 302
    assert CommitteeReport.objects.get(round=monitoring_round).purpose == "Written once, sent twice."


def test_the_service_refuses_a_stale_version_and_says_what_differs(monitoring_round, officers):
    (officer, _), _ = officers
    draft = report_or_default(monitoring_round, officer)
    services.report_save(report=draft, by=officer, fields={"purpose": "Theirs."}, expected_version=0)
    with pytest.raises(EditConflict) as refused:
        services.report_save(report=draft, by=officer, fields={"purpose": "Yours."}, expected_version=0)
    assert [(c.field, c.theirs, c.yours) for c in refused.value.changes] == [("purpose", "Theirs.", "Yours.")]
    assert refused.value.version == 1
    assert CommitteeReport.objects.get(round=monitoring_round).purpose == "Theirs."
