"""The quadrant board: Appendix A's four quadrants for a round, movement, flags, filters and who may see it."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import MonitoringRound, Update
from actions.quadrants import Quadrant
from inspections.models import Finding
from people.models import Person
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MonitoringRoundFactory,
    PersonFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db

G, Y, A, R, C = Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED, Quadrant.COMPLETE


@pytest.fixture
def plan(action):
    return action.plan


@pytest.fixture
def viewer_client(client, make_person):
    client.force_login(make_person(role=Person.Role.VIEWER).user)
    return client


def agreed_round(plan, label="May 2020", period_end=datetime.date(2020, 5, 31), state=MonitoringRound.State.AGREED):
    endorsed_on = period_end + datetime.timedelta(days=10) if state == MonitoringRound.State.ENDORSED else None
    return MonitoringRoundFactory(plan=plan, label=label, period_end=period_end, state=state, endorsed_on=endorsed_on)


def agree(action, monitoring_round, quadrant):
    return UpdateFactory(
        action=action,
        round=monitoring_round,
        status=Update.Status.AGREED,
        proposed_quadrant=quadrant,
        agreed_quadrant=quadrant,
    )


def more_actions(plan, like, n, **kwargs):
    kwargs = {"lead": like.lead, "lead_agency": like.lead_agency, **kwargs}
    return [ActionFactory(plan=plan, **kwargs) for _ in range(n)]


def board_page(client, plan, monitoring_round=None, **params):
    if monitoring_round is None:
        url = reverse("reports:board", args=[plan.pk])
    else:
        url = reverse("reports:board_round", args=[plan.pk, monitoring_round.pk])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def refs(entries):
    return [entry.action.reference for entry in entries]


def section(page, section_id):
    """The HTML of one board section, found by the id its heading carries."""
    match = re.search(rf'<section[^>]*aria-labelledby="{section_id}".*?</section>', page, re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


# Placement --------------------------------------------------------------------


def test_board_places_each_action_in_its_agreed_quadrant_in_appendix_a_order(viewer_client, plan, action):
    monitoring_round = agreed_round(plan)
    green, yellow, amber, red = [action, *more_actions(plan, action, 3)]
    extra_green = more_actions(plan, action, 1)[0]
    for each, quadrant in [(green, G), (extra_green, G), (yellow, Y), (amber, A), (red, R)]:
        agree(each, monitoring_round, quadrant)

    response = board_page(viewer_client, plan)
    board = response.context["board"]
    assert [(group.info.key, group.count) for group in board.quadrants] == [(G, 2), (Y, 1), (A, 1), (R, 1)]
    assert refs(board.quadrants[3].entries) == [red.reference]
    page = response.content.decode()
    # Green top left, yellow top right, amber bottom left, red bottom right: that order in a 2x2 grid.
    positions = [page.index(f'id="quadrant-{key}"') for key in (G, Y, A, R)]
    assert positions == sorted(positions)
    green_section = section(page, "quadrant-green")
    assert "Good progress, all actions taken and on track" in green_section
    assert "2 actions" in green_section
    assert 'aria-hidden="true">●</span>' in green_section  # the shape, besides the label
    assert red.description in section(page, "quadrant-red")
    assert reverse("actions:detail", args=[red.pk]) in section(page, "quadrant-red")
    assert red.lead_agency.display_name in section(page, "quadrant-red")


def test_board_uses_the_partnerships_own_quadrant_wording(viewer_client, plan, action):
    from actions.models import QuadrantWording

    QuadrantWording.objects.create(
        partnership=plan.inspection.partnership, quadrant=G, label="On track", description="Going well"
    )
    agree(action, agreed_round(plan), G)
    page = board_page(viewer_client, plan).content.decode()
    assert "On track" in section(page, "quadrant-green")
    assert "Going well" in section(page, "quadrant-green")


def test_open_round_shows_a_submitted_proposal_marked_as_not_yet_agreed(viewer_client, plan, action):
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.OPEN)
    UpdateFactory(action=action, round=monitoring_round, status=Update.Status.SUBMITTED, proposed_quadrant=A)

    response = board_page(viewer_client, plan)
    entry = response.context["board"].quadrants[2].entries[0]
    assert entry.proposed
    amber = section(response.content.decode(), "quadrant-amber")
    assert "Proposed, not yet agreed" in amber
    assert "1 of these is a lead's proposal, not yet agreed" in amber


def test_agreed_quadrant_wins_over_the_proposal(viewer_client, plan, action):
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.SENSE_CHECK)
    UpdateFactory(
        action=action, round=monitoring_round, status=Update.Status.AGREED, proposed_quadrant=G, agreed_quadrant=R
    )
    board = board_page(viewer_client, plan).context["board"]
    assert refs(board.quadrants[3].entries) == [action.reference]
    assert not board.quadrants[3].entries[0].proposed


def test_agreed_round_never_shows_a_proposal_in_place_of_an_agreement(viewer_client, plan, action):
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.ENDORSED)
    UpdateFactory(action=action, round=monitoring_round, status=Update.Status.SUBMITTED, proposed_quadrant=G)
    board = board_page(viewer_client, plan).context["board"]
    assert all(group.count == 0 for group in board.quadrants)
    assert refs(board.missing) == [action.reference]


def test_actions_without_a_submitted_update_are_listed_as_update_missing(viewer_client, plan, action):
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.OPEN)
    drafted, submitted = more_actions(plan, action, 2)
    UpdateFactory(action=drafted, round=monitoring_round, status=Update.Status.DRAFT, proposed_quadrant=G)
    UpdateFactory(action=submitted, round=monitoring_round, status=Update.Status.SUBMITTED, proposed_quadrant=G)

    response = board_page(viewer_client, plan)
    board = response.context["board"]
    assert refs(board.missing) == [action.reference, drafted.reference]
    assert all("Update missing" in entry.flags for entry in board.missing)
    missing = section(response.content.decode(), "update-missing")
    assert "2 actions" in missing
    assert "Draft started, not submitted" in missing
    assert "Update missing" in missing


# Completion -------------------------------------------------------------------


def test_complete_actions_have_their_own_section_with_the_share_of_the_plan_complete(viewer_client, plan, action):
    earlier = agreed_round(plan, "March 2020", datetime.date(2020, 3, 31))
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.OPEN)
    done_before, done_now, proposed_done, *others = more_actions(plan, action, 7)
    agree(done_before, earlier, C)  # complete in March, no update needed in May
    agree(done_now, monitoring_round, C)
    UpdateFactory(action=proposed_done, round=monitoring_round, status=Update.Status.SUBMITTED, proposed_quadrant=C)
    for each in others:
        agree(each, monitoring_round, Y)

    response = board_page(viewer_client, plan)
    board = response.context["board"]
    assert refs(board.complete.entries) == [done_before.reference, done_now.reference, proposed_done.reference]
    assert board.complete_total == 2  # a proposed completion is not yet a completion
    assert board.total == 8
    page = response.content.decode()
    complete = section(page, "quadrant-complete")
    assert "25% of actions complete" in complete  # 2 of 8, Cheshire East style
    assert "(2 of the 8 actions in the plan at May 2020)" in complete  # the denominator, in words
    assert "Complete in an earlier round" in complete
    assert done_before.reference not in [entry.action.reference for entry in board.missing]


def test_completion_percentage_is_rounded(viewer_client, plan, action):
    monitoring_round = agreed_round(plan)
    done, *others = more_actions(plan, action, 2)
    agree(done, monitoring_round, C)
    for each in [action, *others]:
        agree(each, monitoring_round, G)
    assert "33% of actions complete" in board_page(viewer_client, plan).content.decode()


# Movement ---------------------------------------------------------------------


def test_movement_since_the_previous_round_per_action_and_in_a_summary(viewer_client, plan, action):
    # Created out of date order: "previous" is the latest period end before this round, not the last made.
    monitoring_round = agreed_round(plan, "May 2020", datetime.date(2020, 5, 31))
    agreed_round(plan, "January 2020", datetime.date(2020, 1, 31))
    march = agreed_round(plan, "March 2020", datetime.date(2020, 3, 31))
    up_1, up_2, up_3, down_1, down_2, same, new = [action, *more_actions(plan, action, 6)]
    for each, before, after in [
        (up_1, A, G),
        (up_2, A, G),
        (up_3, A, G),
        (down_1, Y, A),
        (down_2, Y, A),
        (same, R, R),
    ]:
        agree(each, march, before)
        agree(each, monitoring_round, after)
    agree(new, monitoring_round, Y)

    response = board_page(viewer_client, plan)
    board = response.context["board"]
    assert board.previous_round == march
    movement = {entry.action.reference: entry.movement for entry in board.entries}
    assert movement == {
        up_1.reference: "improved",
        up_2.reference: "improved",
        up_3.reference: "improved",
        down_1.reference: "worse",
        down_2.reference: "worse",
        same.reference: "same",
        new.reference: "new",
    }
    assert [move.sentence for move in board.moves] == [
        "3 actions moved from amber to green",
        "2 actions moved from yellow to amber",
    ]
    page = response.content.decode()
    assert "Movement since March 2020" in page
    assert "<li>3 actions moved from amber to green</li>" in page
    assert "3 improved, 2 worse, 1 unchanged, 1 new." in page
    green = section(page, "quadrant-green")
    assert 'aria-hidden="true">↑</span> Improved (was Amber)' in green  # arrow and words
    assert 'aria-hidden="true">↓</span> Worse (was Yellow)' in section(page, "quadrant-amber")
    assert "No change" in section(page, "quadrant-red")
    assert "New: no quadrant last round" in section(page, "quadrant-yellow")


def test_summary_sentence_is_singular_for_one_action(viewer_client, plan, action):
    march = agreed_round(plan, "March 2020", datetime.date(2020, 3, 31))
    may = agreed_round(plan)
    agree(action, march, R)
    agree(action, may, A)
    board = board_page(viewer_client, plan).context["board"]
    assert [move.sentence for move in board.moves] == ["1 action moved from red to amber"]


def test_first_round_has_no_movement_to_show(viewer_client, plan, action):
    agree(action, agreed_round(plan), G)
    response = board_page(viewer_client, plan)
    assert response.context["board"].entries[0].movement_text == "New: first round"
    assert "This is the plan's first round" in response.content.decode()


def test_an_earlier_round_can_be_chosen_and_other_rounds_are_linked(viewer_client, plan, action):
    march = agreed_round(plan, "March 2020", datetime.date(2020, 3, 31))
    may = agreed_round(plan)
    agree(action, march, R)
    agree(action, may, G)

    latest = board_page(viewer_client, plan)
    assert latest.context["board"].monitoring_round == may
    assert reverse("reports:board_round", args=[plan.pk, march.pk]) in latest.content.decode()

    earlier = board_page(viewer_client, plan, march)
    assert earlier.context["board"].monitoring_round == march
    assert refs(earlier.context["board"].quadrants[3].entries) == [action.reference]
    assert "Quadrant board: March 2020" in earlier.content.decode()


# Flags ------------------------------------------------------------------------


def test_flags_overdue_due_soon_and_not_green_and_update_missing(viewer_client, plan, action):
    today = timezone.localdate()
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.OPEN)
    overdue, soon_amber, soon_green, soon_later, revised_out, done_late = more_actions(plan, action, 6)
    overdue.target_date = today - datetime.timedelta(days=1)
    soon_amber.target_date = soon_green.target_date = today + datetime.timedelta(days=30)
    soon_later.target_date = today + datetime.timedelta(days=62)
    revised_out.target_date = today - datetime.timedelta(days=10)
    revised_out.revised_target_date = today + datetime.timedelta(days=200)
    revised_out.revised_target_reason = "Agreed by the sub-group"
    done_late.target_date = today - datetime.timedelta(days=100)
    done_late.completed_on = today - datetime.timedelta(days=5)
    done_late.sustainability_plan = "Annual audit."
    for each in (overdue, soon_amber, soon_green, soon_later, revised_out, done_late):
        each.save()
    action.target_date = today + datetime.timedelta(days=300)
    action.save()
    for each, quadrant in [(overdue, G), (soon_amber, A), (soon_green, G), (soon_later, R), (revised_out, R)]:
        agree(each, monitoring_round, quadrant)
    agree(done_late, monitoring_round, C)

    response = board_page(viewer_client, plan)
    flags = {entry.action.reference: entry.flags for entry in response.context["board"].entries}
    assert flags == {
        action.reference: ["Update missing"],
        overdue.reference: ["Overdue"],
        soon_amber.reference: ["Due within 2 months and not green"],
        soon_green.reference: [],
        soon_later.reference: [],
        revised_out.reference: [],  # the revised date is the one that counts
        done_late.reference: [],
    }
    page = response.content.decode()
    assert "Overdue" in section(page, "quadrant-green")
    assert "Due within 2 months and not green" in section(page, "quadrant-amber")


def test_due_soon_flag_counts_61_days_from_today(client, make_person, plan, action):
    import time_machine

    viewer = make_person(role=Person.Role.VIEWER)
    agree(action, agreed_round(plan, state=MonitoringRound.State.OPEN), Y)  # a live round is read as at today
    action.target_date = datetime.date(2030, 3, 2)
    action.save()
    for now, flagged in [(datetime.datetime(2029, 12, 31, 12), True), (datetime.datetime(2029, 12, 30, 12), False)]:
        with time_machine.travel(now.replace(tzinfo=datetime.UTC), tick=False):
            client.force_login(viewer.user)
            assert board_page(client, plan).context["board"].entries[0].due_soon_not_green is flagged


def test_an_agreed_rounds_flags_are_as_at_its_meeting_whatever_the_day(client, make_person, plan, action):
    """Every fact belongs to a moment: loaded years later, May 2020's board flags what was due then."""
    import time_machine

    viewer = make_person(role=Person.Role.VIEWER)
    may = agreed_round(plan)
    may.subgroup_meeting_on = datetime.date(2020, 6, 3)
    may.save()
    agree(action, may, Y)
    due_then, due_later = more_actions(plan, action, 2)
    due_then.target_date = datetime.date(2020, 5, 1)  # overdue at the meeting
    due_later.target_date = datetime.date(2020, 7, 31)  # due within two months of the meeting, not overdue
    for each in (due_then, due_later):
        each.save()
        agree(each, may, Y)
    action.target_date = datetime.date(2021, 3, 31)  # neither
    action.save()
    for now in (datetime.datetime(2020, 6, 10, 12), datetime.datetime(2026, 12, 3, 12)):
        with time_machine.travel(now.replace(tzinfo=datetime.UTC), tick=False):
            client.force_login(viewer.user)
            board = board_page(client, plan, may).context["board"]
            flags = {entry.action.reference: entry.flags for entry in board.entries}
            assert board.as_at == datetime.date(2020, 6, 3)
            assert flags == {
                due_then.reference: ["Overdue"],
                due_later.reference: ["Due within 2 months and not green"],
                action.reference: [],
            }


# Filters ----------------------------------------------------------------------


@pytest.fixture
def filter_plan(plan, action):
    """Four actions in one round: different agencies, leads, areas, dates; one priority area for action."""
    partnership = plan.inspection.partnership
    today = timezone.localdate()
    police = PersonFactory(partnership=partnership, agency__name="Northumbria Police")
    monitoring_round = agreed_round(plan, period_end=today)  # agreed today: its flags are as at today
    area_1 = FindingFactory(inspection=plan.inspection, number=1, text="Profile of criminal exploitation")
    area_2 = FindingFactory(inspection=plan.inspection, number=2, text="Referral formats vary")
    priority = FindingFactory(
        inspection=plan.inspection, kind=Finding.Kind.PRIORITY_ACTION, number=1, text="The front door"
    )
    FindingFactory(inspection=plan.inspection, kind=Finding.Kind.STRENGTH, number=1, text="Strong commitment")
    next_year = today + datetime.timedelta(days=365)
    by_police = ActionFactory(
        plan=plan, lead=police, lead_agency=police.agency, description="Police profile", target_date=next_year
    )
    late = ActionFactory(
        plan=plan,
        lead=action.lead,
        lead_agency=action.lead_agency,
        description="Late action",
        target_date=today - datetime.timedelta(days=3),
    )
    front_door = ActionFactory(
        plan=plan, lead=action.lead, lead_agency=action.lead_agency, description="Front door", target_date=next_year
    )
    action.target_date = next_year
    action.save()
    by_police.areas.add(area_1)
    late.areas.add(area_2)
    front_door.areas.add(priority, area_2)
    for each, quadrant in [(action, G), (by_police, Y), (late, A), (front_door, R)]:
        agree(each, monitoring_round, quadrant)
    return {
        "police": police,
        "by_police": by_police,
        "late": late,
        "front_door": front_door,
        "area_2": area_2,
        "priority": priority,
    }


def shown(response):
    return sorted(refs(response.context["board"].entries))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda f: {"lead_agency": f["police"].agency_id}, ["by_police"]),
        (lambda f: {"area": f["area_2"].pk}, ["late", "front_door"]),
        (lambda f: {"lead": f["police"].pk}, ["by_police"]),
        (lambda f: {"overdue": "on"}, ["late"]),
        (lambda f: {"priority": "on"}, ["front_door"]),
        (lambda f: {"area": f["area_2"].pk, "overdue": "on"}, ["late"]),
    ],
    ids=["lead agency", "area", "lead", "overdue", "priority", "area and overdue"],
)
def test_each_filter_narrows_the_board_and_keeps_its_layout(viewer_client, plan, filter_plan, params, expected):
    response = board_page(viewer_client, plan, **params(filter_plan))
    assert shown(response) == sorted(filter_plan[name].reference for name in expected)
    page = response.content.decode()
    assert f"Showing {len(expected)} of 4 actions" in page
    for key in ("green", "yellow", "amber", "red", "complete"):
        assert f'aria-labelledby="quadrant-{key}"' in page  # the four quadrants stay, empty or not
    assert "Clear filters" in page
    assert "25% of actions complete" not in page  # the completion figure stays plan-wide: 0 of 4
    assert "0% of actions complete" in page


def test_filter_choices_come_from_the_plan(viewer_client, plan, filter_plan):
    form = board_page(viewer_client, plan).context["board"].filterset.form
    agencies = [label for value, label in form.fields["lead_agency"].choices if value]
    assert "Northumbria Police" in agencies
    areas = [label for value, label in form.fields["area"].choices if value]
    assert areas == [
        "Priority area for action 1: The front door",
        "Area for improvement 1: Profile of criminal exploitation",
        "Area for improvement 2: Referral formats vary",
    ]  # no strengths
    page = board_page(viewer_client, plan).content.decode()
    assert 'class="govuk-select"' in page
    assert 'class="govuk-checkboxes__input"' in page
    assert "4 actions in the plan" in page
    assert "govuk-error-summary" not in page


def test_an_unknown_filter_choice_is_an_error_not_a_crash(viewer_client, plan, filter_plan):
    response = board_page(viewer_client, plan, lead_agency="999999")
    assert len(response.context["board"].entries) == 4
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page


def test_list_view_keeps_the_filters_and_shows_the_same_data_as_a_table(viewer_client, plan, filter_plan):
    response = board_page(viewer_client, plan, view="list", lead=filter_plan["police"].pk)
    page = response.content.decode()
    assert '<table class="govuk-table' in page
    for header in ("Ref", "Action", "Lead agency", "Quadrant", "Movement", "Flags"):
        assert f'<th scope="col" class="govuk-table__header">{header}</th>' in page
    assert "Police profile" in page
    assert "Late action" not in page
    assert 'aria-hidden="true">▲</span> Yellow' in page
    assert "Showing 1 of 4 actions" in page
    assert 'name="view" value="list"' in page  # filtering again stays in the list view
    assert 'aria-current="page">List view</a>' in page


def test_the_quadrant_filter_keeps_the_chosen_quadrants_and_the_round_figures(viewer_client, plan, filter_plan):
    response = board_page(viewer_client, plan, quadrant=["red", "amber"])
    assert shown(response) == sorted(filter_plan[name].reference for name in ("late", "front_door"))
    page = response.content.decode()
    assert "Showing 2 of 4 actions: the filters are on (Red, Amber)." in page
    assert 'Green</span><span class="app-board__count">: 0 of 1 action</span>' in page  # the round's count stays
    assert 'Red</span><span class="app-board__count">: 1 of 1 action</span>' in page
    assert "No actions that match the filters." in section(page, "quadrant-green")
    assert "0% of actions complete</strong> (0 of the 4 actions in the plan at May 2020, whatever the filters)" in page
    assert [label for _, label in response.context["board"].filterset.form.fields["quadrant"].choices] == [
        "Red",
        "Amber",
        "Yellow",
        "Green",
        "Blue (complete)",
        "Update missing",
    ]  # worst first, as the jump links
    checked = [field.data for field in response.context["board"].filterset.form["quadrant"] if field.data["selected"]]
    assert [box["value"] for box in checked] == ["red", "amber"]  # the form shows what is chosen


def test_the_quadrant_filter_combines_with_the_others(viewer_client, plan, filter_plan):
    response = board_page(viewer_client, plan, quadrant="amber", lead_agency=filter_plan["police"].agency_id)
    assert shown(response) == []
    assert "Showing 0 of 4 actions" in response.content.decode()
    response = board_page(viewer_client, plan, quadrant=["amber", "yellow"], area=filter_plan["area_2"].pk)
    assert shown(response) == [filter_plan["late"].reference]


def test_the_list_view_honours_the_quadrant_filter(viewer_client, plan, filter_plan):
    page = board_page(viewer_client, plan, view="list", quadrant="yellow").content.decode()
    assert "Police profile" in page
    assert "Late action" not in page and "Front door" not in page
    assert "Showing 1 of 4 actions: the filters are on (Yellow)." in page
    assert 'href="#quadrant-red"' not in page  # the list view has no quadrant sections to jump to


def test_the_quadrant_filter_finds_actions_whose_update_is_missing(viewer_client, plan, action):
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.OPEN)
    proposed = more_actions(plan, action, 1)[0]
    UpdateFactory(action=proposed, round=monitoring_round, status=Update.Status.SUBMITTED, proposed_quadrant=R)
    missing = board_page(viewer_client, plan, quadrant="missing")
    assert shown(missing) == [action.reference]
    assert "Showing 1 of 2 actions: the filters are on (Update missing)." in missing.content.decode()
    red = board_page(viewer_client, plan, quadrant="red")
    assert shown(red) == [proposed.reference]  # a lead's proposal stands in while the round is open
    assert 'id="update-missing"' not in red.content.decode()


def test_the_quadrant_filter_speaks_the_partnerships_words(viewer_client, plan, action):
    from actions.models import QuadrantWording

    QuadrantWording.objects.create(
        partnership=plan.inspection.partnership, quadrant=R, label="Off track", description="Needs help now"
    )
    agree(action, agreed_round(plan), R)
    response = board_page(viewer_client, plan, quadrant="red")
    assert shown(response) == [action.reference]
    page = response.content.decode()
    assert "(Off track)." in page
    assert ("red", "Off track") in response.context["board"].filterset.form.fields["quadrant"].choices
    assert '<span class="app-board-jump__symbol" aria-hidden="true">■</span>Off track (1)</a>' in page


def test_an_unknown_quadrant_is_an_error_not_a_crash(viewer_client, plan, filter_plan):
    response = board_page(viewer_client, plan, quadrant="purple")
    assert len(response.context["board"].entries) == 4
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Select a valid choice. purple is not one of the available choices." in page


def test_jump_links_lead_to_each_quadrant_worst_first_in_words(viewer_client, plan, filter_plan, action):
    page = board_page(viewer_client, plan).content.decode()
    jump = re.search(r'<nav class="app-board-jump" aria-label="Jump to a quadrant">.*?</nav>', page, re.S).group(0)
    links = re.findall(r'href="#([a-z-]+)"><span[^>]*>(.)</span>([^<]+)</a>', jump)
    assert links == [
        ("quadrant-red", "■", "Red (1)"),
        ("quadrant-amber", "◆", "Amber (1)"),
        ("quadrant-yellow", "▲", "Yellow (1)"),
        ("quadrant-green", "●", "Green (1)"),
        ("quadrant-complete", "✔", "Blue (complete) (0)"),
    ]
    for target, _, _ in links:  # each lands on its quadrant's heading, which takes the focus
        assert f'id="{target}" tabindex="-1"' in page
    with_filter = board_page(viewer_client, plan, quadrant="red").content.decode()
    assert "Red (1)</a>" in with_filter and "Amber (0)</a>" in with_filter  # what the jump finds there


def test_list_view_says_when_an_update_is_missing_or_only_proposed(viewer_client, plan, action):
    monitoring_round = agreed_round(plan, state=MonitoringRound.State.OPEN)
    proposed = more_actions(plan, action, 1)[0]
    UpdateFactory(action=proposed, round=monitoring_round, status=Update.Status.SUBMITTED, proposed_quadrant=R)
    page = board_page(viewer_client, plan, view="list").content.decode()
    assert "proposed, not yet agreed" in page
    assert ">Update missing<" in page.replace("\n", "").replace("  ", "")


# Who may see it ---------------------------------------------------------------


def test_a_viewer_of_the_partnership_can_see_the_board(viewer_client, plan, action):
    agree(action, agreed_round(plan), G)
    assert board_page(viewer_client, plan).status_code == 200


def test_anonymous_user_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("reports:board", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_partnerships_board_is_not_found(viewer_client, other_partnership_action):
    other_plan = other_partnership_action.plan
    other_round = agreed_round(other_plan)
    assert viewer_client.get(reverse("reports:board", args=[other_plan.pk])).status_code == 404
    assert viewer_client.get(reverse("reports:board_round", args=[other_plan.pk, other_round.pk])).status_code == 404


def test_a_round_of_another_plan_is_not_found(viewer_client, plan, other_partnership_action):
    other_round = agreed_round(other_partnership_action.plan)
    response = viewer_client.get(reverse("reports:board_round", args=[plan.pk, other_round.pk]))
    assert response.status_code == 404


def test_a_plan_without_rounds_says_so(viewer_client, plan):
    page = board_page(viewer_client, plan).content.decode()
    assert "This plan has no monitoring round yet" in page


def test_plan_page_links_to_the_board(viewer_client, plan):
    page = viewer_client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{reverse("reports:board", args=[plan.pk])}">Quadrant board</a>' in page


# Queries ----------------------------------------------------------------------


def test_board_query_count_does_not_grow_with_actions(viewer_client, plan, action, sessions_written_once):
    march = agreed_round(plan, "March 2020", datetime.date(2020, 3, 31))
    may = agreed_round(plan, state=MonitoringRound.State.OPEN)
    other_lead = PersonFactory(partnership=plan.inspection.partnership)
    area = FindingFactory(inspection=plan.inspection)
    quadrants = [G, Y, A, R, C]

    def add_actions(n):
        for i, each in enumerate(more_actions(plan, action, n, lead=other_lead, lead_agency=other_lead.agency)):
            each.areas.add(area)
            agree(each, march, quadrants[i % 5])
            UpdateFactory(
                action=each, round=may, status=Update.Status.SUBMITTED, proposed_quadrant=quadrants[(i + 1) % 5]
            )

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            board_page(viewer_client, plan, **params)
        return len(captured)

    filters = {"lead_agency": other_lead.agency_id, "lead": other_lead.pk, "area": area.pk, "overdue": "on"}
    quadrant = {"quadrant": [R, A, "missing"]}

    def every_view():
        return (
            queries(),
            queries(view="list"),
            queries(**filters),
            queries(**quadrant),
            queries(view="list", **quadrant),
            queries(**filters, **quadrant),
        )

    add_actions(9)
    queries()  # the first request writes the session
    ten = every_view()
    add_actions(490)
    five_hundred = every_view()
    assert ten == five_hundred
    assert max(five_hundred) <= 15  # the areas and their sign-off; the leads and agencies read once each
    assert five_hundred[3] == five_hundred[0]  # the quadrant filter alone reads nothing more than the board


# The demo ---------------------------------------------------------------------


def test_demo_may_2020_board_matches_northumberlands_appendix_a(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    viewer = Person.objects.get(user__username="viewer")
    client.force_login(viewer.user)
    may = MonitoringRound.objects.get(plan__inspection__partnership=viewer.partnership, label="May 2020")

    response = board_page(client, may.plan, may)
    board = response.context["board"]
    assert [(group.info.key, group.count) for group in board.quadrants] == [(G, 10), (Y, 7), (A, 3), (R, 2)]
    assert board.total == 22
    assert board.missing == []
    red = section(response.content.decode(), "quadrant-red")
    assert "Deliver MSET roadshows to frontline practitioners across the partnership" in red
    assert "10 actions" in section(response.content.decode(), "quadrant-green")


def test_an_action_added_after_a_round_closed_is_not_part_of_that_round(viewer_client, plan, action):
    may = agreed_round(plan, "May 2020", datetime.date(2020, 5, 31))
    agree(action, may, G)
    august = agreed_round(plan, "August 2020", datetime.date(2020, 8, 31), state=MonitoringRound.State.OPEN)
    later = more_actions(plan, action, 1)[0]

    may_board = board_page(viewer_client, plan, may).context["board"]
    assert [entry.action for entry in may_board.entries] == [action]
    assert may_board.total == 1 and may_board.missing == []

    august_board = board_page(viewer_client, plan, august).context["board"]
    assert later in [entry.action for entry in august_board.missing]
