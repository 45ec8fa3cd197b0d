"""Publishing a committee report through its check page: what stops it, one version per saved report, and the
published state everywhere the report is shown."""

import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from actions.models import MonitoringRound
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from tests.factories import PersonFactory
from tests.reading import pdf_words
from tests.test_committee_report import COVER, demo_person, save_cover, saved_version

pytestmark = pytest.mark.django_db

COMMITTEE = COVER["committee"]


@pytest.fixture
def may(demo):
    return MonitoringRound.objects.get(
        plan__inspection__partnership=demo_person("officer").partnership, label="May 2020"
    )


@pytest.fixture
def officer_client(client, demo):
    client.force_login(demo_person("officer").user)
    return client


def check_url(monitoring_round):
    return reverse("reports:committee_report_publish", args=[monitoring_round.pk])


def report_url(monitoring_round):
    return reverse("reports:committee_report", args=[monitoring_round.pk])


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def row_of(page: str, label: str) -> str:
    """The HTML of one summary-list row of the check page, found by its key."""
    match = re.search(
        rf'<div class="govuk-summary-list__row[^"]*">\s*<dt class="govuk-summary-list__key">{re.escape(label)}</dt>'
        r".*?</div>",
        page,
        re.S,
    )
    assert match, f"no row {label}"
    return match.group(0)


def test_the_check_page_lists_what_will_be_published_with_change_links(officer_client, may):
    save_cover(officer_client, may)
    page = officer_client.get(check_url(may)).content.decode()
    assert title_of(page).startswith("Check the committee report before you publish it")
    edit = reverse("reports:committee_report_edit", args=[may.pk])
    assert COVER["title"] in row_of(page, "Title")
    assert COMMITTEE.replace("'", "&#x27;") in row_of(page, "Committee")
    assert "16 July 2020" in row_of(page, "Date of the meeting")
    assert f'href="{edit}#id_meeting_date_0"' in row_of(page, "Date of the meeting")
    assert "May 2020 (endorsed by board)" in row_of(page, "Monitoring round")
    assert "27 May 2020" in row_of(page, "Figures as at")  # the sub-group's meeting
    assert "Written" in row_of(page, "Purpose of report")
    assert "Empty" in row_of(page, "Report sign-off")
    assert "0 of 14 written; the others say None" in row_of(page, "Implications")
    assert f'href="{edit}#id_purpose"' in row_of(page, "Purpose of report")
    assert "A published version cannot be changed" in page
    assert 'name="version" value="1"' in page
    assert "Publish version 1" in page
    assert "govuk-error-message" not in page


def test_the_check_page_refuses_without_committee_or_meeting_date_naming_each_row(officer_client, may):
    # Never saved: the draft has no committee (the demo partnership names none) and no meeting date.
    page = officer_client.get(check_url(may)).content.decode()
    assert title_of(page).startswith("Error: ")
    committee_row = row_of(page, "Committee")
    assert 'id="committee-error"' in committee_row and "Enter the committee the report goes to" in committee_row
    date_row = row_of(page, "Date of the meeting")
    assert 'id="meeting_date-error"' in date_row and "Enter the date of the meeting" in date_row
    edit = reverse("reports:committee_report_edit", args=[may.pk])
    assert f'href="{edit}#id_committee">Add' in committee_row
    assert '<a href="#committee-error">Enter the committee the report goes to</a>' in page  # the error summary
    assert "Publish version" not in page  # no button to press
    assert "govuk-error-message" not in row_of(page, "Title")

    # Saved without a meeting date: the committee is fine now, the date still stops it, posted or not.
    save_cover(officer_client, may, meeting_date_0="", meeting_date_1="", meeting_date_2="")
    response = officer_client.post(check_url(may), {"version": saved_version(may)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-message" not in row_of(page, "Committee")
    assert "Enter the date of the meeting" in row_of(page, "Date of the meeting")
    assert not PublishedReport.objects.exists()


def test_a_double_submit_makes_one_version(officer_client, may):
    save_cover(officer_client, may)
    version = saved_version(may)
    first = officer_client.post(check_url(may), {"version": version}, follow=True)
    second = officer_client.post(check_url(may), {"version": version})
    assert first.redirect_chain[0][0].startswith("/jobs/")  # a job publishes, then its page goes to the report
    assert first.redirect_chain[-1][0] == report_url(may)
    assert second.status_code == 302 and second["Location"] == report_url(may)  # checked before asking a job
    published = PublishedReport.objects.get()
    assert (published.version, published.report_version) == (1, version)
    page = officer_client.get(report_url(may)).content.decode()
    assert "Version 1 is published for" in page  # the second submit's message: nothing new was made


def test_a_report_saved_after_the_check_is_checked_again(officer_client, may):
    save_cover(officer_client, may)
    checked = saved_version(may)
    save_cover(officer_client, may, purpose="Changed after the check.")
    response = officer_client.post(check_url(may), {"version": checked}, follow=True)
    assert response.redirect_chain[-1][0] == check_url(may)
    assert "The report was changed after you checked it" in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_publishing_again_needs_a_change_then_makes_version_2(officer_client, may):
    save_cover(officer_client, may)
    officer_client.post(check_url(may), {"version": saved_version(may)})
    page = officer_client.get(report_url(may)).content.decode()
    assert "Check and publish" not in page  # this saved report is version 1
    save_cover(officer_client, may, purpose="A new purpose.")
    page = officer_client.get(report_url(may)).content.decode()
    assert "changed since version 1 was published" in page
    assert title_of(page).startswith(f"{COVER['title']} (draft)")
    officer_client.post(check_url(may), {"version": saved_version(may)})
    assert list(PublishedReport.objects.values_list("version", flat=True)) == [2, 1]


def test_after_publishing_the_page_title_cover_and_versions_say_so(officer_client, may, settings):
    settings.TIME_ZONE = "Europe/London"
    save_cover(officer_client, may)
    page = officer_client.get(report_url(may)).content.decode()
    assert title_of(page).startswith(f"{COVER['title']} (draft)")
    assert "Draft</span>: not published" in page

    officer_client.post(check_url(may), {"version": saved_version(may)})
    published = PublishedReport.objects.get()
    page = officer_client.get(report_url(may)).content.decode()
    assert title_of(page).startswith(f"{COVER['title']} (published version 1)")
    assert "(draft)" not in title_of(page)
    on = f"{published.published_at:%-d %B %Y}"
    assert f'<span class="app-report__version">Published version 1</span>, {on}, by Daniel Charlton' in page
    assert "Draft" not in page.split('id="report-controls"')[0]  # the cover
    pdf = reverse("reports:published_pdf", args=[published.pk])
    html = reverse("reports:published_html", args=[published.pk])
    assert f'href="{pdf}">Download PDF<span class="govuk-visually-hidden"> of version 1</span>' in page
    assert f'href="{html}">Download HTML<span class="govuk-visually-hidden"> of version 1</span>' in page

    # The published copies say so too, and never "Draft".
    words = pdf_words(officer_client.get(pdf).getvalue())
    assert f"Published version 1, {on}, by Daniel Charlton" in words
    assert "Draft" not in words
    stored = officer_client.get(html).content.decode()
    assert "(published version 1)" in title_of(stored)
    assert "Draft" not in stored


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirms_make_one_version(demo):
    """Two officers confirm the same check page at the same moment, each from their own thread and connection."""
    partnership = demo_person("officer").partnership
    may = MonitoringRound.objects.get(plan__inspection__partnership=partnership, label="May 2020")
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(PersonFactory(partnership=partnership, role=Person.Role.OFFICER).user)
        clients.append(client)
    save_cover(clients[0], may)
    version = CommitteeReport.objects.get(round=may).version
    start = threading.Barrier(2)
    statuses = [None, None]

    def confirm(number):
        try:
            start.wait(timeout=30)
            statuses[number] = clients[number].post(check_url(may), {"version": version}).status_code
        except Exception as error:  # the test client re-raises what would have been a 500
            statuses[number] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert statuses == [302, 302]
    assert PublishedReport.objects.filter(report__round=may).count() == 1
