"""Outside monitors: what they read (only endorsed rounds and published reports of the plans they were given),
every view in the partnership's security log, and a manager inviting them and removing their access."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import MonitoringRound
from audit.models import AuditEvent
from monitors.models import MonitorAccess, MonitorInvitation
from people.models import Person
from tests.factories import PASSWORD, MonitorAccessFactory, PersonFactory
from tests.monitor_world import build_monitor_world

pytestmark = pytest.mark.django_db

MONITOR_VIEWED = AuditEvent.Event.MONITOR_VIEWED


@pytest.fixture
def world():
    return build_monitor_world()


@pytest.fixture
def monitor_client(client, world):
    client.force_login(world.monitor)
    return client


def _endorsed(plan):
    return list(MonitoringRound.objects.filter(plan=plan, state="endorsed").order_by("-period_end"))


# What a monitor reads ----------------------------------------------------------------------------------------


def test_the_monitor_signs_in_and_home_sends_them_to_the_plans_they_can_see(client, world):
    response = client.post(reverse("account_login"), {"login": world.monitor.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("monitors:home")
    page = response.content.decode()
    assert "Plans you can see" in page
    tynedale, wansbeck = world.tynedale, world.wansbeck
    # By partnership, each with the plan given there and no other.
    assert page.index(tynedale.partnership.name) < page.index("Tynedale plan 1")
    assert page.index(wansbeck.partnership.name) < page.index("Wansbeck plan 2")
    assert "Tynedale plan 2" not in page and "Wansbeck plan 1" not in page
    assert "DfE SEND adviser" in page and "NHS England SEND adviser" in page


def test_the_header_shows_a_monitor_only_their_own_pages(monitor_client):
    page = monitor_client.get(reverse("monitors:home")).content.decode()
    navigation = page[page.index('id="navigation"') : page.index("</nav>", page.index('id="navigation"'))]
    links = re.findall(r'href="([^"]+)"', navigation)
    assert links == [reverse("monitors:home"), reverse("account_change_password"), reverse("mfa_index")]
    assert "My actions" not in navigation and "Set up" not in navigation
    assert "Signed in as Sam Adviser" in navigation and "(outside monitor)" in navigation


def test_a_plan_page_lists_only_endorsed_rounds_newest_first_and_published_reports(monitor_client, world):
    plan = world.tynedale.plans[0]
    page = monitor_client.get(reverse("monitors:plan", args=[plan.pk])).content.decode()
    endorsed = _endorsed(plan)
    assert len(endorsed) == 2
    positions = [page.index(reverse("monitors:board", args=[plan.pk, r.pk])) for r in endorsed]
    assert positions == sorted(positions)  # newest first
    assert world.tynedale.open_round.label not in page
    assert reverse("monitors:report_pdf", args=[world.tynedale.published.pk]) in page
    assert world.tynedale.draft_report.title not in page


def test_a_plan_with_rounds_not_yet_endorsed_shows_only_the_endorsed(monitor_client, world):
    plan = world.wansbeck.plans[1]
    page = monitor_client.get(reverse("monitors:plan", args=[plan.pk])).content.decode()
    assert "March 2030" not in page  # agreed by the sub-group, not endorsed
    assert world.wansbeck.sense_check[-1].label not in page
    assert "No committee report of this plan has been published yet." in page


def test_an_endorsed_board_shows_each_quadrant_by_symbol_and_words_and_links_to_no_members_page(monitor_client, world):
    plan = world.tynedale.plans[0]
    latest = _endorsed(plan)[0]
    response = monitor_client.get(reverse("monitors:board", args=[plan.pk, latest.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Quadrant board: {latest.label}" in page
    for label in ("Green", "Yellow", "Amber", "Red"):
        assert re.search(
            rf'app-board__symbol[^>]*aria-hidden="true">[^<]+</span>\s*<span class="app-board__label">{label}', page
        )
    for action in world.tynedale.actions[plan.pk]:
        assert action.description in page
    main = page[page.index("<main") :]
    assert set(re.findall(r'href="(/[^"#]*)', main)) <= {
        reverse("monitors:home"),
        reverse("monitors:plan", args=[plan.pk]),
        reverse("accessibility"),  # the footer's
    }


def test_an_endorsed_board_is_what_the_board_endorsed_not_todays_words(monitor_client, world):
    plan = world.tynedale.plans[0]
    latest = _endorsed(plan)[0]
    action = world.tynedale.actions[plan.pk][0]
    said = action.description
    action.description = "Reworded after the endorsement"
    action.save()
    page = monitor_client.get(reverse("monitors:board", args=[plan.pk, latest.pk])).content.decode()
    assert said in page and "Reworded after the endorsement" not in page


@pytest.mark.parametrize("which", ["open", "agreed", "sense_check", "another_plans"])
def test_a_round_not_endorsed_or_of_another_plan_is_not_found(monitor_client, world, which):
    tynedale_plan, wansbeck_plan = world.tynedale.plans[0], world.wansbeck.plans[1]
    plan, monitoring_round = {
        "open": (tynedale_plan, world.tynedale.open_round),
        "agreed": (wansbeck_plan, world.wansbeck.agreed[-1]),
        "sense_check": (wansbeck_plan, world.wansbeck.sense_check[-1]),
        "another_plans": (tynedale_plan, _endorsed(wansbeck_plan)[0]),
    }[which]
    assert monitor_client.get(reverse("monitors:board", args=[plan.pk, monitoring_round.pk])).status_code == 404


def test_published_reports_download_as_published(monitor_client, world):
    published = world.tynedale.published
    pdf = monitor_client.get(reverse("monitors:report_pdf", args=[published.pk]))
    assert pdf.status_code == 200 and pdf.getvalue() == bytes(published.pdf)
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("attachment")
    html = monitor_client.get(reverse("monitors:report_html", args=[published.pk]))
    assert html.status_code == 200 and html.content == published.html.encode()
    assert "sandbox" in html["Content-Security-Policy"]


def test_a_plan_not_given_is_not_found_nor_its_rounds_or_reports(monitor_client, world):
    for plan in (world.tynedale.plans[1], world.wansbeck.plans[0]):
        assert monitor_client.get(reverse("monitors:plan", args=[plan.pk])).status_code == 404
        for monitoring_round in _endorsed(plan):
            url = reverse("monitors:board", args=[plan.pk, monitoring_round.pk])
            assert monitor_client.get(url).status_code == 404
    wansbeck_published = world.wansbeck.published  # Wansbeck's plan 1, not the monitor's
    assert monitor_client.get(reverse("monitors:report_pdf", args=[wansbeck_published.pk])).status_code == 404
    assert monitor_client.get(reverse("monitors:report_html", args=[wansbeck_published.pk])).status_code == 404


def test_once_access_is_removed_everything_of_the_plan_is_not_found(client, monitor_client, world):
    plan = world.tynedale.plans[0]
    client.force_login(world.tynedale.manager.user)
    client.post(reverse("monitor_access:remove", args=[world.tynedale_access.pk]))
    client.force_login(world.monitor)
    urls = [
        reverse("monitors:plan", args=[plan.pk]),
        *(reverse("monitors:board", args=[plan.pk, r.pk]) for r in _endorsed(plan)),
        reverse("monitors:report_pdf", args=[world.tynedale.published.pk]),
        reverse("monitors:report_html", args=[world.tynedale.published.pk]),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    home = client.get(reverse("monitors:home")).content.decode()
    assert "Tynedale plan 1" not in home and "Wansbeck plan 2" in home


def test_members_get_not_found_on_the_monitors_pages(client, world):
    plan = world.tynedale.plans[0]
    latest = _endorsed(plan)[0]
    urls = [
        reverse("monitors:home"),
        reverse("monitors:plan", args=[plan.pk]),
        reverse("monitors:board", args=[plan.pk, latest.pk]),
        reverse("monitors:report_pdf", args=[world.tynedale.published.pk]),
        reverse("monitors:report_html", args=[world.tynedale.published.pk]),
    ]
    t = world.tynedale
    for member in (t.manager, t.chair, t.officer, t.viewer, t.leads[0]):
        client.force_login(member.user)
        assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404), member.role


def test_every_page_and_file_a_monitor_opens_is_in_that_partnerships_security_log(client, monitor_client, world):
    plan = world.tynedale.plans[0]
    latest = _endorsed(plan)[0]
    published = world.tynedale.published
    monitor_client.get(reverse("monitors:home"))
    monitor_client.get(reverse("monitors:plan", args=[plan.pk]))
    monitor_client.get(reverse("monitors:board", args=[plan.pk, latest.pk]))
    monitor_client.get(reverse("monitors:report_pdf", args=[published.pk]))
    monitor_client.get(reverse("monitors:report_html", args=[published.pk]))
    events = list(
        AuditEvent.objects.filter(event=MONITOR_VIEWED, user=world.monitor, partnership=world.tynedale.partnership)
        .order_by("at", "id")
        .values_list("subject", "detail")
    )
    assert [detail for _, detail in events] == [
        "Plans you can see: Tynedale plan 1",
        "The plan's endorsed rounds and published reports",
        f"Endorsed board: {latest.label}",
        f"Tynedale plan 1: published report {published.title}, version 1 (PDF)",
        f"Tynedale plan 1: published report {published.title}, version 1 (HTML)",
    ]
    # The other partnership's log has only the home page's line about its own plan.
    assert list(
        AuditEvent.objects.filter(event=MONITOR_VIEWED, partnership=world.wansbeck.partnership).values_list(
            "detail", flat=True
        )
    ) == ["Plans you can see: Wansbeck plan 2"]
    client.force_login(world.tynedale.manager.user)
    page = client.get(reverse("audit:log"), {"event": MONITOR_VIEWED}).content.decode()
    assert f"Endorsed board: {latest.label}" in page
    assert world.monitor.username in page
    assert "Wansbeck plan 2" not in page


@pytest.mark.parametrize("actions_per_plan", [3, 40])
def test_the_monitors_pages_read_in_a_fixed_number_of_queries(client, django_assert_max_num_queries, actions_per_plan):
    """The same bound for a plan of 3 actions as for one of 40, given with the other partnerships' plans."""
    world = build_monitor_world(actions_per_plan=actions_per_plan)
    for plan in (world.tynedale.plans[1], world.wansbeck.plans[0]):
        MonitorAccessFactory(user=world.monitor, plan=plan)
    client.force_login(world.monitor)
    plan = world.tynedale.plans[0]
    latest = _endorsed(plan)[0]
    with django_assert_max_num_queries(12):
        assert client.get(reverse("monitors:home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("monitors:plan", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("monitors:board", args=[plan.pk, latest.pk])).status_code == 200


def test_a_monitor_must_set_up_a_second_factor(client, world, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    client.force_login(world.monitor)
    response = client.get(reverse("monitors:home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # ...and is still walled off from members' pages meanwhile.
    assert client.get(reverse("actions:mine")).status_code == 404


def test_a_monitor_with_a_second_factor_reads_their_pages(client, world, settings):
    from tests.second_factor import enrol, signed_in_with_second_factor

    settings.SECOND_FACTOR_REQUIRED = True
    enrol(world.monitor)
    signed_in_with_second_factor(client, world.monitor)
    assert client.get(reverse("monitors:home")).status_code == 200


# A manager's pages -------------------------------------------------------------------------------------------


def test_the_plan_page_offers_the_manager_its_outside_monitors(client, world):
    plan = world.tynedale.plans[0]
    client.force_login(world.tynedale.manager.user)
    assert reverse("monitor_access:list", args=[plan.pk]) in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(world.tynedale.chair.user)
    assert reverse("monitor_access:list", args=[plan.pk]) not in client.get(plan.get_absolute_url()).content.decode()


def test_the_manager_sees_who_can_see_the_plan_and_who_invited_them(client, world, django_assert_max_num_queries):
    plan = world.tynedale.plans[0]
    for _ in range(5):
        MonitorAccessFactory(plan=plan, invited_by=world.tynedale.manager)
    client.force_login(world.tynedale.manager.user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("monitor_access:list", args=[plan.pk])).content.decode()
    assert world.monitor.email in page
    assert f"By {world.tynedale.manager.name} on" in page
    assert "Wansbeck" not in page  # the monitor's other partnership is not this manager's business


def test_only_the_manager_manages_outside_monitors(client, world):
    plan = world.tynedale.plans[0]
    urls = [
        reverse("monitor_access:list", args=[plan.pk]),
        reverse("monitor_access:invite", args=[plan.pk]),
        reverse("monitor_access:remove", args=[world.tynedale_access.pk]),
    ]
    t = world.tynedale
    for member in (t.chair, t.officer, t.viewer, t.leads[0]):
        client.force_login(member.user)
        assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 403), member.role
    client.force_login(world.wansbeck.manager.user)
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    assert MonitorAccess.objects.get(pk=world.tynedale_access.pk).is_current


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form; its emails leave as the transaction commits."""

    def post(client, plan, **fields):
        data = {
            "first_name": "Ada",
            "last_name": "Adviser",
            "email": "ada@dfe.example",
            "organisation": "DfE SEND adviser",
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("monitor_access:invite", args=[plan.pk]), data)

    return post


def test_inviting_someone_new_makes_an_account_with_no_place_in_a_partnership_and_a_link(client, world, invite):
    plan = world.tynedale.plans[1]
    manager = world.tynedale.manager
    client.force_login(manager.user)
    response = invite(client, plan)
    assert response.status_code == 302 and response["Location"] == reverse("monitor_access:list", args=[plan.pk])
    access = MonitorAccess.objects.get(plan=plan, user__email="ada@dfe.example")
    user = access.user
    assert not Person.objects.filter(user=user).exists()
    assert not user.has_usable_password()
    assert access.invited_by == manager and access.organisation == "DfE SEND adviser"
    assert access.history.get().history_user == manager.user
    invitation = MonitorInvitation.objects.get(access=access)
    assert (invitation.expires_at - invitation.created_at).days == 7
    (email,) = mail.outbox
    assert email.to == ["ada@dfe.example"]
    link = re.search(r"https?://\S+/monitor/invitation/(\S+)/", email.body)
    token = link.group(1)
    assert invitation.token_hash != token and token not in invitation.token_hash  # only its hash is kept
    events = AuditEvent.objects.filter(partnership=world.tynedale.partnership, user=manager.user)
    assert {e.event for e in events} >= {AuditEvent.Event.MONITOR_ACCESS_GIVEN, AuditEvent.Event.INVITATION_SENT}

    # The link: choose a password, be signed in, see the plan; once only.
    client.logout()
    response = client.get(reverse("monitors:invitation", args=[token]), follow=True)
    assert "Choose your password" in response.content.decode()
    new_password = "Endorsed-boards-read-2031"
    response = client.post(
        reverse("monitors:invitation", args=["set-password"]),
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302 and response["Location"] == reverse("monitors:home")
    assert plan.title in client.get(reverse("monitors:home")).content.decode()
    user.refresh_from_db()
    assert user.check_password(new_password)
    client.logout()
    again = client.get(reverse("monitors:invitation", args=[token]), follow=True)
    assert again.status_code == 410


def test_an_existing_monitor_is_given_the_plan_and_told_by_email(client, world, invite):
    plan = world.wansbeck.plans[0]
    client.force_login(world.wansbeck.manager.user)
    response = invite(client, plan, email=world.monitor.email.upper(), organisation="Ofsted inspector")
    assert response.status_code == 302
    assert MonitorAccess.objects.filter(user=world.monitor, plan=plan).current().exists()
    assert not MonitorInvitation.objects.exists()
    (email,) = mail.outbox
    assert "You can now see" in email.subject and "invitation" not in email.body
    assert "/monitor/" in email.body


def test_someone_invited_again_before_choosing_a_password_gets_a_new_link_and_the_old_one_stops(client, world, invite):
    client.force_login(world.tynedale.manager.user)
    invite(client, world.tynedale.plans[1])
    first = re.search(r"/monitor/invitation/(\S+)/", mail.outbox[0].body).group(1)
    client.force_login(world.wansbeck.manager.user)
    invite(client, world.wansbeck.plans[0], email="ADA@dfe.example")
    second = re.search(r"/monitor/invitation/(\S+)/", mail.outbox[1].body).group(1)
    assert first != second
    assert MonitorAccess.objects.filter(user__email="ada@dfe.example").current().count() == 2
    client.logout()
    assert client.get(reverse("monitors:invitation", args=[first]), follow=True).status_code == 410
    assert client.get(reverse("monitors:invitation", args=[second]), follow=True).status_code == 200


def test_support_staffs_address_is_refused(client, world, invite):
    from onboarding.services import support_user_create

    support = support_user_create(username="support.desk", email="desk@service.example")
    client.force_login(world.tynedale.manager.user)
    response = invite(client, world.tynedale.plans[0], email=support.email)
    assert response.status_code == 200 and "cannot be used for an outside monitor" in response.content.decode()


def test_a_members_address_is_refused_by_the_field(client, world, invite):
    plan = world.tynedale.plans[0]
    client.force_login(world.tynedale.manager.user)
    for member in (world.tynedale.viewer, world.wansbeck.chair):
        response = invite(client, plan, email=member.user.email)
        assert response.status_code == 200
        page = response.content.decode()
        assert "cannot be used for an outside monitor" in page  # the same words for any account the service has
        assert 'href="#id_email"' in page
    assert MonitorAccess.objects.filter(plan=plan).count() == 1
    assert not mail.outbox


def test_someone_who_can_already_see_the_plan_is_told_so(client, world, invite):
    plan = world.tynedale.plans[0]
    client.force_login(world.tynedale.manager.user)
    response = invite(client, plan, email=world.monitor.email)
    assert response.status_code == 200 and "can already see this plan" in response.content.decode()


def test_a_blank_form_says_what_is_missing_by_each_field(client, world, invite):
    client.force_login(world.tynedale.manager.user)
    response = invite(client, world.tynedale.plans[0], first_name="", email="not an address", organisation="")
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter their first name",
        "Enter an email address in the correct format",
        "Enter their organisation",
    ):
        assert message in page


def test_removing_access_asks_first_then_records_who_did_it(client, world, invite):
    access = world.tynedale_access
    manager = world.tynedale.manager
    client.force_login(manager.user)
    url = reverse("monitor_access:remove", args=[access.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove access" in confirm.content.decode()
    assert MonitorAccess.objects.get(pk=access.pk).is_current
    response = client.post(url)
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.revoked_by == manager and access.revoked_at is not None
    assert access.history.first().history_user == manager.user
    assert AuditEvent.objects.filter(
        event=AuditEvent.Event.MONITOR_ACCESS_REMOVED, partnership=world.tynedale.partnership, user=manager.user
    ).exists()
    page = client.get(reverse("monitor_access:list", args=[access.plan_id])).content.decode()
    assert "Access removed" in page and f"By {manager.name} on" in page
    assert client.post(url).status_code == 404  # nothing left to remove
    # Given again later: a new row, the old one kept.
    response = invite(client, access.plan, email=world.monitor.email)
    assert response.status_code == 302
    assert MonitorAccess.objects.filter(user=world.monitor, plan=access.plan).count() == 2


def test_removing_the_last_plan_makes_an_unused_link_useless(client, world, invite):
    plan = world.tynedale.plans[1]
    client.force_login(world.tynedale.manager.user)
    invite(client, plan)
    token = re.search(r"/monitor/invitation/(\S+)/", mail.outbox[0].body).group(1)
    access = MonitorAccess.objects.get(plan=plan, user__email="ada@dfe.example")
    client.post(reverse("monitor_access:remove", args=[access.pk]))
    client.logout()
    assert client.get(reverse("monitors:invitation", args=[token]), follow=True).status_code == 410


def test_a_person_added_later_with_a_monitors_account_is_a_member_not_a_monitor(client, world):
    """A member is never walled off by an access row left from before."""
    person = PersonFactory(user=world.monitor, partnership=world.tynedale.partnership, role=Person.Role.VIEWER)
    client.force_login(person.user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("monitors:home")).status_code == 404


def test_the_invite_says_the_same_whether_the_monitor_is_new_or_already_has_a_password(client, world, invite):
    """The manager learns nothing of an account from the words: the name is the one typed, the sentence the same."""
    client.force_login(world.tynedale.manager.user)
    already = world.monitor  # a monitor of Wansbeck's plan, with a password
    first = invite(client, world.tynedale.plans[1], email=already.email, first_name="Typed", last_name="Name")
    second = invite(client, world.tynedale.plans[1], email="new.person@example.org", first_name="New", last_name="One")
    said = [[str(m) for m in r.wsgi_request._messages][-1] for r in (first, second)]
    assert said == [
        "Typed Name can now see this plan. We have emailed them.",
        "New One can now see this plan. We have emailed them.",
    ]
