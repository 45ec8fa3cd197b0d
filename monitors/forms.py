from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from monitors.models import MonitorAccess


class MonitorInviteForm(forms.Form):
    """Who the outside monitor is: the plan is the page's."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    organisation = forms.CharField(
        label="Organisation and role",
        help_text="For example, DfE SEND adviser or Ofsted inspector.",
        max_length=MonitorAccess._meta.get_field("organisation").max_length,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "first_name": "Enter their first name",
            "last_name": "Enter their last name",
            "email": "Enter their email address",
            "organisation": "Enter their organisation and role",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
            if hasattr(self.fields[name], "max_length") and self.fields[name].max_length:
                limit = self.fields[name].max_length
                self.fields[name].error_messages["max_length"] = (
                    f"{self.fields[name].label} must be {limit} characters or fewer"
                )
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.layout = Layout(
            Field.text("first_name", field_width=Fluid.ONE_HALF, autocomplete="off"),
            Field.text("last_name", field_width=Fluid.ONE_HALF, autocomplete="off"),
            Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false", autocomplete="off"),
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
        )
        self.helper = helper
