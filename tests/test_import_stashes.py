"""An import's rows wait between its steps in the imports storage, each file owned by a row; abandoned ones go."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inspections.models import Finding
from people.models import Person
from tests.factories import ActionPlanFactory, AgencyFactory, FindingFactory, PersonFactory
from tests.test_plan_import import confirm, good_rows, person, start, upload, xlsx_bytes
from transfers.models import ImportStash
from transfers.services import ORPHAN_GRACE, STASH_LIFETIME, import_stash_read, import_stashes_clean

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def plan(db):
    plan = ActionPlanFactory()
    for number in (1, 2, 3):
        FindingFactory(inspection=plan.inspection, number=number)
    FindingFactory(inspection=plan.inspection, number=1, kind=Finding.Kind.PRIORITY_ACTION)
    return plan


@pytest.fixture
def manager(plan):
    partnership = plan.inspection.partnership
    police = AgencyFactory(partnership=partnership, name="Northumbria Police", short_name="Police")
    ncc = AgencyFactory(partnership=partnership, name="Northumberland County Council", short_name="NCC")
    AgencyFactory(
        partnership=partnership, name="Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", short_name="CNTW"
    )
    person(partnership, police, "Steven", "Armstrong")
    person(partnership, ncc, "Rachel", "Forster")
    return person(partnership, ncc, "Claire", "Robson", Person.Role.MANAGER)


def stored():
    return sorted(storages["imports"].listdir("")[1])


def test_an_upload_is_stashed_as_a_row_naming_the_manager_and_a_file_in_the_storage(client, plan, manager):
    client.force_login(manager.user)
    assert upload(client, plan, xlsx_bytes(good_rows())).status_code == 302

    (stash,) = ImportStash.objects.all()
    assert (stash.owner, stash.partnership) == (manager, plan.inspection.partnership)
    assert stored() == [stash.name]
    assert "Steven Armstrong" in import_stash_read(owner=manager, name=stash.name)

    assert client.post(reverse("transfers:import_cancel", args=[plan.pk])).status_code == 302
    assert not ImportStash.objects.exists() and stored() == []


def test_a_stash_is_read_only_by_the_manager_who_made_it(client, plan, manager):
    client.force_login(manager.user)
    upload(client, plan, xlsx_bytes(good_rows()))
    (stash,) = ImportStash.objects.all()
    colleague = PersonFactory(partnership=manager.partnership, agency=manager.agency, role=Person.Role.MANAGER)
    with pytest.raises(FileNotFoundError):
        import_stash_read(owner=colleague, name=stash.name)
    with pytest.raises(FileNotFoundError):
        import_stash_read(owner=manager, name="../" + stash.name)


def test_the_import_done_leaves_no_stash(client, plan, manager):
    client.force_login(manager.user)
    assert start(client, plan, xlsx_bytes(good_rows())).status_code == 200
    assert stored()
    assert confirm(client, plan).status_code == 302 and plan.actions.count() == 3
    assert not ImportStash.objects.exists() and stored() == []


def test_cleaning_deletes_stashes_older_than_a_day_and_orphans_older_than_an_hour(client, plan, manager):
    client.force_login(manager.user)
    upload(client, plan, xlsx_bytes(good_rows()))
    other_plan = ActionPlanFactory(inspection__partnership=plan.inspection.partnership)
    upload(client, other_plan, xlsx_bytes(good_rows()))
    old, fresh = ImportStash.objects.order_by("id")
    ImportStash.objects.filter(pk=old.pk).update(created=timezone.now() - STASH_LIFETIME - datetime.timedelta(1))
    storage = storages["imports"]
    orphan = storage.save("orphan-left-by-a-failed-import-0123456789abcdef.json", ContentFile(b"{}"))

    result = import_stashes_clean()
    assert (result.stale, result.orphans) == (1, 0)
    assert stored() == sorted([fresh.name, orphan])  # the orphan is younger than the grace period
    assert list(ImportStash.objects.all()) == [fresh]

    later = timezone.now() + ORPHAN_GRACE + datetime.timedelta(minutes=1)
    result = import_stashes_clean(now=later)
    assert (result.stale, result.orphans) == (0, 1)
    assert stored() == [fresh.name]


def test_the_clean_up_command_says_what_it_deleted(plan, manager):
    storage = storages["imports"]
    storage.save("orphan.json", ContentFile(b"{}"))
    out = io.StringIO()
    call_command("clean_import_stashes", stdout=out)
    assert out.getvalue() == "Deleted 0 abandoned import file(s) and 0 orphaned file(s).\n"  # the orphan is new
    assert stored() == ["orphan.json"]


def test_a_new_upload_sweeps_the_partnerships_abandoned_stashes(client, plan, manager):
    client.force_login(manager.user)
    upload(client, plan, xlsx_bytes(good_rows()))
    ImportStash.objects.update(created=timezone.now() - STASH_LIFETIME - datetime.timedelta(minutes=1))
    other_plan = ActionPlanFactory(inspection__partnership=plan.inspection.partnership)
    upload(client, other_plan, xlsx_bytes(good_rows()))
    (stash,) = ImportStash.objects.all()
    assert stored() == [stash.name]
