"""The yearly report's pages in a real browser: an officer starts, checks and publishes one; every page passes
axe and nothing scrolls sideways at 320 CSS px (the demo has no yearly report, so the sweeps see only the list)."""

import pytest
from django.urls import reverse

from tests.yearly_world import build_year
from yearly.models import PublishedYearlyReport, YearlyReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCROLL_WIDTH = "document.documentElement.scrollWidth"


def test_an_officer_starts_checks_and_publishes_a_yearly_report(page, sign_in, axe_violations):
    year = build_year()
    sign_in(year.officer.user)
    found = {}

    page.get_by_role("link", name="Yearly reports").first.click()
    found["list"] = axe_violations(page)
    page.get_by_role("link", name="Start a yearly report").click()
    for legend in ("Start of the year", "End of the year"):  # the year suggested, cleared
        group = page.get_by_role("group", name=legend)
        assert group.get_by_label("Year").input_value()
        for label in ("Day", "Month", "Year"):
            group.get_by_label(label).fill("")
    page.get_by_role("button", name="Start the report").click()  # nothing typed: the error summary
    assert "Enter the start of the year" in page.content()
    found["start, empty"] = axe_violations(page)
    for legend, typed in (("Start of the year", "1 4 2025"), ("End of the year", "31 3 2026")):
        group = page.get_by_role("group", name=legend)
        for label, value in zip(("Day", "Month", "Year"), typed.split(), strict=True):
            group.get_by_label(label).fill(value)
    page.get_by_role("button", name="Start the report").click()
    page.wait_for_load_state()
    assert "Action plans in the year" in page.content()
    found["report, draft"] = axe_violations(page)

    page.get_by_role("link", name="Check and publish").click()
    page.wait_for_load_state()
    assert "Write what comes next" in page.content()
    found["check, a problem"] = axe_violations(page)
    page.get_by_role("link", name="Add what comes next").click()
    page.get_by_label("What comes next").fill("Re-audit the front door in the spring.")
    found["edit"] = axe_violations(page)
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("link", name="Check and publish").click()
    found["check, ready"] = axe_violations(page)
    page.get_by_role("button", name="Publish version 1").dblclick()
    page.wait_for_url(f"**{reverse('yearly:report', args=[YearlyReport.objects.get().pk])}")
    assert "Version 1 of the yearly report published." in page.content()
    found["report, published"] = axe_violations(page)
    assert PublishedYearlyReport.objects.count() == 1
    assert {where: violations for where, violations in found.items() if violations} == {}

    page.set_viewport_size({"width": 320, "height": 720})
    report = YearlyReport.objects.get()
    wide = {}
    for url in (
        reverse("yearly:list"),
        reverse("yearly:start"),
        reverse("yearly:report", args=[report.pk]),
        reverse("yearly:edit", args=[report.pk]),
        reverse("yearly:publish", args=[report.pk]),
    ):
        page.goto(url)
        width = page.evaluate(SCROLL_WIDTH)
        if width > 320:
            wide[url] = width
    assert wide == {}
