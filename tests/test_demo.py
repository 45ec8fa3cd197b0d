"""The demo: Northumberland's JTAI plan as its May 2020 progress report shows it, and Halton beside it."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionPlan, ImpactMeasure, MonitoringRound, QuadrantWording, Update
from actions.quadrants import Quadrant, scale_for
from demo.loader import DEMOS, load_demo
from inspections.models import Agency, Finding, Inspection, Partnership
from people.models import Person
from tests.factories import UpdateFactory

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Demo-tracker-2026"
NORTHUMBERLAND = "Northumberland Safeguarding Children Partnership"
HALTON = "Halton Children and Young People Safeguarding Partnership"

# Appendix A of the committee report (16 July 2020), quadrant by quadrant: the start of each action.
APPENDIX_A = {
    Quadrant.GREEN: [
        "Formally launch the work on reducing the criminalisation of LAC",
        "Review list of invitees to meetings such as CPCs and MSET",
        "Review Terms of Reference and membership of MSET",
        "Provide professionals with a good practice document to follow regarding PSHE",
        "Build on the work of the YOS Management Board",
        "Complete the review on exclusions and alternative provision",
        "Extend the decriminalisation work to include all CYP",
        "Produce a partnership profile regarding criminal exploitation",
        "Ensure robust Police Management direction for investigations",
        "Requirement to hold strategy meetings where there is likelihood of significant harm",
    ],
    Quadrant.YELLOW: [
        "Review and refresh the multi agency referral form",
        "Develop and implement a process to ensure that actions and outcomes from meetings",
        "Review MSET process and risk assessment toolkit",
        "Undertake a formal data analysis review",
        "Where strategy meetings are held, ensure there is key professional attendance",
        "LA and multi agency training and management oversight",
        "Implement a model that allows the NSCC to scrutinise the data",
    ],
    Quadrant.AMBER: [
        "Develop an awareness campaign to empower parents",
        "Deliver on exclusions action plan",
        "Explore with the police how to introduce the participation of young people",
    ],
    Quadrant.RED: [
        "Using the CCE and CSE profiles, update the CE & CSE strategy",
        "Deliver MSET roadshows to frontline practitioners across the partnership",
    ],
}


TENANT_MODELS = [
    Agency,
    Person,
    Inspection,
    Finding,
    ActionPlan,
    Action,
    MonitoringRound,
    Update,
    ImpactMeasure,
]


@pytest.fixture
def may_2020(demo):
    return MonitoringRound.objects.for_partnership(demo).get(label="May 2020")


def _quadrant_of(round_, description_start):
    return round_.updates.get(action__description__startswith=description_start).agreed_quadrant


def _demo_counts():
    partnerships = list(Partnership.objects.filter(name__in=[NORTHUMBERLAND, HALTON]))
    counts = {"partnerships": len(partnerships), "users": get_user_model().objects.count()}
    for model in TENANT_MODELS:
        counts[model.__name__] = sum(model.objects.for_partnership(p).count() for p in partnerships)
    counts["history"] = sum(model.history.count() for model in (Action, Update, Finding, Person))
    return counts


def test_demo_may_2020_round_puts_10_7_3_2_actions_in_green_yellow_amber_red(may_2020):
    counts = Counter(may_2020.updates.values_list("agreed_quadrant", flat=True))

    assert counts == {Quadrant.GREEN: 10, Quadrant.YELLOW: 7, Quadrant.AMBER: 3, Quadrant.RED: 2}
    assert _quadrant_of(may_2020, "Deliver MSET roadshows") == Quadrant.RED
    for quadrant, actions in APPENDIX_A.items():
        for description_start in actions:
            assert _quadrant_of(may_2020, description_start) == quadrant, description_start


def test_demo_plan_has_22_actions_each_with_lead_agency_and_area(demo):
    plan = ActionPlan.objects.for_partnership(demo).get(inspection__kind="jtai")  # the rapid review's is another
    actions = list(plan.actions.prefetch_related("areas").select_related("lead", "lead_agency"))

    assert plan.title == "JTAI action plan: child exploitation"
    assert len(actions) == 22
    for action in actions:
        assert action.lead.partnership_id == demo.pk
        assert action.lead.role == Person.Role.LEAD
        assert action.lead_agency.partnership_id == demo.pk
        areas = list(action.areas.all())
        assert areas, action.reference
        assert all(area.kind == Finding.Kind.AREA_FOR_IMPROVEMENT for area in areas)
        # "2.1" is the first action for area for improvement 2.
        assert int(action.reference.split(".")[0]) in {area.number for area in areas}, action.reference
        assert action.measure_of_success
        assert action.completed_on is None
    assert [a.position for a in actions] == sorted(a.position for a in actions)
    roadshows = next(a for a in actions if a.description.startswith("Deliver MSET roadshows"))
    assert roadshows.lead_agency.name == "Northumbria Police"


def test_demo_inspection_has_the_letters_11_strengths_8_areas_and_no_priority_action(demo):
    inspection = Inspection.objects.for_partnership(demo).get(kind="jtai")
    findings = Finding.objects.filter(inspection=inspection)

    assert inspection.inspectorates == ["ofsted", "cqc", "hmicfrs", "hmip"]
    assert inspection.status == Inspection.Status.MONITORING
    assert findings.filter(kind=Finding.Kind.STRENGTH).count() == 11
    assert findings.filter(kind=Finding.Kind.AREA_FOR_IMPROVEMENT).count() == 8
    assert not findings.filter(kind=Finding.Kind.PRIORITY_ACTION).exists()
    endeavor = findings.get(case_study__contains="Operation Endeavor")
    assert "Operation Endeavor" in endeavor.text
    assert "\n" not in findings.get(kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=7).text


def test_demo_lead_user_leads_actions_in_every_quadrant(may_2020):
    led = may_2020.updates.filter(action__lead__user__username="lead")

    assert led.count() >= 4
    assert set(led.values_list("agreed_quadrant", flat=True)) == set(APPENDIX_A)


def test_demo_rounds_are_endorsed_and_every_update_agreed_by_the_chair(demo):
    rounds = list(
        MonitoringRound.objects.for_partnership(demo)
        .filter(state=MonitoringRound.State.ENDORSED, plan__inspection__kind="jtai")
        .order_by("period_end")
    )
    chair = Person.objects.for_partnership(demo).get(role=Person.Role.CHAIR)

    assert [r.label for r in rounds] == ["January 2020", "March 2020", "May 2020"]
    for round_ in rounds:
        assert round_.state == MonitoringRound.State.ENDORSED
        assert round_.endorsement_meeting == "the Northumberland Safeguarding Children Committee (NSCC)"
        assert round_.updates.count() == 22
        for update in round_.updates.select_related("action"):
            assert update.status == Update.Status.AGREED
            assert update.agreed_by_id == chair.pk
            assert update.submitted_by_id == update.action.lead_id
            assert update.submitted_at < update.agreed_at
    first = Counter(rounds[0].updates.values_list("agreed_quadrant", flat=True))
    assert first[Quadrant.GREEN] < 10


def test_demo_chair_challenged_at_least_two_may_2020_updates(may_2020):
    challenged = may_2020.updates.exclude(agreed_reason="")

    assert challenged.count() >= 2
    for update in challenged:
        assert update.proposed_quadrant != update.agreed_quadrant


def test_demo_roadshows_update_gives_the_covid_barrier(may_2020):
    roadshows = may_2020.updates.get(action__description__startswith="Deliver MSET roadshows")
    strategy = may_2020.updates.get(action__description__startswith="Using the CCE and CSE profiles")

    assert roadshows.barriers == "COVID 19 lockdown has prevented the roadshows taking place"
    assert roadshows.agreed_quadrant == Quadrant.RED
    assert "signed off at S&CE sub group" in strategy.next_steps


def test_demo_is_idempotent():
    first = load_demo()
    counts = _demo_counts()
    second = load_demo()

    assert _demo_counts() == counts
    assert second == first
    assert counts["Action"] == 30  # 22 and 5 (the rapid review's) for Northumberland, 3 for Halton


def test_demo_leaves_other_partnerships_alone():
    other = UpdateFactory()
    before = Update.history.filter(id=other.pk).count()

    load_demo()
    load_demo()

    other.refresh_from_db()
    partnership = other.action.plan.inspection.partnership
    assert Update.history.filter(id=other.pk).count() == before
    assert Action.objects.for_partnership(partnership).count() == 1
    assert Partnership.objects.count() == 3


def test_demo_users_can_log_in_with_the_printed_password():
    out = StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()

    assert DEMO_PASSWORD in output
    usernames = [spec.username for demo in DEMOS for spec in demo.people]
    for username in ["manager", "chair", "lead", "officer", "viewer", "halton.manager"]:
        assert username in usernames
    for username in usernames:
        assert username in output
        # django-axes checks every authentication against the request it came with.
        assert Client().login(request=HttpRequest(), username=username, password=DEMO_PASSWORD), username


def test_demo_second_partnership_is_isolated(demo):
    halton = Partnership.objects.get(name=HALTON)
    halton_actions = Action.objects.for_partnership(halton)
    manager = Person.objects.get(user__username="halton.manager")

    assert halton_actions.count() == 3
    assert not halton_actions.filter(pk__in=Action.objects.for_partnership(demo)).exists()
    assert set(Action.objects.visible_to(manager.user)) == set(halton_actions)
    northumberland_updates = Update.objects.for_partnership(demo)
    assert not Update.objects.visible_to(manager.user).filter(pk__in=northumberland_updates).exists()
    assert manager.role == Person.Role.MANAGER


def test_demo_halton_words_its_quadrants_its_own_way(demo):
    halton = Partnership.objects.get(name=HALTON)

    assert QuadrantWording.objects.for_partnership(halton).exists()
    assert not QuadrantWording.objects.for_partnership(demo).exists()
    assert scale_for(halton.pk)[Quadrant.COMPLETE].label == "Blue"
    assert scale_for(halton.pk)[Quadrant.YELLOW].label != scale_for(demo.pk)[Quadrant.YELLOW].label


def test_demo_refuses_to_take_over_an_account_outside_the_demo(django_user_model):
    django_user_model.objects.create_user("manager", password="someone-elses-password-1")

    with pytest.raises(CommandError, match='"manager" already belongs to someone outside'):
        call_command("load_demo", stdout=StringIO())

    assert not Partnership.objects.filter(name__in=[NORTHUMBERLAND, HALTON]).exists()
    assert django_user_model.objects.get(username="manager").check_password("someone-elses-password-1")


def test_demo_has_an_open_round_with_work_for_the_lead_and_the_chair(demo):
    open_round = MonitoringRound.objects.for_partnership(demo).get(
        state=MonitoringRound.State.OPEN, plan__inspection__kind="jtai"
    )
    today = timezone.localdate()
    assert open_round.label == f"{today:%B %Y}"  # on any day (tests/test_demo_live.py)
    assert not open_round.updates.filter(action__lead__user__username="lead").exists()
    assert open_round.updates.filter(status=Update.Status.SUBMITTED).count() >= 10
    assert open_round.updates.filter(status=Update.Status.DRAFT).exists()


def test_the_demo_support_account_sets_partnerships_up_and_sees_no_plans(client, demo):
    from demo.loader import PASSWORD

    signed_in = client.post(reverse("account_login"), {"login": "support", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/")["Location"] == reverse("onboarding:index")
    page = client.get(reverse("onboarding:index")).content.decode()
    assert "Northumberland Safeguarding Children Partnership" in page
    plan = Action.objects.filter(plan__inspection__partnership=demo).first().plan
    assert client.get(reverse("actions:plan", args=[plan.pk])).status_code == 404


def test_the_demo_outside_monitor_reads_the_endorsed_record_of_the_plans_she_was_given(client, demo):
    from demo.loader import PASSWORD
    from reports.models import PublishedReport

    signed_in = client.post(reverse("account_login"), {"login": "monitor", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/")["Location"] == reverse("monitors:home")
    home = client.get(reverse("monitors:home")).content.decode()
    plans = ActionPlan.objects.filter(inspection__partnership__name__in=[d.name for d in DEMOS])
    assert plans.count() == 3 and all(plan.title in home for plan in plans)
    child_h = plans.get(inspection__kind="rapid_review")
    endorsed = child_h.rounds.filter(endorsed_on__isnull=False).get()
    assert client.get(reverse("monitors:board", args=[child_h.pk, endorsed.pk])).status_code == 200
    still_open = child_h.rounds.filter(endorsed_on__isnull=True).first()
    assert client.get(reverse("monitors:board", args=[child_h.pk, still_open.pk])).status_code == 404
    assert not PublishedReport.objects.exists()  # the officer has yet to publish one: the monitor sees none
    assert "No committee report" in client.get(reverse("monitors:plan", args=[child_h.pk])).content.decode()
    assert client.get(reverse("actions:plan", args=[child_h.pk])).status_code == 404


def test_the_demo_refuses_to_load_on_a_live_service(settings, db):
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not for a live service"):
        call_command("load_demo")
