"""An inspection or review of any regime: added from its type, its findings in its words, its clocks shown,
listed on the manager's home while they run, and its managers reminded before each runs out, once."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from inspections.clock_reminders import clock_reminders_send
from inspections.models import ClockReminderLog, Finding, Inspection
from people.models import Person
from tests.factories import FindingFactory, InspectionFactory
from tests.second_factor import signed_in_just_now
from tests.test_setup import blank_date, date_fields

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def manager(make_person):
    return make_person(role=Person.Role.MANAGER)


@pytest.fixture
def manager_client(client, manager):
    signed_in_just_now(client, manager.user)
    return client


def rapid_review_data(**overrides):
    data = {
        "kind": "rapid_review",
        "theme": "Child H",
        **date_fields("fieldwork_start", D(2026, 10, 5)),
        **date_fields("fieldwork_end", D(2026, 10, 23)),
        **date_fields("milestone_incident_known", D(2026, 9, 28)),
        **date_fields("milestone_notified", D(2026, 10, 1)),
        **date_fields("milestone_rapid_review_sent", D(2026, 10, 16)),
        **date_fields("milestone_review_decided", D(2026, 11, 2)),
        **blank_date("milestone_review_published"),
        "status": Inspection.Status.PLAN_IN_PREPARATION,
        "plan_title": "",
    }
    data.update(overrides)
    return data


# Adding one from its type ------------------------------------------------------


def test_adding_starts_with_the_type_and_the_form_asks_for_that_types_events(manager_client):
    first = manager_client.get(reverse("setup:inspection_add")).content.decode()
    assert "<title>Add an inspection or review" in first
    assert 'name="type" type="radio" value="rapid_review"' in first
    assert "Notification to the National Panel: within 5 working days" in first

    page = manager_client.get(reverse("setup:inspection_add") + "?type=rapid_review").content.decode()
    assert "Child safeguarding rapid review" in page
    for label in ("Partnership became aware of the incident", "Notified to the National Panel", "Review start date"):
        assert label in page
    assert "Letter published" not in page and "Fieldwork start date" not in page
    assert ">Add review</button>" in page
    assert '<input type="hidden" name="kind" value="rapid_review"' in page  # the type chosen, not the default

    unknown = manager_client.get(reverse("setup:inspection_add") + "?type=ofsted").content.decode()
    assert "<title>Error: Add an inspection or review" in unknown
    assert "Select the type of inspection or review" in unknown


def test_a_rapid_review_added_from_its_template_keeps_its_events_and_names_its_plan(manager_client, manager):
    response = manager_client.post(reverse("setup:inspection_add"), rapid_review_data())
    review = Inspection.objects.get(theme="Child H")
    assert response["Location"] == reverse("setup:inspection", args=[review.pk])
    assert review.kind == "rapid_review"
    assert review.partnership == manager.partnership
    assert review.milestones == {
        "incident_known": "2026-09-28",
        "notified": "2026-10-01",
        "rapid_review_sent": "2026-10-16",
        "review_decided": "2026-11-02",
    }
    assert review.plan.title == "Child H action plan"
    assert review.history.latest().history_user == manager.user


def test_a_review_notified_before_the_incident_is_refused_by_the_date(manager_client):
    data = rapid_review_data(**date_fields("milestone_notified", D(2026, 9, 1)))
    page = manager_client.post(reverse("setup:inspection_add"), data).content.decode()
    assert "Notified to the National Panel cannot be before partnership became aware of the incident" in page
    assert not Inspection.objects.filter(theme="Child H").exists()


def test_editing_a_review_keeps_its_type_and_shows_its_dates(manager_client, manager):
    review = InspectionFactory(
        partnership=manager.partnership, kind="rapid_review", theme="Child H", milestones={"notified": "2026-10-01"}
    )
    page = manager_client.get(reverse("setup:inspection_edit", args=[review.pk])).content.decode()
    assert 'name="milestone_notified_0" value="1"' in page
    assert 'name="kind"' not in page
    assert ">Save review</button>" in page


# Findings in the regime's words --------------------------------------------------


def test_a_findings_words_are_its_regimes_on_every_page(manager_client, manager):
    review = InspectionFactory(partnership=manager.partnership, kind="rapid_review", theme="Child H")
    recommendation = FindingFactory(inspection=review, kind=Finding.Kind.RECOMMENDATION, number=3, text="Share plans")
    assert str(recommendation) == "Recommendation 3"
    jtai = FindingFactory(kind=Finding.Kind.PRIORITY_ACTION, number=1)
    assert str(jtai) == "Priority area for action 1" and jtai.reference == "P1"
    ilacs = FindingFactory(inspection=InspectionFactory(kind="ilacs"), kind=Finding.Kind.PRIORITY_ACTION, number=2)
    assert str(ilacs) == "Priority action 2"

    setup_page = manager_client.get(reverse("setup:inspection", args=[review.pk])).content.decode()
    assert "Recommendations (1)" in setup_page and "Learning points (0)" in setup_page
    assert "Areas for improvement" not in setup_page
    form = manager_client.get(reverse("setup:finding_add", args=[review.pk])).content.decode()
    assert "Recommendation" in form and "Priority area for action" not in form
    assert form.count('name="kind"') == 2  # recommendation and learning point, and no unnamed third
    page = manager_client.get(review.get_absolute_url()).content.decode()
    assert "Recommendations (1)" in page


# The clocks on the inspection page, and on the home ----------------------------------


def test_the_inspection_page_shows_each_clock_in_words(manager_client, manager):
    review = InspectionFactory(
        partnership=manager.partnership,
        kind="rapid_review",
        theme="Child H",
        milestones={"incident_known": "2026-09-28", "notified": "2026-10-01"},
    )
    page = manager_client.get(review.get_absolute_url()).content.decode()
    assert "Statutory clocks" in page
    assert "Met on 1 October 2026" in page
    assert '<strong class="govuk-tag govuk-tag--green">Met</strong>' in page
    assert "Not started: Decided to hold a local child safeguarding practice review not recorded" in page


def test_the_managers_home_lists_the_clocks_running_nearest_first(
    manager_client, manager, django_assert_max_num_queries
):
    today = datetime.date.today()
    far = InspectionFactory(
        partnership=manager.partnership, kind="hmicfrs", theme="Vulnerability", letter_published=today
    )
    near = InspectionFactory(
        partnership=manager.partnership,
        kind="rapid_review",
        theme="Child H",
        milestones={"incident_known": today.isoformat()},
    )
    InspectionFactory(
        kind="rapid_review", theme="Another partnership's", milestones={"incident_known": today.isoformat()}
    )
    page = manager_client.get("/").content.decode()
    section = page[page.index('id="clocks-heading"') :]
    assert "Notification to the National Panel" in section and "Commissioner&#x27;s response" in section
    assert section.index(near.short_title) < section.index(far.short_title)
    assert "Another partnership's" not in page
    for n in range(5):
        InspectionFactory(partnership=manager.partnership, kind="hmicfrs", theme=f"More {n}", letter_published=today)
    with django_assert_max_num_queries(60):
        more = manager_client.get("/").content.decode()
    assert "More 4" in more


# Reminders ---------------------------------------------------------------------------


def test_managers_are_reminded_before_a_clock_runs_out_and_on_the_day_once_each(manager):
    lead = manager.partnership.people.exclude(pk=manager.pk).first()  # the factory action's lead: not a manager
    review = InspectionFactory(
        partnership=manager.partnership,
        kind="rapid_review",
        theme="Child H",
        milestones={"incident_known": "2027-06-01"},  # a Tuesday: notification due Tuesday 8 June
    )
    assert clock_reminders_send(today=D(2027, 6, 2)) == []  # 4 working days left: the reminder is 2 before
    sent = clock_reminders_send(today=D(2027, 6, 4))
    assert [(r.kind, r.email) for r in sent] == [("before", manager.user.email)]
    assert mail.outbox[-1].subject == "Due on 8 June 2027: Notification to the National Panel for " + review.short_title
    assert "is due on Tuesday 8 June 2027: 2 working days left" in mail.outbox[-1].body
    assert clock_reminders_send(today=D(2027, 6, 4)) == []  # a second run the same day sends nothing
    assert clock_reminders_send(today=D(2027, 6, 7)) == []  # nor the next day
    on_the_day = clock_reminders_send(today=D(2027, 6, 8))
    assert [r.kind for r in on_the_day] == ["on_the_day"]
    assert mail.outbox[-1].subject.startswith("Due today: Notification to the National Panel")
    assert ClockReminderLog.objects.filter(inspection=review).count() == 2
    assert lead.user.email not in [m.to[0] for m in mail.outbox]


def test_the_daily_command_sends_the_clock_reminders_once(manager, capsys):
    InspectionFactory(partnership=manager.partnership, kind="rapid_review", milestones={"incident_known": "2027-06-01"})
    call_command("send_reminders", date=D(2027, 6, 8))
    assert "clock (on_the_day): Notification to the National Panel" in capsys.readouterr().out
    outbox = len(mail.outbox)
    call_command("send_reminders", date=D(2027, 6, 8))
    assert len(mail.outbox) == outbox


def test_a_met_clock_sends_no_reminder(manager):
    InspectionFactory(
        partnership=manager.partnership,
        kind="rapid_review",
        milestones={"incident_known": "2027-06-01", "notified": "2027-06-02"},
    )
    assert clock_reminders_send(today=D(2027, 6, 8)) == []


# The plan's JSON carries the source's regime and its milestones ------------------------


def test_a_reviews_json_export_and_import_keep_its_type_and_milestones(manager):
    from inspections.models import Partnership
    from tests.factories import ActionPlanFactory
    from transfers.plan_json import PlanDocumentInvalid, plan_document, plan_import_document

    review = InspectionFactory(
        partnership=manager.partnership,
        kind="rapid_review",
        theme="Child H",
        milestones={"incident_known": "2026-09-28", "notified": "2026-10-01"},
    )
    FindingFactory(inspection=review, kind=Finding.Kind.RECOMMENDATION, number=1)
    document = plan_document(ActionPlanFactory(inspection=review, title="Child H action plan"))
    assert document["inspection"]["milestones"] == {"incident_known": "2026-09-28", "notified": "2026-10-01"}

    empty = Partnership.objects.create(name="Another partnership", local_authority="Another council")
    plan_import_document(document=document, partnership=empty)
    imported = Inspection.objects.get(partnership=empty)
    assert (imported.kind, imported.milestones) == ("rapid_review", review.milestones)
    assert str(imported.findings.get()) == "Recommendation 1"

    document["inspection"]["milestones"] = {"notified": "1 October"}
    with pytest.raises(PlanDocumentInvalid, match="must be a date like 2021-03-31"):
        plan_import_document(document=document, partnership=Partnership.objects.create(name="A third"))


# The form in each regime's words ------------------------------------------------


def test_a_review_is_asked_no_inspectorates_and_its_status_in_a_reviews_words(manager_client, manager):
    page = manager_client.get(reverse("setup:inspection_add") + "?type=rapid_review").content.decode()
    assert "Inspectorates" not in page and "Ofsted" not in page
    assert ">Review under way</option>" in page and ">Report awaited</option>" in page
    assert ">Fieldwork</option>" not in page and ">Awaiting letter</option>" not in page
    assert "Leave blank to name it after the review's name, for example “Child H action plan”." in page
    assert "name it after the name" not in page

    refused = manager_client.post(
        reverse("setup:inspection_add"),
        rapid_review_data(**blank_date("fieldwork_start"), inspectorates=["ofsted"]),
    ).content.decode()
    assert "Enter the review start date" in refused and "Enter the fieldwork" not in refused
    backwards = manager_client.post(
        reverse("setup:inspection_add"), rapid_review_data(**date_fields("fieldwork_end", D(2026, 10, 1)))
    ).content.decode()
    assert "Review end date must be the same as or after the review start date" in backwards

    manager_client.post(
        reverse("setup:inspection_add"), rapid_review_data(status=Inspection.Status.FIELDWORK, inspectorates=["ofsted"])
    )
    review = Inspection.objects.get(theme="Child H")
    assert review.inspectorates == [] and review.status_label == "Review under way"
    shown = manager_client.get(reverse("setup:inspection", args=[review.pk])).content.decode()
    assert "Review under way" in shown and "Fieldwork" not in shown
    assert "Paste findings from the report" in shown and "from the letter" not in shown
    paste = manager_client.get(reverse("setup:findings_paste", args=[review.pk])).content.decode()
    assert "<title>Paste findings from the report" in paste and "letter" not in paste


@pytest.mark.parametrize(
    ("code", "offered"),
    [
        ("jtai", ["ofsted", "cqc", "hmicfrs", "hmip"]),
        ("ilacs", ["ofsted"]),
        ("focused_visit", ["ofsted"]),
        ("send", ["ofsted", "cqc"]),
        ("cqc_la", ["cqc"]),
        ("hmicfrs", ["hmicfrs"]),
    ],
)
def test_an_inspection_offers_only_its_likely_inspectorates_all_ticked(manager_client, code, offered):
    page = manager_client.get(reverse("setup:inspection_add") + f"?type={code}").content.decode()
    boxes = re.findall(r'<input[^>]*name="inspectorates"[^>]*>', page)
    assert [re.search(r'value="(\w+)"', box).group(1) for box in boxes] == offered
    assert all('checked="checked"' in box for box in boxes)  # the likely ones, ticked when it is added
    report = "letter" if code in ("jtai", "focused_visit") else "report"
    assert ">Fieldwork</option>" in page and f">Awaiting {report}</option>" in page


def test_ilacs_dates_are_named_by_their_labels(manager_client):
    refused = manager_client.post(
        reverse("setup:inspection_add"),
        {**rapid_review_data(kind="ilacs", theme="Children"), **blank_date("fieldwork_start")},
    ).content.decode()
    assert "Enter the inspection start date" in refused and "Enter the fieldwork" not in refused


def test_a_local_plan_is_added_in_its_own_words(manager_client):
    page = manager_client.get(reverse("setup:inspection_add") + "?type=local").content.decode()
    assert "that answers the plan" not in page and "This also creates its action plan." in page
    assert "Leave blank to name it after the theme, for example “Neglect audit action plan”." in page
    assert "Inspectorates" not in page and ">Work under way</option>" in page


def test_a_clock_near_its_end_is_due_soon_on_the_inspection_page_and_the_home(manager_client, manager):
    today = datetime.date.today()
    soon = InspectionFactory(
        partnership=manager.partnership,
        kind="hmicfrs",
        theme="Soon",
        letter_published=today - datetime.timedelta(days=50),  # due in 6 days: within its 10 working days
    )
    far = InspectionFactory(partnership=manager.partnership, kind="hmicfrs", theme="Far", letter_published=today)
    page = manager_client.get(soon.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong>' in page
    assert "Due soon: 6 calendar days left" in page
    far_page = manager_client.get(far.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue">Running</strong>' in far_page
    assert "Running: 56 calendar days left" in far_page and "Due soon" not in far_page
    home = manager_client.get("/").content.decode()
    section = home[home.index('id="clocks-heading"') :]
    assert (
        '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong> <span class="govuk-body-s">6 calendar days left'
        in section
    )
    assert (
        '<strong class="govuk-tag govuk-tag--blue">Running</strong> <span class="govuk-body-s">56 calendar days left'
        in section
    )


def test_a_review_saved_with_inspectorates_before_is_still_edited(manager_client, manager):
    review = InspectionFactory(partnership=manager.partnership, kind="rapid_review", theme="Child H")
    assert review.inspectorates  # the factory's: a row saved before reviews were asked none
    data = rapid_review_data(theme="Child J", version=review.version)
    del data["kind"]
    response = manager_client.post(reverse("setup:inspection_edit", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.theme == "Child J"


def test_the_same_review_is_not_added_twice(manager_client, manager):
    assert manager_client.post(reverse("setup:inspection_add"), rapid_review_data()).status_code == 302
    again = manager_client.post(reverse("setup:inspection_add"), rapid_review_data())
    page = again.content.decode()
    assert again.status_code == 200 and "is already on the service, with the same type and start date" in page
    assert Inspection.objects.filter(partnership=manager.partnership, kind="rapid_review").count() == 1
