"""In a real browser: a manager finds the security audit log from Set up, pages through it, filters it and
downloads it; every state of the page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from audit.services import record
from people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_pages_filters_and_downloads_the_log(page, sign_in, make_person, axe_violations):
    manager = make_person(role=Person.Role.MANAGER)
    for number in range(60):
        record(None, AuditEvent.Event.SIGN_IN_FAILED, partnership=manager.partnership, username=f"visitor{number}")
    sign_in(manager.user)

    page.get_by_role("link", name="Set up", exact=True).click()
    page.get_by_role("link", name="Security audit log").click()
    expect(page).to_have_title(re.compile(r"^Security audit log"))
    assert page.get_by_role("row").count() == 51  # the header and 50 events
    assert axe_violations(page) == []

    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_title(re.compile(r"^Security audit log \(page 2 of 2\)"))
    assert axe_violations(page) == []

    page.get_by_label("Event", exact=True).select_option(label="Signed in")
    group = page.get_by_role("group", name="Date from")
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill("2030")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_title(re.compile(r"^Error: Security audit log"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Date from must be a real date").click()
    expect(group.get_by_label("Day")).to_be_focused()

    group.get_by_label("Day").fill("1")
    group.get_by_label("Year").fill("2000")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 event matches your filters")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events as CSV").click()
    assert download.value.suggested_filename.startswith("security-audit-log-")
    assert AuditEvent.objects.filter(event=AuditEvent.Event.EXPORTED, user=manager.user).count() == 1
