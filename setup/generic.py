"""The one shape of a manager's add or edit page, in the manner of NetBox's ``ObjectEditView``.

A page names how it finds what it works on (scoped to the manager's
partnership and checked: 404 for another partnership, 403 for anyone but the
manager), which form it shows, which service saves it, what it says when done
and where it goes next. Everything else, binding the form, showing a
service's refusal beside the field at fault and the confirmation, is here
once.
"""

from __future__ import annotations

import copy
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from jtai_tracker.versions import EditConflict, rebased
from people.models import Person
from setup import access


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Set up", reverse("setup:home")), *extra]


def attach(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def draft(obj: Any) -> Any:
    """A copy for a model form to validate, so a refused edit never shows on the page as if saved."""
    return copy.copy(obj)


class SetupFormView(View):
    """GET shows the form; POST validates it, calls :meth:`save` (one service) and redirects, or shows why not.

    A service's :class:`~jtai_tracker.versions.EditConflict` (someone saved the row first) is shown as a 409
    with both versions side by side, the form keeping what the manager typed against the version now saved.
    """

    form_class: type
    template_name = "setup/form.html"
    submit: str = "Save"
    #: The rows the page may work on (``pk`` from the URL picks one); None: the manager's partnership itself.
    queryset: Any = None

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        """What the page works on (the row to edit, or the parent to add to), fetched scoped and checked:
        404 for another partnership's row, 403 for anyone but its manager."""
        if self.queryset is None:
            return access.manager_partnership(request.user)
        return access.access_for_setup(request.user, self.queryset.all(), kwargs["pk"])

    def get_form(self, data: Any, obj: Any) -> Any:
        raise NotImplementedError

    def save(self, form: Any, obj: Any, by: Person) -> Any:
        """Call the one service that makes the change; a ValidationError it raises is shown on the form.

        An edit page (:class:`SetupEditView`) is also given ``expected_version``, to hand to the service.
        """
        raise NotImplementedError

    def done(self, saved: Any, obj: Any) -> tuple[str, str]:
        """The confirmation to show and the address to go to."""
        raise NotImplementedError

    def page(self, obj: Any) -> dict[str, Any]:
        """The page's title, cancel link, breadcrumbs and any caption, intro or extra context."""
        raise NotImplementedError

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.post(request, **kwargs)

    def bind(self, data: Any, obj: Any) -> Any:
        """The page's form, bound to ``data`` (None: unbound)."""
        return self.get_form(data, obj)

    def save_options(self, form: Any) -> dict[str, Any]:
        """What :meth:`save` is given besides the form, the object and the author."""
        return {}

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        form = self.bind(posted(request), obj)
        conflict = None
        if request.method == "POST" and form.is_valid():
            try:
                saved = self.save(form, obj, request.user.person, **self.save_options(form))
            except ValidationError as refused:
                attach(form, refused)
            except EditConflict as clash:
                # ``obj`` is now the row as saved; the form keeps what was typed, against that version.
                form = self.bind(rebased(request.POST, clash), obj)
                form.is_valid()
                conflict = clash.labelled(form)
            else:
                message, url = self.done(saved, obj)
                messages.success(request, message)
                return redirect(url)
        context = {
            "caption": "",
            "intro": "",
            "submit": self.submit,
            **self.page(obj),
            "form": form,
            "conflict": conflict,
        }
        return render(request, self.template_name, context, status=409 if conflict else 200)


class SetupEditView(SetupFormView):
    """The edit page of an existing row (a :class:`~jtai_tracker.versions.Versioned` one): its form carries the
    row's version, which :meth:`save` hands to the service, so a save from a stale page is refused, never lost."""

    def bind(self, data: Any, obj: Any) -> Any:
        form = self.get_form(data, obj)
        form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=obj.version)
        form.helper.layout.append(Field("version"))
        return form

    def save_options(self, form: Any) -> dict[str, Any]:
        # Out of the cleaned data, which the pages hand to services as the fields to set.
        return {"expected_version": form.cleaned_data.pop("version")}
