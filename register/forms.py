"""The form that links an action to another of the partnership's actions, chosen from a list grouped by plan."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import QuerySet


def _choice_label(action) -> str:
    words = action.description.split()
    return f"{action.reference}: {' '.join(words[:12])}{'…' if len(words) > 12 else ''}"


class LinkForm(forms.Form):
    other = forms.TypedChoiceField(
        label="Action that tracks the same recommendation",
        help_text="Actions are listed by plan",
        coerce=int,
        error_messages={
            "required": "Select the action that tracks the same recommendation",
            "invalid_choice": "Select one of the actions listed",
        },
    )

    def __init__(self, *args, candidates: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[tuple[int, str], list[tuple[str, str]]] = {}
        for action in candidates:
            groups.setdefault((action.plan_id, action.plan.title), []).append((str(action.pk), _choice_label(action)))
        self.fields["other"].choices = [("", "Choose an action")] + [
            (title, choices) for (_, title), choices in groups.items()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field.select("other"))
