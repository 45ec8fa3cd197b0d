"""The partnership's yearly report: drafted from the year's record, edited, published once and frozen."""

import datetime
import hashlib
import re
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actions.models import Action, Retest
from actions.quadrants import Quadrant
from audit.models import AuditEvent
from people.models import Person
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    FindingFactory,
    ImpactMeasureFactory,
    ImpactValueFactory,
    InspectionFactory,
    MonitoringRoundFactory,
)
from tests.jobs import job_file
from tests.reading import pdf_words
from tests.yearly_world import ENDS_ON, MERGE_REASON, NOT_IMPLEMENTED_REASON, STARTS_ON, build_year, settle
from yearly import services
from yearly.models import PublishedYearlyReport, YearlyReport
from yearly.report_text import guidance_for

pytestmark = pytest.mark.django_db


def typed(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def year():
    return build_year()


def client_for(client, person):
    client.force_login(person.user)
    return client


def start(client, starts_on=STARTS_ON, ends_on=ENDS_ON):
    return client.post(reverse("yearly:start"), {**typed("starts_on", starts_on), **typed("ends_on", ends_on)})


@pytest.fixture
def report(year):
    return services.yearly_report_create(
        partnership=year.partnership, by=year.officer, starts_on=STARTS_ON, ends_on=ENDS_ON
    )


def test_an_officer_starts_a_report_drafted_from_the_years_record(client, year):
    response = start(client_for(client, year.officer))
    report = YearlyReport.objects.get(partnership=year.partnership)
    assert response.status_code == 302 and response["Location"] == reverse("yearly:report", args=[report.pk])
    assert (report.starts_on, report.ends_on) == (STARTS_ON, ENDS_ON)
    assert report.title == "Tynedale Safeguarding Children Partnership: yearly report 2025 to 2026"
    # The prose starts from the figures as at the latest round endorsed in the year (December 2025: A.1 complete).
    assert "endorsed two monitoring rounds across one action plan" in report.what_was_done
    assert "Plan A: 33% of actions complete at December 2025 (1 of the 3 actions" in report.what_was_done
    assert "Cases audited with a risk assessment: 70% in Q3 2025/26, compared to a baseline of 30%" in (
        report.impact_shown
    )
    assert "tracked one impact measure in the year: 1 of 1 ended the year better than the baseline, and 0 of 1" in (
        report.impact_shown
    )
    assert "Officers published one committee report on the plans' progress." in report.what_was_done
    assert NOT_IMPLEMENTED_REASON in report.not_implemented
    assert "B.3 Tynedale action B.3 (Plan B): merged into A.2 on 1 September 2025." in report.not_implemented


def test_the_report_page_shows_the_years_tables_and_nothing_outside_the_year(client, year, report):
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    # Plan A: the rounds endorsed in the year, not the one before it; the figures as at the latest.
    assert "June 2025, endorsed 17 July 2025 by the board; December 2025, endorsed 19 January 2026" in page
    assert "January 2025, endorsed" not in page
    assert "1 of the 3 actions in the plan at December 2025" in page
    # Plan B's only round was endorsed after the year.
    assert "March 2026, endorsed" not in page and "No round endorsed in the year" in page
    assert "Tynedale action A.1</th>" in page and "10 July 2025" in page  # completed in the year
    assert "Tynedale action B.1</th>" not in page  # completed after it
    assert "JTAI progress update, June 2025" in page and "JTAI progress update, January 2025" not in page
    assert reverse("reports:published_pdf", args=[year.published_in_year.pk]) in page
    assert "70% <span" in page and "95%" not in page and "Better than the baseline" in page and "Not met" in page
    assert escape(NOT_IMPLEMENTED_REASON) in page and "Alex Tynedale-Chair" in page
    assert "Merged into A.2 Tynedale action A.2" in page and escape(MERGE_REASON) in page
    # Every table scrolls inside its own region.
    assert page.count("<table") == page.count('class="app-table-scroll"') == 6


def test_an_action_changed_after_the_endorsement_leaves_the_years_figures_as_endorsed(client, year, report):
    Action.objects.filter(pk=year.actions["A.1"].pk).update(description="Reworded after the board endorsed it")
    Action.objects.filter(pk=year.actions["A.3"].pk).update(
        completed_on=datetime.date(2026, 2, 1), sustainability_plan="x"
    )
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "Reworded after the board endorsed it" not in page
    assert "Tynedale action A.1</th>" in page
    assert "Tynedale action A.3</th>" not in page  # the live completion is not what the board endorsed
    assert "1 of the 3 actions in the plan at December 2025" in page


def test_one_report_per_partnership_per_year(client, year, report):
    response = start(client_for(client, year.officer), datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))
    assert response.status_code == 200
    assert "The partnership already has a yearly report for 1 April 2025 to 31 March 2026" in response.content.decode()
    assert YearlyReport.objects.count() == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (datetime.date(2025, 4, 1), datetime.date(2025, 3, 31), "The end of the year must be after its start"),
        (datetime.date(2025, 4, 1), datetime.date(2026, 4, 2), "A yearly report covers 12 months at most"),
    ],
)
def test_a_year_that_is_not_a_year_is_refused_by_the_field(client, year, starts_on, ends_on, message):
    response = start(client_for(client, year.manager), starts_on, ends_on)
    assert response.status_code == 200 and message in response.content.decode()
    assert 'href="#id_ends_on_0"' in response.content.decode()
    assert not YearlyReport.objects.exists()


def edit_data(report, **changes):
    data = {"version": report.version, "title": report.title}
    data |= {name: getattr(report, name) for name in services.REPORT_FIELDS if name != "title"}
    return data | changes


def test_a_stale_save_is_refused_with_409_and_keeps_what_was_typed(client, year, report):
    read = YearlyReport.objects.get(pk=report.pk)
    services.yearly_report_save(
        report=report, by=year.manager, fields={"next_steps": "The manager's plan"}, expected_version=read.version
    )
    response = client_for(client, year.officer).post(
        reverse("yearly:edit", args=[report.pk]), edit_data(read, next_steps="The officer's plan")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "The manager&#x27;s plan" in page and "The officer&#x27;s plan" in page
    assert YearlyReport.objects.get(pk=report.pk).next_steps == "The manager's plan"


def test_a_section_over_its_limit_is_refused_by_the_field(client, year, report):
    response = client_for(client, year.officer).post(
        reverse("yearly:edit", args=[report.pk]), edit_data(report, introduction="x" * 10_001)
    )
    assert response.status_code == 200
    assert "Introduction must be 10,000 characters or fewer" in response.content.decode()
    assert 'href="#id_introduction"' in response.content.decode()
    assert YearlyReport.objects.get(pk=report.pk).version == report.version


def test_an_officer_saves_the_text(client, year, report):
    response = client_for(client, year.officer).post(
        reverse("yearly:edit", args=[report.pk]), edit_data(report, next_steps="- Re-audit the front door")
    )
    assert response.status_code == 302
    saved = YearlyReport.objects.get(pk=report.pk)
    assert saved.next_steps == "- Re-audit the front door" and saved.version == report.version + 1
    assert saved.history.first().history_user == year.officer.user


def written(report, year):
    services.yearly_report_save(
        report=report, by=year.officer, fields={"next_steps": "Re-audit the front door."}, expected_version=None
    )
    report.refresh_from_db()
    return report


def test_the_check_page_lists_what_stops_publishing_by_row(client, year, report):
    response = client_for(client, year.officer).get(reverse("yearly:publish", args=[report.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#next_steps-error">Write what comes next</a>' in page
    assert 'name="version"' not in page  # nothing to confirm until it is fixed


def test_a_year_not_yet_ended_cannot_be_published(year):
    report = services.yearly_report_create(
        partnership=year.partnership,
        by=year.officer,
        starts_on=datetime.date.today() - datetime.timedelta(days=100),
        ends_on=datetime.date.today() + datetime.timedelta(days=200),
    )
    assert "ends_on" in services.publish_problems(report)


def test_a_double_submit_publishes_one_frozen_version(client, year, report):
    report = written(report, year)
    officer = client_for(client, year.officer)
    url = reverse("yearly:publish", args=[report.pk])
    assert f'name="version" value="{report.version}"' in officer.get(url).content.decode()
    first = officer.post(url, {"version": report.version})
    second = officer.post(url, {"version": report.version})
    assert first.status_code == second.status_code == 302
    published = PublishedYearlyReport.objects.get(report=report)
    assert (published.version, published.report_version) == (1, report.version)
    messages = [str(m) for m in second.wsgi_request._messages]
    assert messages[-1] == "Version 1 is published."

    # Frozen: later changes to actions, rounds and the draft never reach the published copy.
    stored_html, stored_pdf = published.html, bytes(published.pdf)
    Action.objects.filter(pk=year.actions["A.2"].pk).update(
        not_implemented_on=datetime.date(2026, 1, 5),
        not_implemented_reason="Decided after publishing",
        not_implemented_agreed_by=year.chair,
    )
    services.yearly_report_save(
        report=report, by=year.officer, fields={"introduction": "Rewritten later"}, expected_version=report.version
    )
    again = PublishedYearlyReport.objects.get(pk=published.pk)
    assert again.html == stored_html and bytes(again.pdf) == stored_pdf
    download = officer.get(reverse("yearly:published_html", args=[published.pk]))
    assert download.content.decode() == stored_html and "Decided after publishing" not in stored_html
    assert "Rewritten later" not in stored_html
    viewer_page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "Decided after publishing" in viewer_page  # the draft reads the record; the version does not
    assert reverse("yearly:published_pdf", args=[published.pk]) in viewer_page
    with pytest.raises(ValueError):
        again.save()


def test_the_published_pdf_reads_as_the_report(client, year, report):
    report = written(report, year)
    published = services.yearly_report_publish(report=report, by=year.officer, expected_version=report.version)
    response = client_for(client, year.viewer).get(reverse("yearly:published_pdf", args=[published.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(event=AuditEvent.Event.REPORT_DOWNLOADED).exists()
    words = pdf_words(response.getvalue())  # streamed from storage
    assert "Published version 1" in words
    assert "What the partners did" in words and "What comes next" in words
    assert "Re-audit the front door." in words
    assert NOT_IMPLEMENTED_REASON[:60] in words
    assert "JTAI progress update, June" in words  # the title, wrapped in its column
    assert "1 April 2025 to 31 March 2026" in words


def test_the_draft_pdf_is_the_officers(client, year, report):
    response = job_file(client_for(client, year.officer), reverse("yearly:draft_pdf", args=[report.pk]))
    words = pdf_words(response.content)
    assert "Draft" in words and "Cases audited with a risk assessment" in words
    assert client_for(client, year.viewer).get(reverse("yearly:draft_pdf", args=[report.pk])).status_code == 403


def test_who_may_do_what(client, year, report):
    lead = client_for(client, year.lead)
    assert lead.get(reverse("yearly:list")).status_code == 200
    assert lead.get(reverse("yearly:report", args=[report.pk])).status_code == 200
    for name in ("yearly:edit", "yearly:publish", "yearly:draft_pdf"):
        assert lead.get(reverse(name, args=[report.pk])).status_code == 403
    assert lead.get(reverse("yearly:start")).status_code == 403
    assert start(lead).status_code == 403
    assert "Start a yearly report" not in lead.get(reverse("yearly:list")).content.decode()
    manager = client_for(client, year.manager)
    assert manager.get(reverse("yearly:edit", args=[report.pk])).status_code == 200
    assert "Start a yearly report" in manager.get(reverse("yearly:list")).content.decode()


def test_another_partnerships_reports_are_not_found(client, year, report):
    report = written(report, year)
    published = services.yearly_report_publish(report=report, by=year.officer, expected_version=report.version)
    other = build_year("Redesdale")
    stranger = client_for(client, other.officer)
    for name, pk in (
        ("yearly:report", report.pk),
        ("yearly:edit", report.pk),
        ("yearly:publish", report.pk),
        ("yearly:draft_pdf", report.pk),
        ("yearly:published_pdf", published.pk),
        ("yearly:published_html", published.pk),
    ):
        assert stranger.get(reverse(name, args=[pk])).status_code == 404, name
        assert stranger.post(reverse(name, args=[pk]), {"version": report.version}).status_code == 404, name
    assert report.title not in stranger.get(reverse("yearly:list")).content.decode()


def test_the_list_page_reads_in_a_fixed_number_of_queries(client, year, django_assert_max_num_queries):
    for first_year in range(2015, 2025):
        services.yearly_report_create(
            partnership=year.partnership,
            by=year.officer,
            starts_on=datetime.date(first_year, 4, 1),
            ends_on=datetime.date(first_year + 1, 3, 31),
        )
    viewer = client_for(client, year.viewer)
    with django_assert_max_num_queries(12):
        page = viewer.get(reverse("yearly:list")).content.decode()
    assert page.count("Draft</strong>") == 10


def test_people_without_a_partnership_cannot_read_yearly_reports(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("yearly:list")).status_code == 403
    assert Person.objects.count() == 0


def test_the_report_page_reads_the_same_number_of_queries_however_long_the_year(
    client, year, report, sessions_written_once
):
    viewer = client_for(client, year.viewer)
    url = reverse("yearly:report", args=[report.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert viewer.get(url).status_code == 200
        return len(captured)

    def review_and_retest(n):
        review = InspectionFactory(
            partnership=year.partnership,
            kind="rapid_review",
            theme=f"Child {n}",
            fieldwork_start=datetime.date(2025, 6, 2),
            fieldwork_end=datetime.date(2025, 6, 20),
        )
        FindingFactory(inspection=review, kind="recommendation", number=1, text="Recommendation")
        ActionFactory(plan=ActionPlanFactory(inspection=review), lead=year.lead, lead_agency=year.lead.agency)
        Retest.objects.create(
            action=year.actions["A.1"],
            tested_on=datetime.date(2025, 12, 1),
            result="sustained",
            evidence=f"Re-test {n}",
            recorded_by=year.chair,
            recorded_at=timezone.now(),
        )

    review_and_retest(0)
    queries()  # the first request writes the session
    before = queries()
    for n in range(1, 6):
        review_and_retest(n)
    for n in range(20):
        ActionFactory(
            plan=year.plan_b,
            lead=year.lead,
            lead_agency=year.lead.agency,
            reference=f"B.{10 + n}",
            **(
                {
                    "replaced_by": year.actions["A.3"],
                    "replaced_how": "superseded",
                    "replaced_on": datetime.date(2025, 10, 2),
                    "replaced_reason": "Folded into the new protocol",
                }
                if n % 2
                else {
                    "not_implemented_on": datetime.date(2025, 10, 1),
                    "not_implemented_reason": "Overtaken by the new protocol",
                    "not_implemented_agreed_by": year.chair,
                }
            ),
        )
    for n in range(5):
        measure = ImpactMeasureFactory(plan=year.plan_b, name=f"Measure {n}")
        ImpactValueFactory(measure=measure, period_end=datetime.date(2025, 9, 30), period_label="Q2 2025/26")
    page = viewer.get(url).content.decode()
    assert page.count("Overtaken by the new protocol") == 10 and "Measure 4" in page
    assert page.count("Folded into the new protocol") == 10
    assert "Child 5" in page and "Re-test 5" in page
    assert queries() == before


def test_a_report_saved_after_its_check_is_checked_again_before_publishing(client, year, report):
    report = written(report, year)
    officer = client_for(client, year.officer)
    checked = report.version
    services.yearly_report_save(
        report=report, by=year.manager, fields={"next_steps": "The manager's later words"}, expected_version=checked
    )
    response = officer.post(reverse("yearly:publish", args=[report.pk]), {"version": checked})
    assert response.status_code == 302 and response["Location"] == reverse("yearly:publish", args=[report.pk])
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The report was changed after you checked it. Check it again, then publish."
    ]
    assert not PublishedYearlyReport.objects.exists()


def test_the_published_html_is_a_sandboxed_download(client, year, report):
    report = written(report, year)
    published = services.yearly_report_publish(report=report, by=year.officer, expected_version=report.version)
    response = client_for(client, year.lead).get(reverse("yearly:published_html", args=[published.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    assert "<style>" in response.content.decode()  # its stylesheets travel with it
    assert published.sha256 == hashlib.sha256(bytes(published.pdf)).hexdigest()


def test_the_start_page_suggests_the_latest_april_to_march_year_not_yet_reported(client, year):
    officer = client_for(client, year.officer)
    with time_machine.travel("2026-12-03 12:00", tick=False):
        page = officer.get(reverse("yearly:start")).content.decode()
    values = dict(re.findall(r'name="((?:starts|ends)_on_\d)"[^>]*value="(\d+)"', page))
    assert values == {
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2025",
        "ends_on_0": "31",
        "ends_on_1": "3",
        "ends_on_2": "2026",
    }
    services.yearly_report_create(partnership=year.partnership, by=year.officer, starts_on=STARTS_ON, ends_on=ENDS_ON)
    with time_machine.travel("2026-12-03 12:00", tick=False):
        page = officer.get(reverse("yearly:start")).content.decode()
    assert 'value="2026"' not in page


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirms_make_one_version():
    """Two officers confirm the same check page at the same moment, each from their own thread and connection."""
    year = build_year()
    report = written(
        services.yearly_report_create(
            partnership=year.partnership, by=year.officer, starts_on=STARTS_ON, ends_on=ENDS_ON
        ),
        year,
    )
    clients = []
    for person in (year.officer, year.manager):
        one = Client()
        one.force_login(person.user)
        clients.append(one)
    start = threading.Barrier(2)
    statuses = [None, None]

    def confirm(number):
        try:
            start.wait(timeout=30)
            url = reverse("yearly:publish", args=[report.pk])
            statuses[number] = clients[number].post(url, {"version": report.version}).status_code
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
    assert PublishedYearlyReport.objects.filter(report=report).count() == 1


def test_a_year_with_nothing_decided_says_only_what_the_record_shows_under_the_guidance_then(client, year):
    # 2020 to 2021: one plan, its only round endorsed in the year with nothing complete and two actions Red.
    inspection = InspectionFactory(
        partnership=year.partnership,
        fieldwork_start=datetime.date(2019, 11, 4),
        fieldwork_end=datetime.date(2019, 11, 8),
    )
    plan = ActionPlanFactory(inspection=inspection, title="Plan 2019")
    actions = [
        ActionFactory(plan=plan, lead=year.lead, lead_agency=year.lead.agency, reference=f"C.{n}", position=n)
        for n in (1, 2)
    ]
    settle(
        MonitoringRoundFactory(
            plan=plan,
            label="December 2020",
            period_end=datetime.date(2020, 12, 31),
            update_deadline=datetime.date(2021, 1, 5),
        ),
        year.chair,
        dict.fromkeys(actions, Quadrant.RED),
        datetime.date(2021, 1, 11),
        datetime.date(2021, 1, 18),
    )
    report = services.yearly_report_create(
        partnership=year.partnership,
        by=year.officer,
        starts_on=datetime.date(2020, 4, 1),
        ends_on=datetime.date(2021, 3, 31),
    )
    assert "0% of actions complete at December 2020" in report.what_was_done
    assert report.not_implemented == "No action was agreed as not implemented, superseded or merged in the year."
    assert "implemented or is still being delivered" not in report.not_implemented
    assert "published under Working Together to Safeguard Children 2018." in report.introduction
    assert "2023" not in report.introduction
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "up to 11 January 2021, the meeting of the latest round the partnership board endorsed" in page


def test_the_guidance_named_is_the_one_in_force_for_the_year(report):
    assert guidance_for(datetime.date(2023, 12, 14)) == "Working Together to Safeguard Children 2018"
    assert guidance_for(datetime.date(2023, 12, 15)) == "Working Together to Safeguard Children 2023"
    assert "published under Working Together to Safeguard Children 2023." in report.introduction


def test_a_year_with_no_endorsed_round_lists_no_decision_and_says_why(client, year):
    report = services.yearly_report_create(
        partnership=year.partnership,
        by=year.officer,
        starts_on=datetime.date(2023, 4, 1),
        ends_on=datetime.date(2024, 3, 31),
    )
    assert "endorsed no monitoring round in the year, so this report lists no action" in report.not_implemented
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "endorsed no monitoring round in the year, so this report lists no decision" in page


def test_a_review_in_the_year_drafts_the_learning_from_reviews(client, year):
    review = InspectionFactory(
        partnership=year.partnership,
        kind="rapid_review",
        theme="Child H",
        fieldwork_start=datetime.date(2025, 5, 6),
        fieldwork_end=datetime.date(2025, 5, 20),
    )
    for kind, number in (("recommendation", 1), ("recommendation", 2), ("learning", 1)):
        FindingFactory(inspection=review, kind=kind, number=number, text=f"{kind} {number}")
    plan = ActionPlanFactory(inspection=review, title="Child H action plan")

    def action(ref, **fields):
        return ActionFactory(plan=plan, lead=year.lead, lead_agency=year.lead.agency, reference=ref, **fields)

    action("H.1", completed_on=datetime.date(2025, 9, 1))
    action("H.2")
    # Agreed not implemented after the year: open at its end.
    action(
        "H.3",
        not_implemented_on=datetime.date(2026, 5, 1),
        not_implemented_reason="Overtaken",
        not_implemented_agreed_by=year.chair,
    )
    # A review wholly before the year, with no round endorsed in it, is left out.
    InspectionFactory(partnership=year.partnership, kind="sar", theme="Adult K")
    report = services.yearly_report_create(
        partnership=year.partnership, by=year.officer, starts_on=STARTS_ON, ends_on=ENDS_ON
    )
    assert "The record holds one review in the year." in report.learning_from_reviews
    assert (
        "- Child H (Child safeguarding rapid review, 6 May 2025 to 20 May 2025): 2 recommendations, "
        "1 learning point; three actions at the year's end: 2 open, 1 complete."
    ) in report.learning_from_reviews
    assert "Adult K" not in report.learning_from_reviews
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert 'aria-label="Reviews in the year"' in page and "Open: 2; Complete: 1" in page
    assert "Adult K" not in page and ">None.<" not in page


def test_re_tests_in_the_year_are_in_the_impact_section(client, year):
    def retest(action, tested_on, result, evidence):
        Retest.objects.create(
            action=year.actions[action],
            tested_on=tested_on,
            result=result,
            evidence=evidence,
            recorded_by=year.chair,
            recorded_at=timezone.now(),
        )

    retest("A.1", datetime.date(2026, 1, 12), "sustained", "Re-audit of 30 cases held at 90%")
    retest("B.1", datetime.date(2026, 2, 9), "not_sustained", "The re-audit fell to 40%")
    retest("A.1", datetime.date(2026, 6, 1), "sustained", "After the year")
    report = services.yearly_report_create(
        partnership=year.partnership, by=year.officer, starts_on=STARTS_ON, ends_on=ENDS_ON
    )
    assert "Two re-tests of completed actions in the year: 1 sustained, 1 not sustained." in report.impact_shown
    assert "- A.1 Tynedale action A.1 (Plan A): sustained on 12 January 2026." in report.impact_shown
    assert "- B.1 Tynedale action B.1 (Plan B): not sustained on 9 February 2026." in report.impact_shown
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "Re-audit of 30 cases held at 90%" in page and "The re-audit fell to 40%" in page
    assert "After the year" not in page and "Not sustained</td>" in page


def test_decisions_after_the_latest_endorsed_rounds_meeting_wait_for_its_endorsement(client, year):
    # The latest round endorsed in the year met on 12 January 2026; a decision of 2 March 2026 is in no
    # endorsed round yet, as a completion would not be.
    ActionFactory(
        plan=year.plan_b,
        lead=year.lead,
        lead_agency=year.lead.agency,
        reference="B.9",
        description="Decided in an open round",
        not_implemented_on=datetime.date(2026, 3, 2),
        not_implemented_reason="Not endorsed yet",
        not_implemented_agreed_by=year.chair,
    )
    ActionFactory(
        plan=year.plan_b,
        lead=year.lead,
        lead_agency=year.lead.agency,
        reference="B.8",
        replaced_by=year.actions["A.3"],
        replaced_how="superseded",
        replaced_on=datetime.date(2026, 2, 2),
        replaced_reason="Folded in",
    )
    report = services.yearly_report_create(
        partnership=year.partnership, by=year.officer, starts_on=STARTS_ON, ends_on=ENDS_ON
    )
    assert "Decided in an open round" not in report.not_implemented and "B.8 " not in report.not_implemented
    assert NOT_IMPLEMENTED_REASON in report.not_implemented
    page = client_for(client, year.viewer).get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "Decided in an open round" not in page and "Not endorsed yet" not in page
    assert "Superseded by A.3" not in page and escape(NOT_IMPLEMENTED_REASON) in page
    assert "up to 12 January 2026, the meeting of the latest round the partnership board endorsed in the year" in page
