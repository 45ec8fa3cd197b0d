"""What the support site shows and allows (``/support/``: superusers only, see ``jtai_tracker/admin.py``).

Support looks; partnerships change their own data in the service. So every
model here is read-only, each row's change history (django-simple-history) is
still there to read, and every list shows, sorts and filters by the
partnership each row belongs to, found through the model's
``partnership_lookup`` and fetched with the row, so a list costs the same
number of queries however long it is.

The exceptions are what a support call about signing in needs, and no more:

* **A user's "active" flag**, so that someone deactivated by mistake can sign
  in again, or a partnership account can be stopped at once. Deactivating
  someone who still leads actions is refused, as in the service: their manager
  deactivates leavers from Set up, which hands their actions to someone else.
  Accounts without a person (support's own) stay read-only here; they are
  managed from the command line. No password is set here either: a
  partnership manager gives a forgetful person a temporary one in the service.
* **A person's agency and role**, so that someone put in the wrong agency of
  their partnership can be moved, and a partnership that has lost its last
  manager can be given one (who can then reset passwords and deactivate
  leavers in the service). Not their partnership: the actions, updates and
  history a person wrote belong to their partnership, and moving the person
  would carry another partnership's name into them. Someone who changes
  partnership gets a new account there.

Nothing else can be added, changed or deleted, and no history can be reverted
(a revert writes a whole old row back, read-only fields and all).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Agency, Partnership
from people.models import Person

User = get_user_model()

#: What a row's name (its ``__str__``) reads besides the row itself: fetched with the list, as the partnership is.
STR_RELATED: dict[str, tuple[str, ...]] = {
    "actions.update": ("action", "round"),
    "actions.reminderlog": ("person__user", "round"),
    "actions.impactvalue": ("measure",),
    "actions.retest": ("action",),
    "monitors.monitoraccess": ("user",),
    "inspections.clockreminderlog": ("person__user",),
    "transfers.importstash": ("owner__user",),
}


def partnership_column(lookup: str):
    """A list column with the partnership a row belongs to, found by walking ``lookup`` (a ``partnership_lookup``)."""
    steps = [] if lookup == "pk" else lookup.split("__")

    @admin.display(description="Partnership", ordering="name" if not steps else f"{lookup}__name")
    def row_partnership(model_admin: admin.ModelAdmin, obj: Any) -> Partnership | None:
        try:
            for step in steps:
                obj = getattr(obj, step)
        except ObjectDoesNotExist:  # a user without a person: a support account
            return None
        return obj

    return row_partnership


class ReadOnly:
    """Looks only: no adding, changing or deleting (Django then shows each row as a read-only page)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SupportHistoryAdmin(SimpleHistoryAdmin):
    """Each row's history, to read: a revert would write an old row back whole, so it is refused."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class DeferHeavyColumns:
    """Leaves out the columns a model names in ``support_list_defer`` (e.g. a frozen record's whole board) until a
    page reads them: a list of a hundred rows never loads them."""

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*self.model.support_list_defer)


def tenant_admin(model: type) -> type[admin.ModelAdmin]:
    """A read-only admin for a tenant model: its rows with their partnership, filterable by it."""
    lookup = model.partnership_lookup
    attrs: dict[str, Any] = {
        "row_partnership": partnership_column(lookup),
        "list_display": ("__str__", "row_partnership"),
    }
    if lookup != "pk":
        attrs["list_select_related"] = (lookup, *STR_RELATED.get(model._meta.label_lower, ()))
        attrs["list_filter"] = (lookup,)
    # Stored files (evidence) have no URL: only the service's own view serves them, after checking access.
    files = tuple(f.name for f in model._meta.fields if isinstance(f, models.FileField))
    if files:
        attrs["exclude"] = files
    base = SupportHistoryAdmin if hasattr(model, "history") else admin.ModelAdmin
    bases = (ReadOnly, DeferHeavyColumns, base) if hasattr(model, "support_list_defer") else (ReadOnly, base)
    return type(f"{model.__name__}SupportAdmin", bases, attrs)


# People and their accounts: the two things support may change --------------------------------


class PersonSupportAdmin(SupportHistoryAdmin):
    list_display = ("__str__", "username", "agency", "role", "row_partnership", "active")
    list_filter = ("partnership", "role", "user__is_active")
    list_select_related = ("user", "agency", "partnership")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    fields = ("user", "partnership", "agency", "role", "job_title")
    readonly_fields = ("user", "partnership", "job_title")
    row_partnership = partnership_column(Person.partnership_lookup)

    @admin.display(description="Username", ordering="user__username")
    def username(self, person: Person) -> str:
        return person.user.get_username()

    @admin.display(description="Active", boolean=True, ordering="user__is_active")
    def active(self, person: Person) -> bool:
        return person.user.is_active

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        """Support's change of a person's role is in their partnership's security log, and signs them out: a new
        role may need a second factor."""
        super().save_model(request, obj, form, change)
        if change and "role" in form.changed_data:
            from accounts.services import end_sessions
            from audit.models import AuditEvent
            from audit.services import record_about

            was = Person.Role(form.initial["role"]).label
            detail = f"{was} to {obj.get_role_display()}"
            record_about(request, AuditEvent.Event.ROLE_CHANGED, obj, by=request.user, detail=detail)
            end_sessions(obj.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "agency" in form.base_fields:
            # Only the agencies of the person's own partnership (Person.clean says the same).
            form.base_fields["agency"].queryset = Agency.objects.for_partnership(obj.partnership_id)
        return form


class UserActiveForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("is_active",)

    def clean_is_active(self) -> bool:
        active = self.cleaned_data["is_active"]
        if not active and self.instance.is_active and self.instance.person.led_actions.exists():
            raise ValidationError(
                "They still lead actions. Their partnership manager deactivates leavers from Set up, "
                "which hands their actions to someone else."
            )
        return active


class UserSupportAdmin(UserAdmin):
    form = UserActiveForm
    list_display = ("username", "first_name", "last_name", "email", "row_partnership", "is_active", "is_superuser")
    list_filter = ("is_active", "person__partnership", "is_staff", "is_superuser")
    list_select_related = ("person__partnership",)
    fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    # Everything but "active".
    readonly_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    row_partnership = partnership_column("person__partnership")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # people leave by deactivation, so what they wrote keeps their name

    def has_change_permission(self, request, obj=None) -> bool:
        # Only a partnership user's "active" flag; support accounts are managed from the command line.
        return obj is None or Person.objects.filter(user=obj).exists()

    def save_model(self, request, obj, form, change):
        """Support's deactivation or reactivation of a person's account is in their partnership's security log."""
        super().save_model(request, obj, form, change)
        person = Person.objects.filter(user=obj).first()
        if change and person is not None and "is_active" in form.changed_data:
            from audit.models import AuditEvent
            from audit.services import record_about

            event = AuditEvent.Event.PERSON_REACTIVATED if obj.is_active else AuditEvent.Event.PERSON_DEACTIVATED
            record_about(request, event, person, by=request.user, detail="On the support site")

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied  # a partnership manager issues temporary passwords in the service


def _register(model: type, model_admin: type[admin.ModelAdmin]) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


ALLAUTH_MODELS = (
    "account.EmailAddress",
    "account.EmailConfirmation",
    "mfa.Authenticator",
    "socialaccount.SocialApp",
    "socialaccount.SocialAccount",
    "socialaccount.SocialToken",
    "usersessions.UserSession",
)


def register_all() -> None:
    """Every tenant model, people and accounts. Groups are not used; django-allauth's own models (email
    addresses, second factors, single sign-on apps and accounts, sessions) are changed only through the service's pages,
    which check and record each change."""
    for label in ("auth.Group", *ALLAUTH_MODELS):
        model = apps.get_model(label)
        if admin.site.is_registered(model):
            admin.site.unregister(model)
    _register(User, UserSupportAdmin)
    _register(Person, PersonSupportAdmin)
    for model in apps.get_models():
        if not hasattr(model, "partnership_lookup") or admin.site.is_registered(model):
            continue
        admin.site.register(model, tenant_admin(model))


register_all()
