"""Download applications as CSV, and bring them in from a file: upload, review, import, undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from apps.pipeline import selectors
from apps.pipeline.csv import exporting, importing, reading, undoing
from apps.pipeline.csv.checking import ImportPreview
from apps.pipeline.csv.columns import missing_required
from apps.pipeline.csv.forms import ColumnMappingForm, CsvUploadForm
from apps.pipeline.csv.reading import Table
from apps.pipeline.forms import ApplicationFilterForm
from apps.pipeline.models import Application, ApplicationImport

Status = ApplicationImport.Status
REVIEW = "pipeline/csv_import_review.html"


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(timezone=request.user.zone)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exporting.export_file_name(today)}"'
    # With the list's filters in the address, the list as filtered; without, every application.
    applications = Application.objects.for_user(request.user)
    if request.GET:
        filters = ApplicationFilterForm(request.GET).filters()
        applications = selectors.application_search(user=request.user, filters=filters, now=timezone.now())
    exporting.write_export(response, applications=applications, zone=request.user.zone)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    # Bound on every POST: a form sent with no file at all must still say so.
    form = CsvUploadForm(request.POST, request.FILES) if request.method == "POST" else CsvUploadForm()
    if form.is_bound and form.is_valid():
        application_import = importing.application_import_start(
            owner=request.user,
            file_name=form.cleaned_data["file"].name,
            text=form.read.text,
            table=form.read.table,
            read_as=form.read.read_as,
        )
        return redirect("pipeline:import_review", pk=application_import.pk)
    status = 400 if form.errors else 200
    return render(request, "pipeline/csv_import_upload.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The one page of an import: its review, then its progress, then what it added and the undo."""
    application_import = get_object_or_404(
        ApplicationImport.objects.for_user(request.user).select_related("owner"), pk=pk
    )
    action = request.POST.get("action")
    if application_import.status in (Status.DONE, Status.UNDONE) or (
        application_import.is_running and not application_import.is_stalled()
    ):
        if request.method == "POST":
            return _after_import(request, application_import, action)
        return _render_status(request, application_import)
    if request.htmx and request.method == "GET":
        # The page was polling a run that has ended without importing (it failed, or stalled):
        # the whole review comes back, not a part of it.
        return HttpResponseClientRefresh()
    table = importing.stored_table(application_import)
    if request.method == "POST" and action in {"map", "switch_dates"}:
        return _choose(request, application_import, table, switch_dates=action == "switch_dates")
    if request.method == "POST" and action == "import":
        return _import(request, application_import, table)
    return _render_review(request, application_import, table, status=400 if request.method == "POST" else 200)


def _choose(
    request: HttpRequest, application_import: ApplicationImport, table: Table, *, switch_dates: bool
) -> HttpResponse:
    preview = _preview_if_mapped(application_import, table)
    form = ColumnMappingForm(table.headers, request.POST, preview=preview)
    if not form.is_valid():
        return _render_review(request, application_import, table, form=form, preview=preview, status=400)
    choices = form.choices()
    if switch_dates and preview and preview.dates:
        choices["date_order"] = preview.dates.other
    if (
        preview
        and preview.stages
        and preview.stages.detected
        and choices["stage_preset"] == preview.stages.preset
    ):
        # Left as we guessed it: it stays a guess, and follows the file if the columns change.
        choices["stage_preset"] = ""
    importing.application_import_configure(application_import=application_import, **choices)
    return _render_review(request, application_import, table, status=200)


def _import(request: HttpRequest, application_import: ApplicationImport, table: Table) -> HttpResponse:
    preview = _preview_if_mapped(application_import, table)
    if preview is None or not preview.ready:
        return _render_review(request, application_import, table, preview=preview, status=400)
    if not importing.application_import_queue(application_import=application_import, rows=len(preview.rows)):
        return _refuse_second_import(request, application_import)
    return redirect("pipeline:import_review", pk=application_import.pk)


def _after_import(request: HttpRequest, application_import: ApplicationImport, action: str | None):
    if action not in {"undo", "undo_keep_changed"}:
        return _refuse_second_import(request, application_import)
    try:
        undoing.application_import_undo(
            application_import=application_import, keep_changed=action == "undo_keep_changed"
        )
    except undoing.UndoRefused as refused:
        if refused.changed:
            return _render_status(request, application_import, refused=refused, status=409)
        # Undone already (a double click), or not finished yet.
        messages.warning(request, str(refused))
    # The page says what was removed and what was kept.
    return redirect("pipeline:import_review", pk=application_import.pk)


def _refuse_second_import(request: HttpRequest, application_import: ApplicationImport) -> HttpResponse:
    if application_import.is_running:
        messages.warning(request, "This file is being imported already, so it wasn't started again.")
    else:
        messages.warning(request, "This file has already been imported, so nothing was added this time.")
    return redirect("pipeline:import_review", pk=application_import.pk)


def _preview_if_mapped(application_import: ApplicationImport, table: Table) -> ImportPreview | None:
    if missing_required(application_import.mapping):
        return None
    return importing.import_preview(application_import, table)


def _render_status(
    request: HttpRequest,
    application_import: ApplicationImport,
    *,
    refused: undoing.UndoRefused | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"application_import": application_import, "refused": refused, "showing_status": True}
    if application_import.status == Status.UNDONE:
        # What an undo kept: the applications changed since, still linked to the import.
        context["kept"] = list(
            application_import.applications.select_related("company").order_by("company__name", "pk")
        )
    # While it runs, htmx asks for the progress every second and swaps in just that part.
    template = f"{REVIEW}#status" if request.htmx else REVIEW
    return render(request, template, context, status=status)


def _render_review(
    request: HttpRequest,
    application_import: ApplicationImport,
    table: Table,
    *,
    status: int,
    form: ColumnMappingForm | None = None,
    preview: ImportPreview | None = None,
) -> HttpResponse:
    missing = missing_required(application_import.mapping)
    if preview is None and not missing:
        preview = importing.import_preview(application_import, table)
    if form is None:
        initial = {
            **application_import.mapping,
            "date_order": application_import.date_order,
            "import_duplicates": application_import.import_duplicates,
        }
        form = ColumnMappingForm(table.headers, initial=initial, preview=preview)
    context = {
        "application_import": application_import,
        "form": form,
        "missing": missing,
        "preview": preview,
        "row_count": len(table.rows),
        "file_notes": reading.describe(application_import.read_as),
    }
    return render(request, REVIEW, context, status=status)
