"""In a real browser, on the demo: the officer edits the May 2020 committee report, publishes and downloads it."""

import hashlib

import pytest
from playwright.sync_api import expect

from actions.models import MonitoringRound
from reports.models import PublishedReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PURPOSE = "To consider progress with the JTAI action plan at the May 2020 round, as edited in the browser."


def test_officer_edits_publishes_and_downloads_the_may_2020_report(page, demo, sign_in_demo, axe_violations, tmp_path):
    may = MonitoringRound.objects.get(
        plan__inspection__partnership__name__startswith="Northumberland", label="May 2020"
    )
    sign_in_demo("officer")
    page.goto(f"/rounds/{may.pk}/")
    page.get_by_role("link", name="Committee report for May 2020").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "JTAI action plan: child exploitation – progress update, May 2020"
    )
    assert axe_violations(page) == []

    page.get_by_role("link", name="Edit the report").click()
    assert axe_violations(page) == []
    page.get_by_label("Committee", exact=True).fill("Families and Children's Overview and Scrutiny Committee")
    page.get_by_label("Day").fill("16")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2020")
    page.get_by_label("Purpose of report").fill(PURPOSE)
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("Report saved.")).to_be_visible()
    expect(page.locator("#purpose + p")).to_have_text(PURPOSE)

    page.get_by_role("link", name="Check and publish").click()
    page.get_by_role("button", name="Publish version 1").click(no_wait_after=True)
    expect(page.get_by_text("Version 1 published for Families and Children's")).to_be_visible(timeout=60_000)
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of version 1").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".pdf"
    content = saved.read_bytes()
    assert content.startswith(b"%PDF-")
    published = PublishedReport.objects.get()
    assert published.version == 1
    assert hashlib.sha256(content).hexdigest() == published.sha256

    # Published, with its versions table: still no sideways scrolling at 320 px.
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_report_reflows_at_320_px_its_chart_labels_grow_with_text_and_new_pages_pass_axe(
    page, demo, sign_in_demo, axe_violations
):
    may = MonitoringRound.objects.get(
        plan__inspection__partnership__name__startswith="Northumberland", label="May 2020"
    )
    sign_in_demo("officer")
    page.goto(f"/rounds/{may.pk}/committee-report/")
    label = page.locator(".app-report__chart-svg text").first
    before = label.bounding_box()["height"]
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert label.bounding_box()["height"] > 1.5 * before  # the chart's labels grow with the reader's text
    page.evaluate("document.documentElement.style.fontSize = ''")

    for path in (
        f"/rounds/{may.pk}/committee-report/",
        f"/rounds/{may.pk}/committee-report/publish/",
        "/committee-reports/style/",
    ):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        assert axe_violations(page) == [], path
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        # At 200 % text the page still reflows: wide tables scroll in their own regions, not the page.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
