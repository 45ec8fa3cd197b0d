"""The support site shows jobs (registered with every tenant model by ``inspections.admin``), not the task
backends' own tables, which belong to no partnership: a job's row says all support needs."""

from django.apps import apps
from django.contrib import admin

for label in ("django_tasks_database.DBTaskResult", "django_rq.Dashboard"):
    try:
        model = apps.get_model(label)
    except LookupError:  # that backend's app is not installed
        continue
    if admin.site.is_registered(model):
        admin.site.unregister(model)
