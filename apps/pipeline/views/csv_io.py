"""Download applications as CSV, and bring them in from one: upload, map the columns, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.pipeline import csv_io
from apps.pipeline.models import Application, ApplicationImport


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(timezone=request.user.zone)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_io.export_file_name(today)}"'
    csv_io.write_export(
        response, applications=Application.objects.for_user(request.user), zone=request.user.zone
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    # Bound on every POST: a form sent with no file at all must still say so.
    form = (
        csv_io.CsvUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else csv_io.CsvUploadForm()
    )
    if form.is_bound and form.is_valid():
        application_import = csv_io.application_import_start(
            owner=request.user, file_name=form.cleaned_data["file"].name, text=form.text, table=form.table
        )
        return redirect("pipeline:import_review", pk=application_import.pk)
    status = 400 if form.errors else 200
    return render(request, "pipeline/csv_import_upload.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    application_import = get_object_or_404(ApplicationImport.objects.for_user(request.user), pk=pk)
    if request.method == "POST" and application_import.imported_at:
        return _refuse_second_import(request, application_import)
    # The file was read with the same function when it was uploaded, so it reads again.
    table = csv_io.read_table(application_import.content)
    form = csv_io.ColumnMappingForm(table.headers, initial=application_import.mapping)
    action = request.POST.get("action")
    status = 200
    if request.method == "POST" and action == "map":
        form = csv_io.ColumnMappingForm(table.headers, request.POST)
        if form.is_valid():
            csv_io.application_import_map(application_import=application_import, mapping=form.mapping())
        else:
            status = 400
    elif request.method == "POST" and action == "import":
        return _import(request, application_import, table, form)
    elif request.method == "POST":
        status = 400
    return _render_review(request, application_import, table, form, status=status)


def _import(
    request: HttpRequest,
    application_import: ApplicationImport,
    table: csv_io.Table,
    form: csv_io.ColumnMappingForm,
) -> HttpResponse:
    if csv_io.missing_required(application_import.mapping):
        return _render_review(request, application_import, table, form, status=400)
    preview = csv_io.preview_import(table, application_import.mapping)
    if preview.problems:
        return _render_review(request, application_import, table, form, status=400, preview=preview)
    try:
        count = csv_io.application_import_perform(application_import=application_import, rows=preview.rows)
    except csv_io.AlreadyImported:
        return _refuse_second_import(request, application_import)
    except csv_io.RowsRefused as refused:
        preview.problems = refused.problems
        return _render_review(request, application_import, table, form, status=400, preview=preview)
    noun = "application" if count == 1 else "applications"
    messages.success(request, f"Imported {count} {noun}.")
    return redirect("pipeline:application_list")


def _refuse_second_import(request: HttpRequest, application_import: ApplicationImport) -> HttpResponse:
    messages.warning(request, "This file has already been imported, so nothing was added this time.")
    return redirect("pipeline:import_review", pk=application_import.pk)


def _render_review(
    request: HttpRequest,
    application_import: ApplicationImport,
    table: csv_io.Table,
    form: csv_io.ColumnMappingForm,
    *,
    status: int,
    preview: csv_io.ImportPreview | None = None,
) -> HttpResponse:
    missing = csv_io.missing_required(application_import.mapping)
    if preview is None and not missing:
        preview = csv_io.preview_import(table, application_import.mapping)
    context = {
        "application_import": application_import,
        "form": form,
        "missing": missing,
        "preview": preview,
        "row_count": len(table.rows),
    }
    return render(request, "pipeline/csv_import_review.html", context, status=status)
