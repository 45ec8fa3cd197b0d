"""Committee reports: the page and its PDF, publishing frozen versions, who may do what, exports, the command."""

import csv
import datetime
import hashlib
import io
import re
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from actions.models import Action, MonitoringRound, Update
from actions.quadrants import DEFAULT_WORDING, OPEN_QUADRANTS, Quadrant
from inspections.models import Finding
from people.models import Person
from reports import pdf as report_pdf
from reports.models import CommitteeReport, PublishedReport
from tests.factories import ActionFactory, FindingFactory, MonitoringRoundFactory, PersonFactory, UpdateFactory
from tests.jobs import job_file
from tests.reading import poppler

pytestmark = pytest.mark.django_db

ROADSHOWS = "Deliver MSET roadshows to frontline practitioners across the partnership"
ROADSHOWS_BARRIER = "COVID 19 lockdown has prevented the roadshows taking place"
COVER = {
    "title": "JTAI action plan – progress update, May 2020",
    "committee": "Families and Children's Overview and Scrutiny Committee",
    "meeting_date_0": "16",
    "meeting_date_1": "7",
    "meeting_date_2": "2020",
    "reference": "FACS/2020/07",
    "report_of": "Cath McEvoy-Carr",
    "report_of_role": "Executive Director of Adult Social Care and Children's Services",
    "cabinet_member": "Councillor Wayne Daley, Executive Member for Children's Services",
    "purpose": "To consider sufficiency of progress with the action plan.",
    "recommendations": (
        "It is recommended that the Committee\n- Acknowledges the progress made.\n- Identifies any areas"
    ),
    "key_issues": "The NSCC is thus far satisfied with progress.",
    "background": "The JTAI report was published in August 2019.",
}


def demo_person(username):
    return Person.objects.select_related("user").get(user__username=username)


@pytest.fixture
def may(demo):
    return MonitoringRound.objects.get(
        plan__inspection__partnership=demo_person("officer").partnership, label="May 2020"
    )


def not_yet_endorsed(monitoring_round):
    """The round as agreed but not yet endorsed, so what it says still follows the live rows."""
    MonitoringRound.objects.filter(pk=monitoring_round.pk).update(state=MonitoringRound.State.AGREED, endorsed_on=None)
    monitoring_round.refresh_from_db()
    return monitoring_round


@pytest.fixture
def officer_client(client, demo):
    client.force_login(demo_person("officer").user)
    return client


def as_user(client, username):
    client.force_login(demo_person(username).user)
    return client


URL_NAMES = {
    "report": "reports:committee_report",
    "edit": "reports:committee_report_edit",
    "pdf": "reports:committee_report_pdf",
    "publish": "reports:committee_report_publish",
    "published_pdf": "reports:published_pdf",
    "published_html": "reports:published_html",
    "export_xlsx": "reports:round_xlsx",
    "export_csv": "reports:round_csv",
}


def url(name, *args):
    return reverse(URL_NAMES[name], args=args)


def saved_version(monitoring_round):
    """The version an edit form opened now carries (0: the report is not saved yet)."""
    report = CommitteeReport.objects.filter(round=monitoring_round).first()
    return report.version if report else 0


def save_cover(client, monitoring_round, **changes):
    response = client.post(
        url("edit", monitoring_round.pk), {**COVER, "version": saved_version(monitoring_round), **changes}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return CommitteeReport.objects.get(round=monitoring_round)


def publish(client, monitoring_round):
    """Confirm the check page, as the officer does: the form carries the report's version as checked."""
    response = client.post(url("publish", monitoring_round.pk), {"version": saved_version(monitoring_round)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return PublishedReport.objects.filter(report__round=monitoring_round).order_by("-version").first()


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def section(page: str, section_id: str, attribute: str = "aria-labelledby") -> str:
    """The HTML of one <section> (nested sections included), found by its heading's id."""
    start = page.find(f'{attribute}="{section_id}"')
    assert start >= 0, f"no section {section_id}"
    start = page.rfind("<section", 0, start)
    depth, position = 0, start
    for tag in re.finditer(r"<(/?)section\b", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            position = start + tag.end()
            break
    return page[start : page.index(">", position) + 1]


# The page ------------------------------------------------------------------------


def test_report_page_shows_the_cover_block_and_the_officers_sections(officer_client, may):
    save_cover(officer_client, may)
    page = officer_client.get(url("report", may.pk)).content.decode()
    words = text_of(page)
    for expected in (
        "Northumberland County Council",
        "Families and Children&#x27;s Overview and Scrutiny Committee",
        "16 July 2020",
        "JTAI action plan – progress update, May 2020",
        "Cath McEvoy-Carr, Executive Director of Adult Social Care and Children&#x27;s Services",
        "Councillor Wayne Daley",
        "FACS/2020/07",
        "To consider sufficiency of progress with the action plan.",
    ):
        assert expected in words
    recommendations = section(page, "recommendations")
    assert '<p class="govuk-body app-report__text">It is recommended that the Committee</p>' in recommendations
    assert "<li>Acknowledges the progress made.</li>" in recommendations
    assert "<li>Identifies any areas</li>" in recommendations


def test_edit_form_shows_the_saved_report_and_keeps_its_history(officer_client, may):
    report = save_cover(officer_client, may)
    form = officer_client.get(url("edit", may.pk)).content.decode()
    assert 'value="16"' in form and 'value="2020"' in form
    assert "Cath McEvoy-Carr" in form
    save_cover(officer_client, may, purpose="Second thoughts.")
    assert [record.purpose for record in report.history.order_by("history_date")] == [
        COVER["purpose"],
        "Second thoughts.",
    ]
    assert report.history.first().history_user == demo_person("officer").user


def test_edit_form_errors_sit_next_to_their_fields(officer_client, may):
    response = officer_client.post(url("edit", may.pk), {**COVER, "version": 0, "title": "", "meeting_date_1": "13"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("govuk-error-message") >= 2
    assert "<title>Error: " in page
    assert not CommitteeReport.objects.exists()


def test_officer_text_is_shown_as_typed_never_as_markup(officer_client, may):
    save_cover(
        officer_client,
        may,
        purpose="First paragraph.\n\nSecond <b>paragraph</b> <script>alert('x')</script>\nsame paragraph\n- a bullet",
    )
    page = officer_client.get(url("report", may.pk)).content.decode()
    purpose = section(page, "purpose")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in purpose
    assert "&lt;b&gt;paragraph&lt;/b&gt;" in purpose
    assert '<p class="govuk-body app-report__text">First paragraph.</p>' in purpose
    assert "<br>same paragraph</p>" in purpose
    assert "<li>a bullet</li>" in purpose


def test_a_new_report_starts_from_text_drawn_from_the_plan(officer_client, may):
    page = text_of(officer_client.get(url("report", may.pk)).content.decode())
    assert "To consider progress with the action plan resulting from the joint targeted area inspection (JTAI)" in page
    assert "There have been three rounds of monitoring up to this point." in page
    assert "Daniel Charlton, Senior policy and performance officer" in page
    assert not CommitteeReport.objects.exists()  # reading the page saves nothing


def test_demo_may_2020_figures_match_appendix_a(officer_client, may):
    response = officer_client.get(url("report", may.pk))
    page = response.content.decode()
    counts = dict(re.findall(r'data-quadrant="(\w+)">.*?app-report__count-number">(\d+)<', page, re.S))
    assert counts == {"green": "10", "yellow": "7", "amber": "3", "red": "2", "complete": "0"}
    assert "0% of actions complete" in page
    figures = response.context["figures"]
    assert (figures["total"], figures["complete"], figures["complete_percent"]) == (22, 0, 0)


def test_movement_since_the_previous_round_is_summarised(officer_client, may):
    movement = text_of(section(officer_client.get(url("report", may.pk)).content.decode(), "movement"))
    assert "Movement since March 2020" in movement
    assert "2 actions moved from amber to red." in movement
    assert "In all, 5 actions improved, 2 got worse and 15 stayed in the same quadrant." in movement


def test_red_and_amber_actions_are_listed_with_the_barriers_their_leads_gave(officer_client, may):
    attention = text_of(section(officer_client.get(url("report", may.pk)).content.decode(), "attention"))
    assert "5 actions are in the red or amber quadrant" in attention
    assert ROADSHOWS in attention
    assert f"Barriers: {ROADSHOWS_BARRIER}" in attention
    assert attention.index("■ Red") < attention.index("◆ Amber")  # the worst first


def test_appendix_a_puts_each_action_in_the_quadrant_the_sub_group_agreed(officer_client, may):
    page = officer_client.get(url("report", may.pk)).content.decode()
    appendix = section(page, "appendix-a")
    for key in OPEN_QUADRANTS:
        assert escape(DEFAULT_WORDING[key][1]) in appendix
    quadrants = {key: section(appendix, key, attribute="data-quadrant") for key in OPEN_QUADRANTS}
    agreed = Update.objects.filter(round=may).select_related("action")
    assert agreed.count() == 22
    for update in agreed:
        where = [key for key, html in quadrants.items() if escape(update.action.description) in html]
        assert where == [update.agreed_quadrant], update.action.reference


def test_appendix_b_lists_each_area_for_improvement_with_its_actions(officer_client, may):
    appendix = text_of(section(officer_client.get(url("report", may.pk)).content.decode(), "appendix-b"))
    assert "Area for improvement 1" in appendix
    assert (
        "7.3 Deliver MSET roadshows to frontline practitioners across the partnership "
        "Lead agency: Northumbria Police · Target date: 30 April 2020 · Quadrant: Red"
    ) in appendix
    assert "Latest update: No roadshows have been delivered." in appendix


def test_impact_measures_are_charted_and_tabled(officer_client, may):
    impact = section(officer_client.get(url("report", may.pk)).content.decode(), "impact")
    assert impact.count("<svg") == 2
    assert '<title id="chart-1-title">' in impact
    assert ">Per cent</text>" in impact and ">Period</text>" in impact
    assert "78% in Q1 2020/21, compared to 64% in Q3 2019/20 (target 90%)." in impact
    assert re.search(r"Q1 2020/21</th><td[^>]*>78%</td>", impact)


def test_report_page_queries_do_not_grow_with_the_plan(client, action, sessions_written_once):
    plan = action.plan
    partnership = plan.inspection.partnership
    officer = PersonFactory(partnership=partnership, role=Person.Role.OFFICER)
    client.force_login(officer.user)
    march = MonitoringRoundFactory(
        plan=plan, label="March 2020", period_end=datetime.date(2020, 3, 31), state=MonitoringRound.State.AGREED
    )
    may = MonitoringRoundFactory(
        plan=plan, label="May 2020", period_end=datetime.date(2020, 5, 31), state=MonitoringRound.State.AGREED
    )
    quadrants = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED]

    def add_actions(n):
        for i in range(n):
            each = ActionFactory(plan=plan, lead=action.lead, lead_agency=action.lead_agency)
            for monitoring_round, shift in ((march, 0), (may, 1)):
                quadrant = quadrants[(i + shift) % 4]
                UpdateFactory(
                    action=each,
                    round=monitoring_round,
                    status=Update.Status.AGREED,
                    proposed_quadrant=quadrant,
                    agreed_quadrant=quadrant,
                    barriers="Waiting for data.",
                )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("report", may.pk)).status_code == 200
        return len(captured)

    add_actions(9)
    queries()  # the first request writes the session
    ten = queries()
    add_actions(30)
    forty = queries()
    assert ten == forty
    assert forty <= 25


# The PDF ----------------------------------------------------------------------------


def test_the_pdf_is_tagged_titled_paged_and_reads_as_the_report(officer_client, may, tmp_path):
    save_cover(officer_client, may)
    response = job_file(officer_client, url("pdf", may.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)

    info = dict(line.split(":", 1) for line in poppler("pdfinfo", str(path)).splitlines() if ":" in line)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == COVER["title"]
    assert int(info["Pages"]) >= 2
    assert info["Page size"].strip().endswith("(A4)")

    words = " ".join(poppler("pdftotext", str(path), "-").split())
    assert COVER["title"] in words
    assert "Page 1 of" in words
    for key in OPEN_QUADRANTS:
        assert " ".join(DEFAULT_WORDING[key][1].split()) in words
    assert ROADSHOWS in words
    assert ROADSHOWS_BARRIER in words


def test_the_pdf_fetcher_serves_our_static_files_and_nothing_else():
    fetcher = report_pdf.static_only_fetcher()
    ours = fetcher.fetch(report_pdf.BASE_URL + "static/css/report.css")
    assert b"@page" in ours.read()
    assert ours.content_type == "text/css"
    for refused in (
        "file:///etc/passwd",
        "http://example.com/",
        "https://example.com/static/css/report.css",
        "http://jtai-report.invalid/static/css/report.css",
        report_pdf.BASE_URL + "static/../jtai_tracker/settings.py",
        report_pdf.BASE_URL + "static/%2e%2e/jtai_tracker/settings.py",
        report_pdf.BASE_URL + "etc/passwd",
        report_pdf.BASE_URL + "static/no-such-file.css",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
    ):
        with pytest.raises(report_pdf.FetchRefused):
            fetcher.fetch(refused)
    pixel = fetcher.fetch("data:image/gif;base64,R0lGODlhAQABAAAAACw=")
    assert pixel.read().startswith(b"GIF89a")


def test_a_pdf_that_reaches_for_a_local_file_gets_nothing(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body::before { content: 'LEAKED-SECRET' }")
    html = (
        f'<html lang="en-GB"><head><title>T</title><link rel="stylesheet" href="file://{secret}"></head>'
        f'<body><p>Report</p><img alt="x" src="file:///etc/hostname"></body></html>'
    )
    pdf = report_pdf.html_to_pdf(html, title="T")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    assert "LEAKED-SECRET" not in poppler("pdftotext", str(path), "-")


def test_a_pdf_that_takes_too_long_is_stopped_with_a_clear_error():
    html = '<html lang="en-GB"><title>T</title><body>' + "<p>Line of text</p>" * 20000 + "</body></html>"
    with pytest.raises(report_pdf.RenderTimeout, match=r"longer than 0\.05 seconds"):
        report_pdf.html_to_pdf(html, title="T", timeout=0.05)
    # The abandoned rendering does not run on in the background.
    deadline = time.monotonic() + 10
    while any(thread.name == "report-pdf" for thread in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(thread.name == "report-pdf" for thread in threading.enumerate())


# Publishing -------------------------------------------------------------------------


def test_publishing_freezes_the_report_and_a_second_publish_makes_version_2(officer_client, may):
    save_cover(officer_client, may)
    first = publish(officer_client, may)
    assert first.version == 1
    assert first.sha256 == hashlib.sha256(bytes(first.pdf)).hexdigest()
    assert first.published_by == demo_person("officer")
    assert first.figures["counts"][0] == {
        "key": "green",
        "label": "Green",
        "description": DEFAULT_WORDING[Quadrant.GREEN][1],
        "symbol": "●",
        "count": 10,
    }
    assert "<style>" in first.html and 'rel="stylesheet"' not in first.html  # self-contained
    assert "Published version 1" in first.html and "Draft" not in first.html
    frozen_pdf, frozen_html = bytes(first.pdf), first.html

    # The data changes after publication: the red roadshows action is agreed green after all.
    roadshows = Update.objects.get(round=may, action__description=ROADSHOWS)
    Update.objects.filter(pk=roadshows.pk).update(agreed_quadrant=Quadrant.GREEN, barriers="None now.")
    Action.objects.filter(pk=roadshows.action_id).update(description="Roadshows, renamed")
    save_cover(officer_client, may, purpose="A new purpose.")

    second = publish(officer_client, may)
    assert second.version == 2
    # May 2020 was endorsed: what the board endorsed never changes, whatever the rows say now.
    assert second.figures["counts"][0]["count"] == 10
    assert "Roadshows, renamed" not in second.html and "A new purpose." in second.html
    first.refresh_from_db()
    assert bytes(first.pdf) == frozen_pdf and first.html == frozen_html
    assert first.sha256 == hashlib.sha256(frozen_pdf).hexdigest()
    assert first.figures["counts"][0]["count"] == 10

    downloaded = officer_client.get(url("published_pdf", first.pk))
    assert downloaded.getvalue() == frozen_pdf  # streamed from storage

    page = officer_client.get(url("report", may.pk)).content.decode()
    assert url("published_pdf", first.pk) in page
    assert url("published_pdf", second.pk) in page
    assert 'Download PDF<span class="govuk-visually-hidden"> of version 2</span>' in page


def test_a_published_report_row_refuses_to_change(officer_client, may):
    save_cover(officer_client, may)
    published = publish(officer_client, may)
    published.title = "Something else"
    with pytest.raises(ValueError, match="never changes"):
        published.save()


def test_publishing_needs_a_committee_and_a_meeting_date(officer_client, may):
    save_cover(officer_client, may, committee="", meeting_date_0="", meeting_date_1="", meeting_date_2="")
    response = officer_client.post(url("publish", may.pk), {"version": saved_version(may)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the committee the report goes to" in page
    assert "Enter the date of the meeting" in page
    assert not PublishedReport.objects.exists()


def test_a_round_not_yet_agreed_cannot_be_published(officer_client, may):
    august = MonitoringRound.objects.get(plan=may.plan, state=MonitoringRound.State.OPEN)
    save_cover(officer_client, august)
    response = officer_client.post(url("publish", august.pk), {"version": saved_version(august)})
    assert "a report can be published only once the sub-group has agreed every quadrant" in response.content.decode()
    assert not PublishedReport.objects.exists()
    page = officer_client.get(url("report", august.pk)).content.decode()
    assert "Not yet agreed." in page


# Who may do what --------------------------------------------------------------------


def test_viewer_reads_the_report_and_downloads_a_published_version_but_cannot_edit_or_publish(client, may):
    save_cover(as_user(client, "officer"), may)
    published = publish(client, may)
    viewer = as_user(client, "viewer")
    page = viewer.get(url("report", may.pk))
    assert page.status_code == 200
    assert "Check and publish" not in page.content.decode()
    download = viewer.get(url("published_pdf", published.pk))
    assert download.status_code == 200
    assert download.getvalue() == bytes(published.pdf)
    assert viewer.get(url("edit", may.pk)).status_code == 403
    assert viewer.post(url("edit", may.pk), COVER).status_code == 403
    assert viewer.post(url("publish", may.pk)).status_code == 403
    assert viewer.get(url("pdf", may.pk)).status_code == 403
    assert PublishedReport.objects.count() == 1


def test_lead_cannot_edit_or_publish(client, may):
    lead = as_user(client, "lead")
    assert lead.get(url("report", may.pk)).status_code == 200
    assert lead.get(url("edit", may.pk)).status_code == 403
    assert lead.post(url("edit", may.pk), COVER).status_code == 403
    assert lead.post(url("publish", may.pk)).status_code == 403
    assert not CommitteeReport.objects.exists()


def test_manager_may_edit_and_publish(client, may):
    manager = as_user(client, "manager")
    save_cover(manager, may)
    assert publish(manager, may).published_by == demo_person("manager")


def test_another_partnership_gets_404_for_everything(client, may):
    save_cover(as_user(client, "officer"), may)
    published = publish(client, may)
    halton = as_user(client, "halton.manager")
    for path in (
        url("report", may.pk),
        url("edit", may.pk),
        url("pdf", may.pk),
        url("published_pdf", published.pk),
        url("published_html", published.pk),
        url("export_xlsx", may.pk),
        url("export_csv", may.pk),
    ):
        assert halton.get(path).status_code == 404, path
    assert halton.post(url("publish", may.pk)).status_code == 404
    assert halton.post(url("edit", may.pk), COVER).status_code == 404


def test_published_html_downloads_as_a_sandboxed_file(client, may):
    save_cover(as_user(client, "officer"), may)
    published = publish(client, may)
    response = as_user(client, "viewer").get(url("published_html", published.pk))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content.decode() == published.html


# Exports ----------------------------------------------------------------------------


def test_xlsx_has_one_row_per_action_with_the_quadrant_in_words_and_prints_well(client, may):
    not_yet_endorsed(may)
    Action.objects.filter(plan=may.plan, reference="1.1").update(description='=HYPERLINK("http://evil","x")')
    response = job_file(as_user(client, "viewer"), url("export_xlsx", may.pk))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 22
    column = {name: index for index, name in enumerate(header)}
    by_reference = {row[column["Reference"]]: row for row in body}
    assert by_reference["7.3"][column["Agreed quadrant"]] == "Red"
    assert by_reference["7.3"][column["Barriers"]] == ROADSHOWS_BARRIER
    # Not endorsed, the round exports the rows as they are: the demo's live target dates (demo/loader.py, "Dates").
    target = Action.objects.get(plan=may.plan, reference="7.3").target_date
    assert by_reference["7.3"][column["Target date"]] == datetime.datetime.combine(target, datetime.time())
    assert by_reference["1.1"][column["Action"]] == '\'=HYPERLINK("http://evil","x")'
    assert sheet["A1"].font.bold
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth in (None, 1)  # one page wide: the format's default, left unwritten
    assert sheet.page_setup.fitToHeight == 0  # as many pages tall as it takes
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert round(sheet.column_dimensions["B"].width) == 51  # 50 characters shown, with the padding Excel stores


def test_csv_has_one_row_per_action_and_neutralises_formulas(client, may):
    not_yet_endorsed(may)
    Action.objects.filter(plan=may.plan, reference="1.1").update(description="=1+2")
    Action.objects.filter(plan=may.plan, reference="2.1").update(description="@SUM(A1)")
    Action.objects.filter(plan=may.plan, reference="3.1").update(description="\tTabbed")
    response = as_user(client, "viewer").get(url("export_csv", may.pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 22
    by_reference = {row["Reference"]: row for row in rows}
    assert by_reference["7.3"]["Agreed quadrant"] == "Red"
    assert by_reference["1.1"]["Action"] == "'=1+2"
    assert by_reference["2.1"]["Action"] == "'@SUM(A1)"
    assert by_reference["3.1"]["Action"] == "'\tTabbed"
    assert (
        by_reference["4.1"]["Target date"] == Action.objects.get(plan=may.plan, reference="4.1").target_date.isoformat()
    )


def test_the_export_names_areas_by_their_short_reference_and_the_report_in_full(client, may):
    not_yet_endorsed(may)
    priority = FindingFactory(inspection=may.plan.inspection, kind=Finding.Kind.PRIORITY_ACTION, number=1)
    action = Action.objects.get(plan=may.plan, reference="1.1")
    action.areas.add(priority)
    viewer = as_user(client, "viewer")
    rows = list(csv.DictReader(io.StringIO(viewer.get(url("export_csv", may.pk)).content.decode("utf-8-sig"))))
    assert next(row for row in rows if row["Reference"] == "1.1")["Areas for improvement"] == "1, P1"
    page = text_of(viewer.get(url("report", may.pk)).content.decode())
    assert "Priority area for action 1" in page
    assert "Area for improvement 1" in page


# The command ------------------------------------------------------------------------


def test_command_writes_the_newest_agreed_rounds_pdf(demo, tmp_path):
    output = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command(
        "committee_report",
        partnership="northumberland",  # the start of the name is enough when it is unambiguous
        output=str(output),
        stdout=out,
    )
    assert output.read_bytes().startswith(b"%PDF-")
    assert "May 2020" in out.getvalue()  # the round open now is skipped


def test_command_chooses_a_round_by_label_or_id(demo, may, tmp_path):
    output = tmp_path / "march.pdf"
    plan = str(may.plan_id)
    call_command("committee_report", plan=plan, round="march 2020", output=str(output), stdout=io.StringIO())
    assert output.exists()
    call_command("committee_report", plan=plan, round=str(may.pk), output=str(output), stdout=io.StringIO())


def test_command_lists_the_choices_when_it_cannot_tell_which_plan(demo):
    with pytest.raises(CommandError) as ambiguous:
        call_command("committee_report", stdout=io.StringIO())
    message = str(ambiguous.value)
    assert "3 plans match" in message  # Northumberland's JTAI and rapid review plans, and Halton's
    assert "Northumberland Safeguarding Children Partnership" in message
    assert "Halton Children and Young People Safeguarding Partnership" in message


def test_command_lists_the_rounds_when_the_round_is_unknown(demo, may):
    with pytest.raises(CommandError) as unknown:
        call_command("committee_report", plan=str(may.plan_id), round="June 2020", stdout=io.StringIO())
    assert "No round called 'June 2020'" in str(unknown.value)
    assert "May 2020 (endorsed by board)" in str(unknown.value)
