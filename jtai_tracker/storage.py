"""Files the app keeps, only ever through Django's storage API, so a deployment can put them in object storage.

``settings.STORAGES`` names two: ``"evidence"`` (leads' evidence files) and ``"imports"`` (an import's rows
between its preview and its commit, ``transfers.services``). Each is set by ``EVIDENCE_STORAGE_BACKEND`` /
``EVIDENCE_STORAGE_OPTIONS`` (JSON) and ``IMPORTS_STORAGE_BACKEND`` / ``IMPORTS_STORAGE_OPTIONS``; by default
:class:`PrivateStorage`, folders outside the web root with no URL. Code reaches a file by its storage
(``storages["imports"]``, an ``EvidenceFile.file``), never by a path.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """Files in a folder named by a setting (``root_setting``, read at each use, so tests and deployments can move
    it), under ``subfolder``; never served by URL: a view that checks access hands each file out."""

    def __init__(self, root_setting: str = "EVIDENCE_ROOT", subfolder: str = "", **kwargs: Any) -> None:
        self.root_setting, self.subfolder = root_setting, subfolder
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return os.path.join(str(getattr(settings, self.root_setting)), self.subfolder)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # FileSystemStorage.url() then refuses: no file has an address of its own


class NamedStorage(Storage):
    """The storage ``settings.STORAGES`` names ``alias``, looked up at each use.

    A ``FileField`` resolves its storage once, when its model is loaded; this stands in its place so that
    changing ``STORAGES`` (a deployment's settings, a test's in-memory storage) moves the files too.
    """

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def backend(self) -> Storage:
        return storages[self.alias]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)
