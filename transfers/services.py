"""The files an import keeps between its steps: written, read and deleted only here, through the storage API.

Each file is ``STORAGES["imports"]``'s, named by a random token, and has an :class:`ImportStash` row saying
whose it is and since when. The row is written before the file and deleted after it, so a file with no row
is one whose import failed part-way: :func:`import_stashes_clean` deletes it, and the stashes of imports
abandoned for longer than ``STASH_LIFETIME``.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from people.models import Person
from transfers.models import ImportStash

#: A stash older than this is an abandoned import's.
STASH_LIFETIME = datetime.timedelta(days=1)
#: A file with no row is left alone this long: its row may be in a transaction not yet committed.
ORPHAN_GRACE = datetime.timedelta(hours=1)
_NAME = re.compile(r"^[A-Za-z0-9_-]{32,64}\.json$")


def _storage():
    return storages["imports"]


def import_stash_save(*, owner: Person, content: str) -> str:
    """Keep ``content`` for the owner's next steps; the name to read it back by (random: it names nothing of theirs).

    Deletes the owner's partnership's stashes older than ``STASH_LIFETIME`` on the way (a query, no listing).
    """
    _stale_delete(ImportStash.objects.for_partnership(owner.partnership))
    name = f"{secrets.token_urlsafe(32)}.json"
    ImportStash.objects.create(name=name, owner=owner, partnership_id=owner.partnership_id)
    stored = _storage().save(name, ContentFile(content.encode("utf-8")))
    if stored != name:  # a storage that renamed it: keep the row true
        ImportStash.objects.filter(name=name).update(name=stored)
    return stored


def import_stash_read(*, owner: Person, name: str) -> str:
    """The stash's content. FileNotFoundError when it has gone, or is not the owner's."""
    if not _NAME.match(name or "") or not ImportStash.objects.filter(name=name, owner=owner).exists():
        raise FileNotFoundError("Not an import's stash")
    with _storage().open(name, "rb") as stored:
        return stored.read().decode("utf-8")


def import_stash_delete(*, owner: Person, name: str) -> None:
    """Delete the stash (file, then row) if it is the owner's; nothing if it is not or has gone."""
    if not _NAME.match(name or ""):
        return
    for stash in ImportStash.objects.filter(name=name, owner=owner):
        with contextlib.suppress(FileNotFoundError):
            _storage().delete(stash.name)
        stash.delete()


@dataclass(frozen=True)
class CleanResult:
    stale: int
    orphans: int


def import_stashes_clean(*, now: datetime.datetime | None = None) -> CleanResult:
    """Delete every stash older than ``STASH_LIFETIME`` (file and row), and every file in the storage with no
    row that is older than ``ORPHAN_GRACE``. Safe to run at any time (``manage.py clean_import_stashes``)."""
    now = now or timezone.now()
    stale = _stale_delete(ImportStash.objects.all(), now=now)
    storage = _storage()
    try:
        _folders, files = storage.listdir("")
    except FileNotFoundError:  # a folder not made yet: nothing was ever stashed
        files = []
    known = set(ImportStash.objects.filter(name__in=files).values_list("name", flat=True))
    orphans = 0
    for name in files:
        if name in known:
            continue
        try:
            modified = storage.get_modified_time(name)
        except NotImplementedError:  # a storage that cannot say: an orphan is deleted at once
            modified = None
        if modified is not None and modified > now - ORPHAN_GRACE:
            continue
        storage.delete(name)
        orphans += 1
    return CleanResult(stale=stale, orphans=orphans)


def _stale_delete(stashes, now: datetime.datetime | None = None) -> int:
    """Delete the stashes created before ``STASH_LIFETIME`` ago: files first, then their rows."""
    names = list(stashes.filter(created__lt=(now or timezone.now()) - STASH_LIFETIME).values_list("name", flat=True))
    storage = _storage()
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            storage.delete(name)
    ImportStash.objects.filter(name__in=names).delete()
    return len(names)
