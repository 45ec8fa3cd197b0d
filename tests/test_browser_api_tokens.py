"""A manager makes an API token in the browser, copies it, uses it and revokes it: every page passes axe and none
scrolls sideways at 320 px; the documentation page too."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_makes_uses_and_revokes_a_token(page, live_server, demo, sign_in_demo, axe_violations):
    sign_in_demo("manager")
    found = {}
    page.goto("/setup/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("link", name="Create a token").click()
    page.get_by_role("button", name="Create token").click()
    assert "There is a problem" in page.content()
    found["errors"] = axe_violations(page)
    page.get_by_label("Name").fill("Power BI dashboard")
    page.get_by_label("Read plans", exact=False).check()
    day = datetime.date.today() + datetime.timedelta(days=90)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Create token").click()
    assert page.title().startswith("Token created")
    found["created"] = axe_violations(page)
    secret = page.locator("#token-secret").inner_text().strip()
    answered = page.request.get("/api/plans", headers={"Authorization": f"Bearer {secret}"})
    assert answered.status == 200 and answered.json()["count"] >= 1

    page.get_by_role("link", name="Back to API tokens").click()
    assert secret not in page.content()
    found["list"] = axe_violations(page)
    page.get_by_role("link", name="Revoke Power BI dashboard").click()
    found["revoke"] = axe_violations(page)
    page.get_by_role("button", name="Revoke token").click()
    assert "has been revoked" in page.content()
    assert page.request.get("/api/plans", headers={"Authorization": f"Bearer {secret}"}).status == 401

    page.goto("/api/docs")
    found["docs"] = axe_violations(page)
    assert {name: violations for name, violations in found.items() if violations} == {}

    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/api-tokens/", "/api-tokens/new/", "/api/docs"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
