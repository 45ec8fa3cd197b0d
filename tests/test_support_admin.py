"""The support site (/support/): superusers only; read-only but for what a sign-in problem needs; every list
shows each row's partnership, at a cost in queries that does not grow with the list."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import sign_on_save
from actions.models import QuadrantWording, ReminderLog, Retest
from audit.models import AuditEvent
from inspections.models import ClockReminderLog, FindingSignOff, Partnership
from monitors.models import MonitorInvitation
from people.models import Person
from reports.frozen import frozen_record_save
from reports.models import FrozenRecord, ReportStyle
from tests import second_factor
from tests.factories import PASSWORD, AgencyFactory, ImpactValueFactory, PartnershipFactory
from tests.second_factor import signed_in_with_second_factor
from tests.test_tenancy_matrix import HALTON, NORTHUMBERLAND, _objects_of
from transfers.models import ImportColumnMapping
from transfers.services import import_stash_save

pytestmark = pytest.mark.django_db

User = get_user_model()
#: What support may change: a partnership user's "active" flag, a person's agency and role.
EDITABLE = {User, Person}
DELETABLE = set()
#: Accounts and sign-ins, rather than a partnership's records: each row's partnership is its person's, if any.
ACCOUNTS = {User, AuditEvent}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def everything(demo, settings, tmp_path):
    """The demo partnerships, with at least two rows of every model on the support site."""
    for name in (HALTON, NORTHUMBERLAND):
        objects = _objects_of(name, settings, tmp_path)
        partnership = Partnership.objects.get(name=name)
        person = Person.objects.for_partnership(partnership).select_related("user").first()
        ImpactValueFactory(measure=objects["measure"])
        QuadrantWording.objects.get_or_create(
            partnership=partnership, quadrant="red", defaults={"label": "Red", "description": "Off track"}
        )
        ImportColumnMapping.objects.create(partnership=partnership, mapping={"reference": "Ref"}, updated_by=person)
        import_stash_save(owner=person, content='{"rows": []}')
        MonitorInvitation.objects.create(
            access=objects["monitor_access"],
            token_hash=f"{partnership.pk:064d}",
            sent_to=objects["monitor_access"].user.email,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
        ReminderLog.objects.create(round=objects["round"], person=person, kind="opened", action_count=3)
        if not FrozenRecord.objects.for_partnership(partnership).exists():  # Halton has endorsed no round
            frozen_record_save(monitoring_round=objects["round"], snapshot={"version": 1, "actions": []})
        Retest.objects.create(
            action=objects["action"],
            tested_on=datetime.date(2021, 3, 1),
            result=Retest.Result.SUSTAINED,
            evidence="A re-audit of twenty cases.",
            recorded_by=person,
            recorded_at=timezone.now(),
        )
        ClockReminderLog.objects.create(
            inspection=objects["round"].plan.inspection,
            clock="plan",
            due=datetime.date(2019, 11, 11),
            kind=ClockReminderLog.Kind.BEFORE,
            person=person,
        )
        ReportStyle.objects.get_or_create(partnership=partnership, defaults={"council_name": f"{name} Council"})
        Invitation.objects.create(
            person=person,
            token_hash=f"{partnership.pk:064d}",
            sent_to=person.user.email or "someone@example.org",
            expires_at=timezone.now(),
        )
        sign_on_save(
            partnership=partnership,
            name=f"{name} (Microsoft Entra ID)",
            issuer="https://login.microsoftonline.com/tenant/v2.0",
            client_id="client",
            client_secret="secret",
            email_domains="example.org",
            by=None,
        )
        FindingSignOff.objects.create(
            finding=objects["finding"],
            signed_off_on=datetime.date(2020, 6, 1),
            agreed_by_body="the sub-group",
            evidence="A multi-agency audit of twenty cases.",
            recorded_by=person,
            recorded_at=timezone.now(),
        )


def test_the_support_site_has_no_sign_in_of_its_own(client):
    """Its sign-in is the service's, throttled and with a second step."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = client.get("/support/")
    assert response.status_code == 302


def test_a_staff_user_who_is_not_a_superuser_is_refused(client, action):
    helpdesk = User.objects.create_user("helpdesk", password=PASSWORD, is_staff=True)
    signed_in_with_second_factor(client, helpdesk)
    for url in ("/support/", admin_url(type(action), "changelist"), admin_url(type(action), "change", action.pk)):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert client.get(response["Location"]).status_code == 403, url


def test_a_partnership_user_is_refused(client, make_person):
    client.force_login(make_person(role=Person.Role.MANAGER).user)
    assert client.get("/support/login/").status_code == 403


def test_a_superuser_without_a_second_factor_at_sign_in_is_refused(client, admin_user):
    response = client.post(reverse("account_login"), {"login": admin_user.username, "password": "password"})
    assert response.status_code == 302
    page = client.get("/support/", follow=True)
    assert page.status_code == 403
    assert "second factor" in page.content.decode()


def test_a_superuser_signs_in_with_a_code_and_opens_the_support_site(client, admin_user):
    second_factor.enrol(admin_user)
    response = client.post(reverse("account_login"), {"login": admin_user.username, "password": "password"})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": second_factor.code()}).status_code == 302
    assert client.get("/support/").status_code == 200


def test_every_model_of_the_project_is_on_the_support_site():
    ours = [
        model
        for model in apps.get_models()
        if Path(apps.get_app_config(model._meta.app_label).path).is_relative_to(settings.BASE_DIR)
        and "site-packages" not in apps.get_app_config(model._meta.app_label).path
        and not model._meta.model_name.startswith("historical")
    ]
    assert len(ours) > 15
    assert [model._meta.label for model in ours if not admin.site.is_registered(model)] == []


def _partnership_cells(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<t[dh] class="field-row_partnership[^"]*">(.*?)</t[dh]>', page, re.S)
    ]


def _partnership_filter(model_admin) -> str | None:
    """The query parameter that narrows a list to one partnership."""
    paths = [f for f in model_admin.list_filter if isinstance(f, str) and f.split("__")[-1] == "partnership"]
    return f"{paths[0]}__id__exact" if paths else None


def test_every_list_shows_and_filters_by_each_rows_partnership(admin_client, everything):
    names = {HALTON, NORTHUMBERLAND}
    halton = Partnership.objects.get(name=HALTON)
    for model, model_admin in registered():
        url = admin_url(model, "changelist")
        page = admin_client.get(url).content.decode()
        header = re.search(r'<th [^>]*class="[^"]*column-row_partnership', page)
        assert header, f"{model._meta.label} has no partnership column"
        cells = _partnership_cells(page)
        assert len(cells) >= 2, model._meta.label
        if model in ACCOUNTS:  # the signed-in superuser's own rows: support accounts belong to no partnership
            cells = [cell for cell in cells if cell != "-"]
        assert set(cells) == names, model._meta.label

        param = _partnership_filter(model_admin)
        if model is Partnership:
            assert param is None
            continue
        assert param, f"{model._meta.label} cannot be filtered by partnership"
        filtered = _partnership_cells(admin_client.get(url, {param: halton.pk}).content.decode())
        assert filtered and set(filtered) == {HALTON}, model._meta.label


def test_a_list_costs_the_same_queries_for_one_row_as_for_many(admin_client, everything, monkeypatch, settings):
    settings.SESSION_REFRESH_SECONDS = 10**9  # the session written once, by the first request, however long this takes
    admin_client.get("/support/")
    for model, model_admin in registered():
        url = admin_url(model, "changelist")
        assert model._default_manager.count() >= 2, model._meta.label
        with CaptureQueriesContext(connection) as many:
            assert admin_client.get(url).status_code == 200
        monkeypatch.setattr(model_admin, "list_per_page", 1)
        with CaptureQueriesContext(connection) as one:
            assert admin_client.get(url).status_code == 200
        assert len(many) == len(one), f"{model._meta.label}: {len(one)} queries for one row, {len(many)} for more"


def test_read_only_models_refuse_adding_changing_and_deleting(admin_client, everything):
    for model, _ in registered():
        label = model._meta.label
        obj = model._default_manager.order_by("pk").first()
        before = model._default_manager.count()
        assert admin_client.get(admin_url(model, "add")).status_code == 403, label
        assert admin_client.post(admin_url(model, "add"), {}).status_code == 403, label
        if model not in EDITABLE:
            page = admin_client.get(admin_url(model, "change", obj.pk))
            assert page.status_code == 200, label  # still there to read
            assert 'name="_save"' not in page.content.decode(), label
            assert admin_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403, label
        if model not in DELETABLE:
            assert admin_client.get(admin_url(model, "delete", obj.pk)).status_code == 403, label
            assert admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, label
            bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
            admin_client.post(admin_url(model, "changelist"), bulk)
        assert model._default_manager.count() == before, label


def test_history_can_be_read_but_not_reverted(admin_client, action):
    original = action.description
    action.description = "Changed afterwards"
    action.save()
    first = action.history.earliest()
    assert admin_client.get(admin_url(type(action), "history", action.pk)).status_code == 200
    version = reverse("admin:actions_action_simple_history", args=[action.pk, first.history_id])
    page = admin_client.get(version)
    assert page.status_code == 200 and original in page.content.decode()
    assert admin_client.post(version, {}).status_code == 403
    action.refresh_from_db()
    assert action.description == "Changed afterwards"


def test_support_lets_a_deactivated_person_sign_in_again(admin_client, make_person, client):
    person = make_person()
    person.user.is_active = False
    person.user.save()
    response = admin_client.post(admin_url(User, "change", person.user.pk), {"is_active": "on"})
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.is_active
    response = client.post(reverse("account_login"), {"login": person.user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_support_deactivates_someone_who_leads_nothing_but_not_a_lead(admin_client, make_person, action):
    viewer = make_person()
    assert admin_client.post(admin_url(User, "change", viewer.user.pk), {}).status_code == 302
    viewer.user.refresh_from_db()
    assert not viewer.user.is_active

    response = admin_client.post(admin_url(User, "change", action.lead.user.pk), {})
    assert response.status_code == 200
    assert "They still lead actions" in response.content.decode()
    action.lead.user.refresh_from_db()
    assert action.lead.user.is_active


def test_support_changes_nothing_else_about_an_account(admin_client, admin_user, make_person):
    person = make_person()
    response = admin_client.post(
        admin_url(User, "change", person.user.pk),
        {"is_active": "on", "is_superuser": "on", "is_staff": "on", "username": "renamed"},
    )
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert (person.user.username, person.user.is_staff, person.user.is_superuser) != ("renamed", True, True)
    assert not person.user.is_staff and not person.user.is_superuser
    # No passwords set here, and support's own accounts are read-only.
    assert admin_client.get(admin_url(User, "password_change", person.user.pk)).status_code == 403
    assert admin_client.post(admin_url(User, "change", admin_user.pk), {}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_support_moves_a_person_to_another_agency_and_role_of_their_own_partnership(
    admin_client, admin_user, make_person, partnership
):
    person = make_person(role=Person.Role.VIEWER)
    agency = AgencyFactory(partnership=partnership)
    elsewhere = PartnershipFactory()
    url = admin_url(Person, "change", person.pk)

    response = admin_client.post(url, {"agency": AgencyFactory(partnership=elsewhere).pk, "role": "manager"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()

    response = admin_client.post(url, {"agency": agency.pk, "role": "manager", "partnership": elsewhere.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.agency, person.role, person.partnership) == (agency, Person.Role.MANAGER, partnership)
    assert person.history.latest().history_user == admin_user
