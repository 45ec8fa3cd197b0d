"""The forms of a spreadsheet import: the file, which column holds what, and which new names to create."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings

from inspections.models import Finding
from jtai_tracker.forms import file_size
from transfers.columns import COLUMNS, MAX_UPLOAD_BYTES
from transfers.plan_import import Preview
from transfers.spreadsheets import Sheet, SpreadsheetRefused, read_upload


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the plan",
        error_messages={
            "required": "Select an Excel workbook (.xlsx) or a CSV file",
            "empty": "The file is empty",
            "invalid": "Select an Excel workbook (.xlsx) or a CSV file",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet: Sheet | None = None
        self.fields["file"].help_text = (
            f"An Excel workbook (.xlsx) or a CSV file, smaller than {file_size(MAX_UPLOAD_BYTES)}, "
            f"with no more than {settings.IMPORT_MAX_ROWS:,} actions."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field("file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.sheet = read_upload(upload)
        except SpreadsheetRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload


class ColumnMappingForm(forms.Form):
    """One drop-down per field of an action, listing the file's columns."""

    def __init__(self, *args, sheet: Sheet, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [(str(i), sheet.column_label(i)) for i in range(len(sheet.headers))]
        for column in COLUMNS:
            self.fields[column.key] = forms.TypedChoiceField(
                label=column.label if column.required else f"{column.label} (optional)",
                help_text=column.hint,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=column.required,
                error_messages={
                    "required": f"Choose the column that holds the {column.label.lower()}",
                    "invalid_choice": "Choose one of the file's columns",
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*(Field.select(column.key) for column in COLUMNS))

    def clean(self):
        data = super().clean()
        chosen_by: dict[int, str] = {}
        for column in COLUMNS:
            index = data.get(column.key)
            if index is None:
                continue
            if index in chosen_by:
                self.add_error(
                    column.key,
                    f"That column is already chosen for {chosen_by[index]}: choose a different one for {column.label}",
                )
            else:
                chosen_by[index] = column.label
        return data

    def mapping(self) -> dict[str, int]:
        return {
            column.key: self.cleaned_data[column.key]
            for column in COLUMNS
            if self.cleaned_data.get(column.key) is not None
        }


class _Ticks(forms.MultipleChoiceField):
    """Ticked names. A name that is no longer unknown (someone added it meanwhile) is dropped, not an error."""

    widget = forms.CheckboxSelectMultiple

    def validate(self, value):
        pass

    def clean(self, value):
        return [item for item in super().clean(value) if self.valid_value(item)]


class ImportConfirmForm(forms.Form):
    """What to create along with the actions: only what the manager ticks."""

    create_agencies = _Ticks(
        label="Agencies not in this partnership",
        help_text="Tick an agency to create it with the import. Otherwise correct its name in the file.",
        required=False,
    )
    create_leads = _Ticks(
        label="Leads not in this partnership",
        help_text=(
            "Tick a lead to add them as an action lead in the agency shown. They cannot sign in until they "
            "are invited. Otherwise correct their name in the file."
        ),
        required=False,
    )

    def __init__(self, *args, preview: Preview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["create_agencies"].choices = [
            Choice(unknown.key, f"Create agency '{unknown.name}'", hint=f"Named in {unknown.rows_text}")
            for unknown in preview.unknown_agencies
        ]
        self.fields["create_leads"].choices = [
            Choice(
                unknown.key,
                f"Create lead '{unknown.name}' ({'job title, ' if unknown.job_title else ''}{unknown.agency_name})",
                hint=f"Lead in {unknown.rows_text}",
            )
            for unknown in preview.unknown_leads
            if unknown.creatable and unknown.agency_name
        ]
        layout = []
        if preview.creatable_findings:
            self.fields["create_findings"] = forms.ChoiceField(
                label=f"Create the inspection's findings from the sheet's {len(preview.creatable_findings)} areas",
                help_text="The inspection has no findings yet. They are numbered in the order the sheet names them.",
                choices=[
                    Choice(Finding.Kind.AREA_FOR_IMPROVEMENT, "Create them as areas for improvement"),
                    Choice(Finding.Kind.PRIORITY_ACTION, "Create them as priority areas for action"),
                    Choice("", "Do not create them", hint="Add the findings in set-up, then check again"),
                ],
                required=False,
                widget=forms.RadioSelect,
            )
            if not self.is_bound and "create_findings" not in self.initial:
                self.initial["create_findings"] = preview.suggested_finding_kind
            layout.append(Field.radios("create_findings", legend_size=Size.MEDIUM, small=True))
        self.area_questions = preview.area_questions
        for question in preview.area_questions:
            self.fields[question.field_name] = forms.TypedChoiceField(
                label=f"Which finding does '{question.text[:120]}' mean?",
                help_text=f"In the areas column of {question.rows_text}",
                choices=[("", "Choose a finding")]
                + [(str(f.pk), f"{f.reference}: {f.text[:100]}") for f in question.candidates],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": "Choose one of the findings listed"},
            )
            layout.append(Field.select(question.field_name))
        for name in ("create_agencies", "create_leads"):
            if self.fields[name].choices:
                layout.append(Field.checkboxes(name, legend_size=Size.MEDIUM, small=True))
            else:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    def ticked(self, name: str) -> list[str]:
        return list(self.cleaned_data.get(name) or [])

    def area_choices(self) -> dict[str, int]:
        return {
            question.key: self.cleaned_data[question.field_name]
            for question in self.area_questions
            if self.cleaned_data.get(question.field_name) is not None
        }
