"""Pages that take a plan in (spreadsheet import) and out (XLSX and JSON). Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from inspections.tenancy import partnership_id_of
from jobs.models import Job
from jtai_tracker.downloads import attachment_response
from transfers import columns, plan_import, plan_jobs, plan_xlsx
from transfers.columns import COLUMN_BY_KEY, COLUMNS, mapping_store, normalise_header
from transfers.forms import ColumnMappingForm, ImportConfirmForm, PlanUploadForm
from transfers.plan_import import ImportDraft
from transfers.spreadsheets import XLSX_CONTENT_TYPE


def import_upload(request, pk: int):
    """Step 1: the file."""
    plan = columns.access_plan_for_import(request.user, pk)
    signed_off = plan.status == plan.Status.SIGNED_OFF
    form = PlanUploadForm()
    if request.method == "POST" and not signed_off:
        form = PlanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            ImportDraft.start(
                request.session, plan, form.sheet, form.cleaned_data["file"].name or "plan", request.user.person
            )
            return redirect("transfers:import_columns", pk=plan.pk)
    return render(
        request,
        "transfers/upload.html",
        {"plan": plan, "form": form, "columns": COLUMNS, "signed_off": signed_off},
    )


def _draft_and_sheet(request, plan):
    """The import in progress and its file, or a redirect back to the upload with a reason."""
    draft = ImportDraft.get(request.session, plan)
    if draft is None:
        messages.info(request, "Upload the file to import first.")
        return None, None, redirect("transfers:import", pk=plan.pk)
    try:
        sheet = draft.sheet(request.user.person)
    except FileNotFoundError:
        ImportDraft.discard(request.session, plan, request.user.person)
        messages.error(request, "The uploaded file is no longer available. Upload it again.")
        return None, None, redirect("transfers:import", pk=plan.pk)
    return draft, sheet, None


def import_columns(request, pk: int):
    """Step 2: which column of the file holds which field, guessed from the headers and remembered."""
    plan = columns.access_plan_for_import(request.user, pk)
    draft, sheet, elsewhere = _draft_and_sheet(request, plan)
    if elsewhere:
        return elsewhere
    store = mapping_store(request)
    partnership_id = plan.inspection.partnership_id
    remembered = store.get(partnership_id)
    initial = draft.mapping or columns.guess_mapping(sheet.headers, remembered)
    form = ColumnMappingForm(initial={key: str(index) for key, index in initial.items()}, sheet=sheet)
    if request.method == "POST":
        form = ColumnMappingForm(request.POST, sheet=sheet)
        if form.is_valid():
            draft.mapping = form.mapping()
            draft.save(request.session)
            store.put(partnership_id, {key: normalise_header(sheet.headers[i]) for key, i in draft.mapping.items()})
            return redirect("transfers:import_preview", pk=plan.pk)
    return render(
        request,
        "transfers/columns.html",
        {
            "plan": plan,
            "form": form,
            "draft": draft,
            "sheet": sheet,
            "remembered": bool(remembered),
            "file_columns": [(sheet.column_label(index), sheet.samples(index)) for index in range(len(sheet.headers))],
        },
    )


def import_preview(request, pk: int):
    """Step 3: every row with its problems; the import itself on confirmation, all or nothing."""
    plan = columns.access_plan_for_import(request.user, pk)
    draft, sheet, elsewhere = _draft_and_sheet(request, plan)
    if elsewhere:
        return elsewhere
    if not draft.mapping:
        return redirect("transfers:import_columns", pk=plan.pk)
    preview = plan_import.preview_build(plan=plan, sheet=sheet, mapping=draft.mapping, **draft.choices())
    initial = {
        "create_agencies": draft.create_agencies,
        "create_leads": draft.create_leads,
        **{q.field_name: str(draft.area_choices.get(q.key, "")) for q in preview.area_questions},
    }
    if draft.create_findings or draft.area_choices or draft.create_agencies or draft.create_leads:
        initial["create_findings"] = draft.create_findings
    form = ImportConfirmForm(initial=initial, preview=preview)
    failure = ""
    if request.method == "POST":
        form = ImportConfirmForm(request.POST, preview=preview)
        if form.is_valid():
            draft.create_agencies = form.ticked("create_agencies")
            draft.create_leads = form.ticked("create_leads")
            draft.area_choices = {**draft.area_choices, **form.area_choices()}
            draft.create_findings = form.cleaned_data.get("create_findings") or ""
            draft.save(request.session)
            if request.POST.get("intent") != "import":
                return redirect("transfers:import_preview", pk=plan.pk)
            try:
                result = plan_import.plan_import_commit(
                    plan=plan,
                    sheet=sheet,
                    mapping=draft.mapping,
                    by=request.user.person,
                    **draft.choices(),
                )
            except plan_import.ImportRefused as refused:
                messages.error(request, str(refused))
                return redirect("actions:plan", pk=plan.pk)
            except plan_import.ImportInvalid as invalid:
                preview, failure = invalid.preview, str(invalid)
            else:
                ImportDraft.discard(request.session, plan, request.user.person)
                messages.success(request, _imported_message(result))
                return redirect("actions:plan", pk=plan.pk)
    # Could the manager's choices on this page alone make the file importable?
    fixable = preview.is_valid or (
        bool(preview.unknown_agencies or preview.unknown_leads or preview.area_questions or preview.creatable_findings)
        and plan_import.preview_build(
            plan=plan,
            sheet=sheet,
            mapping=draft.mapping,
            create_agencies=[u.key for u in preview.unknown_agencies],
            create_leads=[u.key for u in preview.unknown_leads],
            area_choices={q.key: q.candidates[0].pk for q in preview.area_questions},
            create_findings=preview.suggested_finding_kind if preview.creatable_findings else "",
        ).is_valid
    )
    return render(
        request,
        "transfers/preview.html",
        {
            "plan": plan,
            "draft": draft,
            "preview": preview,
            "form": form,
            "fixable": fixable,
            "failure": failure,
            "mapped": [COLUMN_BY_KEY[key] for key in draft.mapping],
        },
    )


def _imported_message(result: plan_import.ImportResult) -> str:
    parts = [f"{len(result.actions)} action{'s' if len(result.actions) != 1 else ''} imported."]
    if result.agencies:
        parts.append(f"Agencies created: {', '.join(agency.name for agency in result.agencies)}.")
    if result.leads:
        parts.append(
            f"Leads created: {', '.join(person.name for person in result.leads)}. Add their email addresses "
            "in Set up, People, to send each an invitation to sign in."
        )
    if result.findings:
        parts.append(f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} created.")
    if result.opening_round:
        parts.append(f"Where each action stands is recorded as the round {result.opening_round.label}.")
    return " ".join(parts)


def import_cancel(request, pk: int):
    """POST: forget the import in progress and delete its file."""
    plan = columns.access_plan_for_import(request.user, pk)
    if request.method != "POST":
        return redirect("transfers:import_preview", pk=plan.pk)
    ImportDraft.discard(request.session, plan, request.user.person)
    messages.info(request, "The import was cancelled. Nothing was added to the plan.")
    return redirect("actions:plan", pk=plan.pk)


def import_template(request):
    """The blank workbook to fill in: for any member of a partnership."""
    if partnership_id_of(request.user) is None:
        raise PermissionDenied
    return attachment_response(plan_xlsx.template_xlsx(), "action-plan-template.xlsx", XLSX_CONTENT_TYPE)


def export_xlsx(request, pk: int):
    """The plan as a spreadsheet: built by a job, whose page this sends to."""
    plan = columns.access_plan_for_export(request.user, pk)
    job = plan_jobs.plan_export_request(plan=plan, by=request.user.person, kind=Job.Kind.PLAN_XLSX)
    return redirect("jobs:job", pk=job.pk)


def export_json(request, pk: int):
    """The plan as JSON: built by a job, whose page this sends to."""
    plan = columns.access_plan_for_export(request.user, pk)
    job = plan_jobs.plan_export_request(plan=plan, by=request.user.person, kind=Job.Kind.PLAN_JSON)
    return redirect("jobs:job", pk=job.pk)
