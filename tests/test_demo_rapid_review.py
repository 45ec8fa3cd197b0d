"""The demo's second source: Northumberland's Child H rapid review, live on the day it is loaded."""

import re

import pytest
from django.utils import timezone

from actions.models import Action, MonitoringRound
from inspections.clocks import State, source_clocks
from inspections.models import Finding, Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(demo):
    return Inspection.objects.for_partnership(demo).get(kind="rapid_review")


def test_its_first_clocks_were_met_and_the_practice_review_clock_is_running(review):
    readings = {r.clock.code: r for r in source_clocks(review, timezone.localdate())}
    assert readings["notification"].state == State.MET
    assert readings["rapid_review"].state == State.MET
    assert readings["practice_review"].state == State.RUNNING
    assert readings["practice_review"].days_left > 0


def test_its_plan_answers_five_recommendations_in_the_reviews_words(review):
    recommendations = review.findings.filter(kind=Finding.Kind.RECOMMENDATION).order_by("number")
    assert [str(f) for f in recommendations] == [f"Recommendation {n}" for n in range(1, 6)]
    actions = list(review.plan.actions.order_by("position"))
    assert [a.reference for a in actions] == ["R1", "R2", "R3", "R4", "R5"]
    assert review.plan.title == "Child H rapid review action plan"
    rounds = list(review.plan.rounds.order_by("period_end"))
    assert [r.state for r in rounds] == [MonitoringRound.State.ENDORSED, MonitoringRound.State.OPEN]
    assert rounds[0].endorsed_snapshot["total"] == 5
    assert all(day <= timezone.localdate() for day in (rounds[0].endorsed_on, rounds[0].subgroup_meeting_on))


def test_one_action_is_not_implemented_with_the_reasons_the_chair_agreed(review):
    refused = Action.objects.get(plan=review.plan, reference="R4")
    assert refused.not_implemented_on <= timezone.localdate()
    assert refused.not_implemented_reason.startswith("The National Panel's briefing")
    assert refused.not_implemented_agreed_by.user.username == "chair"
    assert refused.history.latest().history_user.username == "chair"
    open_round = review.plan.rounds.get(state=MonitoringRound.State.OPEN)
    assert not open_round.updates.filter(action=refused).exists()


def test_the_review_page_shows_its_clocks(client, review):
    from demo.loader import PASSWORD

    client.post("/accounts/login/", {"login": "manager", "password": PASSWORD})
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Statutory clocks" in page and "Met on" in page and "Running" in page
    home = client.get("/").content.decode()
    assert "Practice review published" in home


def test_its_committee_report_and_board_name_the_recommendations(client, review):
    from django.urls import reverse

    from demo.loader import PASSWORD

    client.post("/accounts/login/", {"login": "officer", "password": PASSWORD})
    endorsed = review.plan.rounds.get(state=MonitoringRound.State.ENDORSED)
    report = client.get(reverse("reports:committee_report", args=[endorsed.pk])).content.decode()
    assert "Appendix B – Progress on each recommendation" in report
    assert "Recommendation 1" in report and "area for improvement" not in report.lower()


def _draft_report_text(client, monitoring_round):
    from django.urls import reverse

    from demo.loader import PASSWORD
    from reports.models import CommitteeReport

    client.post("/accounts/login/", {"login": "officer", "password": PASSWORD})
    assert not CommitteeReport.objects.filter(round=monitoring_round).exists()  # an unsaved draft: the defaults
    page = client.get(reverse("reports:committee_report", args=[monitoring_round.pk])).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # the report, not the service's name in the header
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_its_report_draft_names_the_review_in_its_words_and_says_nothing_of_the_jtai(client, review):
    open_round = review.plan.rounds.get(state=MonitoringRound.State.OPEN)
    text = _draft_report_text(client, open_round)
    for jtai_words in ("joint targeted", "JTAI", "exploitation", "inspectorates", "The inspection"):
        assert jtai_words not in text
    sent = review.event_date("rapid_review_sent")
    assert f"The rapid review of Child H, sent to the National Panel {sent.day} {sent:%B %Y}" in text
    assert "resulting from the child safeguarding rapid review of Child H in" in text  # the name keeps its capitals
    assert "The plan answers the child safeguarding rapid review of Child H." in text
    assert "Every month the lead for each action reports progress" in text
    assert "reviews them every quarter" not in text and "Every quarter" not in text


def test_the_jtai_report_draft_still_names_its_letter(client, demo):
    jtai = Inspection.objects.for_partnership(demo).get(kind="jtai")
    first = jtai.plan.rounds.order_by("period_end").first()
    text = _draft_report_text(client, first)
    assert "The joint targeted area inspection letter, published 2 August 2019" in text
    assert (
        "The plan answers the joint targeted area inspection (JTAI) of child sexual and criminal exploitation." in text
    )
    assert "Every quarter the lead for each action reports progress" in text


def test_its_board_offers_no_priority_filter_and_the_jtais_names_its_priority_areas(client, review, demo):
    from django.urls import reverse

    from demo.loader import PASSWORD

    client.post("/accounts/login/", {"login": "manager", "password": PASSWORD})
    board = client.get(reverse("reports:board", args=[review.plan.pk]))
    assert "priority" not in board.context["board"].filterset.filters
    assert "priority" not in board.content.decode().lower()
    assert client.get(reverse("reports:board", args=[review.plan.pk]), {"priority": "on"}).status_code == 200
    jtai = Inspection.objects.for_partnership(demo).get(kind="jtai")
    assert (
        "Only actions on a priority area for action"
        in client.get(reverse("reports:board", args=[jtai.plan.pk])).content.decode()
    )


def test_its_renumber_hint_uses_the_reviews_words(client, review, demo):
    from django.urls import reverse

    from demo.loader import PASSWORD

    client.post("/accounts/login/", {"login": "manager", "password": PASSWORD})
    page = client.get(reverse("setup:plan", args=[review.plan.pk])).content.decode()
    assert "the actions for recommendation 3 become 3.1, 3.2 and so on" in page
    assert "area for improvement" not in page and "priority area" not in page
    jtai = Inspection.objects.for_partnership(demo).get(kind="jtai")
    page = client.get(reverse("setup:plan", args=[jtai.plan.pk])).content.decode()
    assert "the actions for area for improvement 3 become 3.1" in page
    assert "Actions for a priority area for action get a P (P1.1)" in page
