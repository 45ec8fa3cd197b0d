"""The outside monitor's wall, swept over the whole URLconf: as a monitor, every address that is not one of the
monitor's pages, an account page or the accessibility statement answers 404, even for the very plan they may
read; each monitor page of a plan not given to them, or taken away, answers 404; and members' code, reached
without the wall, never fails on an account with no place in a partnership."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Action, EvidenceFile, ImpactMeasure, Update
from api.services import token_create
from jobs.models import Job
from monitors.middleware import ACCOUNT_ROUTE
from tests.monitor_world import build_monitor_world
from tests.test_security import ROUTES
from tests.test_tenancy_matrix import OBJECT_ARGS
from yearly.models import PublishedYearlyReport, YearlyReport

pytestmark = pytest.mark.django_db

MONITOR_NAMESPACE = "monitors:"
#: Open to everyone, monitors included: no partnership's data.
OPEN_PAGES = {"accessibility", "health"}


@pytest.fixture
def world():
    return build_monitor_world()


def _objects(world, settings, tmp_path):
    """The objects OBJECT_ARGS names, all of the plan the monitor may read (Tynedale's plan 1)."""
    settings.EVIDENCE_ROOT = tmp_path
    plan = world.tynedale.plans[0]
    action = Action.objects.filter(plan=plan).first()
    update = Update.objects.filter(action__plan=plan).first()
    evidence = EvidenceFile(
        update=update,
        original_name="audit.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=action.lead,
    )
    evidence.file.save("x", SimpleUploadedFile("audit.pdf", b"%PDF-1.4\n"), save=False)
    evidence.save()
    yearly = YearlyReport.objects.create(
        partnership=world.tynedale.partnership,
        starts_on=datetime.date(2019, 4, 1),
        ends_on=datetime.date(2020, 3, 31),
        title="Yearly report 2019 to 2020",
    )
    yearly_published = PublishedYearlyReport.objects.create(
        report=yearly,
        version=1,
        report_version=yearly.version,
        title=yearly.title,
        starts_on=yearly.starts_on,
        ends_on=yearly.ends_on,
        html="<p>Yearly</p>",
        pdf=b"%PDF-1.7\n",
        figures={},
        sha256="0" * 64,
        published_by=action.lead,
        published_at=timezone.now(),
    )
    api_token, _ = token_create(
        partnership=world.tynedale.partnership,
        name="Power BI",
        scopes=["plans"],
        expires_on=datetime.date.today() + datetime.timedelta(days=7),
    )
    return {
        "api_token": api_token,
        "yearly": yearly,
        "yearly_published": yearly_published,
        "monitor_access": world.tynedale_access,
        "published": world.tynedale.published,
        "measure": ImpactMeasure.objects.create(plan=plan, name="Return home interviews within 72 hours"),
        "finding": plan.inspection.findings.first(),
        "plan": plan,
        "action": action,
        "round": world.tynedale.endorsed[plan.pk],
        "inspection": plan.inspection,
        "evidence": evidence,
        "person": world.tynedale.viewer,
        "agency": world.tynedale.partnership.agencies.first(),
        "job": Job.objects.create(
            partnership=world.tynedale.partnership,
            requested_by=world.tynedale.manager,
            kind=Job.Kind.REPORT_DRAFT_PDF,
            parameters={"round": world.tynedale.endorsed[plan.pk].pk},
        ),
    }


def _monitor_page(name: str | None) -> bool:
    return bool(name) and name.startswith(MONITOR_NAMESPACE)


def test_every_members_page_of_the_plan_the_monitor_reads_is_not_found_to_them(client, world, settings, tmp_path):
    objects = _objects(world, settings, tmp_path)
    client.force_login(world.monitor)
    answers = {}
    for name, build in OBJECT_ARGS.items():
        url = reverse(name, args=build(objects))
        if _monitor_page(name):
            continue
        answers[(name, "GET")] = client.get(url).status_code
        answers[(name, "POST")] = client.post(url, {"state": "open"}).status_code
    assert {key: status for key, status in answers.items() if status != 404} == {}
    # ...while the monitor's own pages of the same plan answer.
    assert client.get(reverse("monitors:plan", args=[objects["plan"].pk])).status_code == 200


def test_every_other_address_of_the_service_is_not_found_to_a_monitor(client, world):
    client.force_login(world.monitor)
    answers = {}
    for url, name in ROUTES:
        short = (name or "").split(":")[-1]
        if _monitor_page(name) or url.lstrip("/").startswith(ACCOUNT_ROUTE) or short in OPEN_PAGES:
            continue
        if name == "home":
            assert client.get(url)["Location"] == reverse("monitors:home")
            continue
        answers[(url, "GET")] = client.get(url).status_code
        answers[(url, "POST")] = client.post(url, {}).status_code
    assert len(answers) > 100
    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_account_pages_stay_open_to_a_monitor(client, world):
    client.force_login(world.monitor)
    for name in ("account_change_password", "mfa_index", "usersessions_list"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("monitors:home"))["Location"].startswith(reverse("account_login"))


def _monitor_urls():
    """Every monitor page that names an object."""

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, ns)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.converters:
                yield f"{namespace}{pattern.name}"

    return {name for name in walk(get_resolver()) if _monitor_page(name)} - {"monitors:invitation"}


def test_every_monitor_page_is_in_the_tenancy_matrix():
    assert _monitor_urls() - set(OBJECT_ARGS) == set()


def _not_found_everywhere(client, objects) -> dict:
    answers = {}
    for name in _monitor_urls():
        url = reverse(name, args=OBJECT_ARGS[name](objects))
        answers[(name, "GET")] = client.get(url).status_code
    return {key: status for key, status in answers.items() if status != 404}


@pytest.mark.parametrize("which", ["tynedale plan 2", "wansbeck plan 1"])
def test_each_monitor_page_of_a_plan_not_given_is_not_found(client, world, which):
    source = world.tynedale if which.startswith("tynedale") else world.wansbeck
    plan = source.plans[1] if which.endswith("2") else source.plans[0]
    published = source.published  # plan 1's
    if which == "tynedale plan 2":
        # A published report of a plan not given: make one on Tynedale's plan 2.
        from reports.models import CommitteeReport, PublishedReport

        report = CommitteeReport.objects.create(
            plan=plan, round=source.endorsed[plan.pk], title="Plan 2 progress", report_of="Olive"
        )
        published = PublishedReport.objects.create(
            report=report,
            version=1,
            title="Plan 2 progress",
            committee="Scrutiny",
            meeting_date=datetime.date(2029, 6, 1),
            html="<p>Plan 2</p>",
            pdf=b"%PDF-1.7\n",
            figures={},
            sha256="0" * 64,
            published_by=source.officer,
            published_at=datetime.datetime(2029, 6, 2, tzinfo=datetime.UTC),
        )
    client.force_login(world.monitor)
    objects = {"plan": plan, "round": source.endorsed[plan.pk], "published": published}
    assert _not_found_everywhere(client, objects) == {}


def test_a_monitor_whose_access_was_removed_finds_nothing_of_the_plan(client, world):
    from monitors.services import monitor_access_remove

    monitor_access_remove(access=world.tynedale_access, by=world.tynedale.manager)
    plan = world.tynedale.plans[0]
    client.force_login(world.monitor)
    objects = {"plan": plan, "round": world.tynedale.endorsed[plan.pk], "published": world.tynedale.published}
    assert _not_found_everywhere(client, objects) == {}


def test_without_the_wall_members_code_still_never_fails_on_a_monitor(world, settings, tmp_path):
    """Defence in depth: were the wall taken away, no member page would crash on an account with no Person."""
    objects = _objects(world, settings, tmp_path)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "monitors.middleware.MonitorWallMiddleware"]
    client = Client(raise_request_exception=True)
    client.force_login(world.monitor)
    answers = {}
    for name, build in OBJECT_ARGS.items():
        if not _monitor_page(name):
            url = reverse(name, args=build(objects))
            answers[name] = client.get(url).status_code
            answers[(name, "POST")] = client.post(url, {"state": "open"}).status_code
    for url, name in ROUTES:
        if name not in OBJECT_ARGS and not _monitor_page(name) and not url.lstrip("/").startswith(ACCOUNT_ROUTE):
            answers[url] = client.get(url).status_code
            answers[(url, "POST")] = client.post(url, {}).status_code
    assert {key: status for key, status in answers.items() if status >= 500} == {}
    # Members' data stays out of reach even then: tenancy answers 404 to anyone with no partnership.
    assert answers["reports:board_round"] == 404 and answers["actions:plan"] == 404
