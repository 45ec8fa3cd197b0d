"""Every URL that names an object answers 404 to every role of another partnership, for GET and POST,
and 403 to a viewer of the object's own partnership unless it only shows the object.

Generated over the URLconf: a new view that takes an object id must be added to OBJECT_ARGS below, or
test_every_object_url_is_covered fails, so no view can be left unchecked by mistake.
"""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Action, ActionPlan, EvidenceFile, ImpactMeasure, MonitoringRound, Update
from api.services import token_create
from inspections.models import Finding, Partnership
from jobs.models import Job
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from tests.factories import MonitorAccessFactory
from yearly.models import PublishedYearlyReport, YearlyReport

pytestmark = pytest.mark.django_db

HALTON = "Halton Children and Young People Safeguarding Partnership"
WEEK = datetime.timedelta(days=7)
NORTHUMBERLAND = "Northumberland Safeguarding Children Partnership"


def _objects_of(name, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path
    halton = Partnership.objects.get(name=name)
    # The partnership's first plan (Northumberland also has its rapid review's).
    plan = ActionPlan.objects.for_partnership(halton).order_by("inspection__fieldwork_start", "pk").first()
    action = Action.objects.for_partnership(halton).first()
    monitoring_round = MonitoringRound.objects.for_partnership(halton).first()
    update = Update.objects.for_partnership(halton).first()
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
    measure = ImpactMeasure.objects.create(plan=plan, name="Return home interviews within 72 hours")
    report = CommitteeReport.objects.create(plan=plan, round=monitoring_round, title="Progress", report_of="Officer")
    published = PublishedReport.objects.create(
        report=report,
        version=1,
        title="Progress",
        committee="Scrutiny",
        meeting_date=datetime.date(2020, 7, 16),
        html="<p>Progress</p>",
        pdf=b"%PDF-1.7\n",
        figures={},
        sha256="0" * 64,
        published_by=action.lead,
        published_at=timezone.now(),
    )
    monitor_access = MonitorAccessFactory(
        plan=plan, invited_by=Person.objects.for_partnership(halton).filter(role=Person.Role.MANAGER).first()
    )
    yearly = YearlyReport.objects.create(
        partnership=halton,
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
        partnership=halton, name="Power BI", scopes=["plans", "reports"], expires_on=datetime.date.today() + WEEK
    )
    job = Job.objects.create(
        partnership=halton,
        requested_by=Person.objects.for_partnership(halton).filter(role=Person.Role.OFFICER).first(),
        kind=Job.Kind.REPORT_DRAFT_PDF,
        parameters={"round": monitoring_round.pk},
        state=Job.State.DONE,
        result_name="progress-draft.pdf",
        result_type="application/pdf",
    )
    job.result.save("x.pdf", ContentFile(b"%PDF-1.7\n"))
    return {
        "api_token": api_token,
        "update": update,
        "job": job,
        "monitor_access": monitor_access,
        "yearly": yearly,
        "yearly_published": yearly_published,
        "published": published,
        "measure": measure,
        "finding": Finding.objects.filter(inspection=plan.inspection).first(),
        "plan": plan,
        "action": action,
        "round": monitoring_round,
        "inspection": plan.inspection,
        "evidence": evidence,
        "person": Person.objects.for_partnership(halton).first(),
        "agency": halton.agencies.first(),
    }


#: URL name -> how to build its arguments from another partnership's objects.
OBJECT_ARGS = {
    "inspections:detail": lambda o: [o["inspection"].pk],
    "inspections:finding_sign_off": lambda o: [o["finding"].pk],
    "inspections:finding_reopen": lambda o: [o["finding"].pk],
    "actions:plan": lambda o: [o["plan"].pk],
    "actions:detail": lambda o: [o["action"].pk],
    "actions:update": lambda o: [o["action"].pk],
    "actions:update_check": lambda o: [o["action"].pk],
    "actions:reopen": lambda o: [o["action"].pk],
    "actions:not_implemented": lambda o: [o["action"].pk],
    "actions:replace": lambda o: [o["action"].pk],
    "actions:reinstate": lambda o: [o["action"].pk],
    "actions:retest_due": lambda o: [o["action"].pk],
    "actions:retest": lambda o: [o["action"].pk],
    "actions:evidence": lambda o: [o["evidence"].pk],
    "actions:evidence_remove": lambda o: [o["evidence"].pk],
    "actions:round": lambda o: [o["round"].pk],
    "actions:round_state": lambda o: [o["round"].pk],
    "actions:round_close": lambda o: [o["round"].pk],
    "actions:round_endorse": lambda o: [o["round"].pk],
    "actions:round_remind": lambda o: [o["round"].pk],
    "actions:sense_check_start": lambda o: [o["round"].pk],
    "actions:sense_check": lambda o: [o["round"].pk, o["action"].pk],
    "reports:board": lambda o: [o["plan"].pk],
    "reports:board_round": lambda o: [o["plan"].pk, o["round"].pk],
    "transfers:import": lambda o: [o["plan"].pk],
    "transfers:import_columns": lambda o: [o["plan"].pk],
    "transfers:import_preview": lambda o: [o["plan"].pk],
    "transfers:import_cancel": lambda o: [o["plan"].pk],
    "transfers:export_xlsx": lambda o: [o["plan"].pk],
    "transfers:export_json": lambda o: [o["plan"].pk],
    "setup:agency_edit": lambda o: [o["agency"].pk],
    "setup:agency_active": lambda o: [o["agency"].pk],
    "setup:person_added": lambda o: [o["person"].pk],
    "setup:person_edit": lambda o: [o["person"].pk],
    "setup:person_deactivate": lambda o: [o["person"].pk],
    "setup:person_reactivate": lambda o: [o["person"].pk],
    "setup:person_password": lambda o: [o["person"].pk],
    "setup:person_second_factor_reset": lambda o: [o["person"].pk],
    "setup:person_sign_out": lambda o: [o["person"].pk],
    "setup:person_invite": lambda o: [o["person"].pk],
    "setup:person_invitation_revoke": lambda o: [o["person"].pk],
    "setup:inspection": lambda o: [o["inspection"].pk],
    "setup:inspection_edit": lambda o: [o["inspection"].pk],
    "setup:finding_add": lambda o: [o["inspection"].pk],
    "setup:findings_paste": lambda o: [o["inspection"].pk],
    "setup:finding_edit": lambda o: [o["finding"].pk],
    "setup:plan": lambda o: [o["plan"].pk],
    "setup:action_add": lambda o: [o["plan"].pk],
    "setup:actions_renumber": lambda o: [o["plan"].pk],
    "setup:round_add": lambda o: [o["plan"].pk],
    "setup:measure_add": lambda o: [o["plan"].pk],
    "setup:action_edit": lambda o: [o["action"].pk],
    "setup:action_move": lambda o: [o["action"].pk],
    "setup:action_withdraw": lambda o: [o["action"].pk],
    "setup:measure_edit": lambda o: [o["measure"].pk],
    "setup:value_add": lambda o: [o["measure"].pk],
    "reports:committee_report": lambda o: [o["round"].pk],
    "reports:committee_report_edit": lambda o: [o["round"].pk],
    "reports:committee_report_pdf": lambda o: [o["round"].pk],
    "reports:committee_report_publish": lambda o: [o["round"].pk],
    "reports:round_xlsx": lambda o: [o["round"].pk],
    "reports:round_csv": lambda o: [o["round"].pk],
    "reports:published_pdf": lambda o: [o["published"].pk],
    "reports:published_html": lambda o: [o["published"].pk],
    "reports:committee_report_docx": lambda o: [o["round"].pk],
    "reports:published_docx": lambda o: [o["published"].pk],
    "monitor_access:list": lambda o: [o["plan"].pk],
    "monitor_access:invite": lambda o: [o["plan"].pk],
    "monitor_access:remove": lambda o: [o["monitor_access"].pk],
    # The outside monitor's own pages: every member of every partnership gets 404 (tests/test_monitor_wall.py).
    "monitors:plan": lambda o: [o["plan"].pk],
    "monitors:board": lambda o: [o["plan"].pk, o["round"].pk],
    "monitors:report_pdf": lambda o: [o["published"].pk],
    "monitors:report_html": lambda o: [o["published"].pk],
    "register:links": lambda o: [o["action"].pk],
    "register:unlink": lambda o: [o["action"].pk],
    "yearly:report": lambda o: [o["yearly"].pk],
    "yearly:edit": lambda o: [o["yearly"].pk],
    "yearly:publish": lambda o: [o["yearly"].pk],
    "yearly:draft_pdf": lambda o: [o["yearly"].pk],
    "yearly:published_pdf": lambda o: [o["yearly_published"].pk],
    "yearly:published_html": lambda o: [o["yearly_published"].pk],
    "api_tokens:revoke": lambda o: [o["api_token"].pk],
    "jobs:job": lambda o: [o["job"].pk],
    "jobs:status": lambda o: [o["job"].pk],
    "jobs:download": lambda o: [o["job"].pk],
}

#: Object URLs of the Django admin (the support site) are guarded by superuser status, not tenancy.
IGNORED_NAMESPACES = ("admin:",)
#: Account pages named by a token from an email, not by a partnership's object (tests/test_accounts.py).
TOKEN_PAGES = {
    "invitation",
    "monitors:invitation",
    "account_reset_password_from_key",
    "openid_connect_login",
    "openid_connect_callback",
}
#: Support staff's screens, across partnerships by design; every partnership role is refused them (test_onboarding).
SUPPORT_PAGES = {
    "onboarding:partnership",
    "onboarding:manager_invite",
    "onboarding:sign_on_new",
    "onboarding:sign_on",
    "onboarding:sign_on_delete",
    "onboarding:passwords",
}


def _named_object_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_object_urls(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.converters:
            yield f"{namespace}{pattern.name}"


def test_every_object_url_is_covered():
    names = (
        {name for name in _named_object_urls() if not name.startswith(IGNORED_NAMESPACES)} - TOKEN_PAGES - SUPPORT_PAGES
    )
    assert names - set(OBJECT_ARGS) == set(), "add these URLs to OBJECT_ARGS"


@pytest.mark.parametrize("role", [r.value for r in Person.Role])
def test_another_partnerships_objects_are_not_found_for_any_role(client, demo, settings, tmp_path, role):
    objects = _objects_of(HALTON, settings, tmp_path)
    northumberland_user = Person.objects.filter(role=role).exclude(partnership__name=HALTON).first().user
    client.force_login(northumberland_user)
    answers = {}
    for name, build in OBJECT_ARGS.items():
        url = reverse(name, args=build(objects))
        answers[(name, "GET")] = client.get(url).status_code
        answers[(name, "POST")] = client.post(url, {"state": "open"}).status_code
    wrong = {key: status for key, status in answers.items() if status != 404}
    assert wrong == {}


#: Object URLs a viewer may open: they show, they never change anything.
READ_ONLY = {
    "inspections:detail",
    "actions:plan",
    "actions:detail",
    "actions:evidence",
    "actions:round",
    "reports:board",
    "reports:board_round",
    "reports:committee_report",
    "reports:published_pdf",
    "reports:published_html",
    "reports:published_docx",
    # The round's agreed data as a spreadsheet: what a viewer can already read, for committee members.
    "reports:round_xlsx",
    "reports:round_csv",
    # The partnership's yearly report and its published versions: every member reads them.
    "yearly:report",
    "yearly:published_pdf",
    "yearly:published_html",
    # A job's page, state and file: only to the person who asked (another member of the partnership gets 404).
    "jobs:job",
    "jobs:status",
    "jobs:download",
}


#: The outside monitor's pages answer every member 404, their own partnership's plans too: members have their own.
MONITOR_NAMESPACE = "monitors:"


def test_a_viewer_is_refused_every_change(client, demo, settings, tmp_path):
    objects = _objects_of(NORTHUMBERLAND, settings, tmp_path)
    viewer = Person.objects.get(user__username="viewer")
    client.force_login(viewer.user)
    answers = {}
    for name, build in OBJECT_ARGS.items():
        if name in READ_ONLY or name.startswith(MONITOR_NAMESPACE):
            continue
        url = reverse(name, args=build(objects))
        answers[(name, "POST")] = client.post(url, {"state": "open"}).status_code
        get = client.get(url).status_code
        answers[(name, "GET")] = 403 if get in (302, 403) else get
    assert {key: status for key, status in answers.items() if status != 403} == {}


# The read-only API ------------------------------------------------------------------------------------------------
#: API URL name -> the object of another partnership it is asked for. Its routes are regular expressions (DRF's
#: router), so the sweep above does not see them: test_every_api_object_url_is_covered keeps this list whole.
API_OBJECT_ARGS = {
    "api:plan-detail": lambda o: [o["plan"].pk],
    "api:action-detail": lambda o: [o["action"].pk],
    "api:finding-detail": lambda o: [o["finding"].pk],
    "api:round-detail": lambda o: [o["round"].pk],
    "api:round-figures": lambda o: [o["round"].pk],
    "api:update-detail": lambda o: [o["update"].pk],
    "api:evidence-detail": lambda o: [o["evidence"].pk],
    "api:report-detail": lambda o: [o["published"].pk],
    "api:report-pdf": lambda o: [o["published"].pk],
}
#: API lists and the filter that names another partnership's object: they answer 200 with no rows, never its rows.
API_LIST_FILTERS = {
    "api:plan-list": lambda o: {},
    "api:action-list": lambda o: {"plan": o["plan"].pk},
    "api:finding-list": lambda o: {"plan": o["plan"].pk},
    "api:round-list": lambda o: {"plan": o["plan"].pk},
    "api:update-list": lambda o: {"round": o["round"].pk},
    "api:evidence-list": lambda o: {"update": o["evidence"].update_id},
    "api:report-list": lambda o: {"plan": o["plan"].pk},
    "api:facts-list": lambda o: {"plan": o["plan"].pk},
}


def _api_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_routes(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif namespace == "api:" and pattern.name:
            yield f"api:{pattern.name}", bool(pattern.pattern.regex.groupindex)


def test_every_api_url_is_covered():
    routes = dict(_api_routes())
    assert {name for name, takes_id in routes.items() if takes_id} == set(API_OBJECT_ARGS)
    assert {name for name, takes_id in routes.items() if not takes_id} - {"api:index", "api:schema", "api:docs"} == set(
        API_LIST_FILTERS
    )


def test_a_token_never_reads_another_partnerships_rows(client, demo, settings, tmp_path):
    objects = _objects_of(HALTON, settings, tmp_path)
    Update.objects.filter(pk=objects["update"].pk).update(status=Update.Status.SUBMITTED)
    _, northumberland = token_create(
        partnership=Partnership.objects.get(name=NORTHUMBERLAND),
        name="Power BI",
        scopes=["plans", "reports"],
        expires_on=datetime.date.today() + WEEK,
    )
    headers = {"Authorization": f"Bearer {northumberland}"}
    answers = {}
    for name, build in API_OBJECT_ARGS.items():
        answers[name] = client.get(reverse(name, args=build(objects)), headers=headers).status_code
    assert {name: status for name, status in answers.items() if status != 404} == {}
    for name, build in API_LIST_FILTERS.items():
        response = client.get(reverse(name), build(objects), headers=headers)
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = json.loads(content)
        rows = rows["results"] if isinstance(rows, dict) else rows
        if name == "api:plan-list":  # its own plans, none of Halton's
            assert rows and objects["plan"].pk not in {row["id"] for row in rows}
        else:
            assert rows == [], name
