"""The officer's forms: start a yearly report for a year, write its sections, and confirm publishing."""

from __future__ import annotations

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms

from jtai_tracker.forms import GovukDateField, OneMessagePerDate
from reports.forms import _line, _section
from yearly.models import SECTIONS, YearlyReport

#: A yearly report's year starts no earlier than Working Together 2018's first yearly reports.
YEAR_EARLIEST = datetime.date(2018, 1, 1)


class StartForm(OneMessagePerDate, forms.Form):
    """The year a new yearly report covers: its first and last days (e.g. 1 April 2025 to 31 March 2026)."""

    starts_on = GovukDateField(label="Start of the year", help_text="For example, 1 4 2025.", earliest=YEAR_EARLIEST)
    ends_on = GovukDateField(label="End of the year", help_text="For example, 31 3 2026.", earliest=YEAR_EARLIEST)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("starts_on"), Field("ends_on"))

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end of the year must be after its start")
        return cleaned


class YearlyReportForm(forms.Form):
    #: The report's version when the form was read; a stale save is refused, never lost.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = _line("Title", "For example, Tynedale Safeguarding Children Partnership: yearly report 2025 to 2026.", True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading in SECTIONS:
            self.fields[name] = _section(heading + (" (optional)" if name == "learning_from_reviews" else ""))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field("version"),
            Field.text("title", field_width=Fluid.FULL),
            Fieldset(
                *(Field.textarea(name, label_size=Size.SMALL) for name, _heading in SECTIONS),
                legend="Sections",
                legend_size=Size.MEDIUM,
            ),
        )

    @classmethod
    def initial_for(cls, report: YearlyReport) -> dict:
        return {
            "version": report.version,
            "title": report.title,
            **{name: getattr(report, name) for name, _heading in SECTIONS},
        }

    def report_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class PublishForm(forms.Form):
    """The check page's confirm button: the report's version as checked, so a second submit publishes nothing new."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
