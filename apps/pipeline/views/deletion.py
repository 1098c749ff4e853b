"""Deleting an application, with the Undo that the trash makes possible (apps/core/trash.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from apps.pipeline import services
from apps.pipeline.models import Application


@login_required
@require_POST
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("company"), pk=pk
    )
    item = services.application_delete(application=application)
    # The message carries its own Undo form, so it works on the next page without script.
    messages.success(
        request, render_to_string("pipeline/_deleted_message.html", {"item": item}, request=request)
    )
    return redirect("pipeline:application_list")
