"""Evidence files and import stashes go only through Django's storage API: with both storages in memory, the
whole life of an evidence file and of an import writes nothing to the disk."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import EvidenceFile
from tests import test_import_stashes, test_lead_updates
from tests.test_lead_updates import PDF, form_data, update_url
from tests.test_plan_import import confirm, good_rows, start, xlsx_bytes
from transfers.models import ImportStash

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

# The fixtures of the tests these follow: a lead's open round, a manager's plan to import into.
open_round = test_lead_updates.open_round
plan = test_import_stashes.plan
manager = test_import_stashes.manager


@pytest.fixture(autouse=True)
def in_memory(settings, tmp_path):
    """Both storages in memory, and the folder they would use on disk somewhere that must stay absent."""
    settings.EVIDENCE_ROOT = tmp_path / "must-not-exist"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield
    assert not settings.EVIDENCE_ROOT.exists(), "something wrote a file to the disk, not through its storage"


def test_an_evidence_file_is_saved_served_and_removed_through_the_evidence_storage(client, action, open_round):
    client.force_login(action.lead.user)
    upload = SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf")
    response = client.post(update_url(action), {**form_data(intent="draft"), "files": upload})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    storage = storages["evidence"]
    assert isinstance(storage, InMemoryStorage)
    assert storage.exists(evidence.file.name)
    assert storage.open(evidence.file.name).read() == PDF

    download = client.get(reverse("actions:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    response = client.post(reverse("actions:evidence_remove", args=[evidence.pk]), {"version": evidence.update.version})
    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()


def test_an_evidence_file_is_deleted_from_the_storage_when_the_removal_commits(
    client, action, open_round, django_capture_on_commit_callbacks
):
    client.force_login(action.lead.user)
    upload = SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf")
    client.post(update_url(action), {**form_data(intent="draft"), "files": upload})
    evidence = EvidenceFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("actions:evidence_remove", args=[evidence.pk]), {"version": evidence.update.version})
    assert not storages["evidence"].exists(evidence.file.name)


def test_an_import_keeps_its_rows_in_the_imports_storage_until_it_is_done(client, plan, manager):
    client.force_login(manager.user)
    assert start(client, plan, xlsx_bytes(good_rows())).status_code == 200
    (stash,) = ImportStash.objects.all()
    assert storages["imports"].exists(stash.name)
    assert confirm(client, plan).status_code == 302
    assert plan.actions.count() == 3
    assert not storages["imports"].exists(stash.name)


def test_the_storages_are_chosen_by_the_environment(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({k: settings.STORAGES[k] for k in ('evidence', 'imports')}))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jtai_tracker.settings",
        "EVIDENCE_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "EVIDENCE_STORAGE_OPTIONS": '{"bucket_name": "evidence", "default_acl": "private"}',
    }
    environment.pop("IMPORTS_STORAGE_BACKEND", None)
    shown = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    chosen = json.loads(shown.stdout.strip().splitlines()[-1])
    assert chosen["evidence"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "evidence", "default_acl": "private"},
    }
    assert chosen["imports"] == {"BACKEND": "jtai_tracker.storage.PrivateStorage", "OPTIONS": {"subfolder": "imports"}}


def test_the_default_storages_are_private_folders_with_no_address(settings, tmp_path):
    from jtai_tracker.storage import PrivateStorage

    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    storage = PrivateStorage(subfolder="imports")
    assert storage.location == str(tmp_path / "evidence" / "imports")
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url("anything.json")
    settings.EVIDENCE_ROOT = tmp_path / "must-not-exist"  # as the fixture checks
