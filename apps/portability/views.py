"""Your data: download it all, bring it in from an export, or delete the account."""

from __future__ import annotations

import tempfile

from allauth.core import ratelimit
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.portability import exporter, importer, selectors, services
from apps.portability.forms import DeleteAccountForm, ImportForm


def _file_name(request: HttpRequest, extension: str) -> str:
    today = timezone.localdate(timezone=request.user.zone)
    return f"second-round-{today.isoformat()}.{extension}"


@login_required
@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    pieces = exporter.json_pieces(user=request.user, now=timezone.now())
    response = StreamingHttpResponse(pieces, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(request, "json")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_zip(request: HttpRequest) -> FileResponse:
    # A ZIP's directory is written at its end, so the archive is built in a
    # temporary file (deleted when the response closes it) and then sent.
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exporter.write_zip(archive, user=request.user, now=timezone.now())
    archive.seek(0)
    response = FileResponse(archive, as_attachment=True, filename=_file_name(request, "zip"))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_data(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if not (form.is_bound and form.is_valid()):
        status = 400 if form.errors else 200
        return render(request, "portability/import.html", {"form": form}, status=status)
    try:
        report = services.account_import(user=request.user, raw=form.cleaned_data["file"].read())
    except importer.ImportRefused as refused:
        context = {
            "form": ImportForm(),
            "problems": refused.problems,
            "file_name": form.cleaned_data["file"].name,
        }
        return render(request, "portability/import.html", context, status=400)
    return render(request, "portability/import_report.html", {"report": report})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound:
        # A wrong password here counts as a failed sign-in: this page must not
        # let someone at an unlocked screen guess the password faster.
        key = f"delete-account:{user.email.lower()}"
        if not ratelimit.consume(request, action="login_failed", key=key, dry_run=True):
            form.add_error(None, "Too many wrong passwords. Wait a few minutes, then try again.")
            return _delete_page(request, form, status=429)
        if not form.is_valid():
            ratelimit.consume(request, action="login_failed", key=key)
            return _delete_page(request, form, status=400)
        email = user.email
        services.account_delete(user=user)
        logout(request)
        return render(request, "portability/deleted.html", {"email": email})
    return _delete_page(request, form, status=200)


def _delete_page(request: HttpRequest, form: DeleteAccountForm, *, status: int) -> HttpResponse:
    counts = selectors.account_counts(user=request.user)
    return render(request, "portability/delete.html", {"form": form, "counts": counts}, status=status)
