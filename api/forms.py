from __future__ import annotations

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from api.models import LONGEST_LIFE, ApiToken, Scope
from jtai_tracker.forms import GovukDateField, OneMessagePerDate


class TokenForm(OneMessagePerDate, forms.Form):
    """A new token: what uses it, what it may read, until when. api.services.token_create checks the rules."""

    name = forms.CharField(
        label="Name",
        help_text="What will use it, so you can tell your tokens apart. For example, Power BI dashboard.",
        max_length=ApiToken._meta.get_field("name").max_length,
        error_messages={"required": "Enter a name for the token", "max_length": "Name must be 100 characters or fewer"},
    )
    scopes = forms.MultipleChoiceField(
        label="What it may read",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what the token may read"},
    )
    expires_on = GovukDateField(label="Expiry date", required_message="Enter the expiry date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        field = self.fields["expires_on"]
        field.earliest = today + datetime.timedelta(days=1)
        field.latest = today + LONGEST_LIFE
        field.help_text = (
            f"The token stops working after this day. At most a year away, for example {field.latest:%-d %-m %Y}."
        )
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS, autocomplete="off"),
            Field.checkboxes("scopes", legend_size=Size.SMALL, small=True),
            Field("expires_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )
        self.helper = helper
