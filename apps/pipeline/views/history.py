"""Setting a step of an application's history right: its day, its time, its note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.core.forms import add_service_errors
from apps.pipeline import services
from apps.pipeline.forms import StageChangeForm
from apps.pipeline.models import StageChange


@login_required
def stage_change_edit(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    change = get_object_or_404(
        StageChange.objects.for_user(request.user).select_related("application__company"),
        pk=change_pk,
        application_id=pk,
    )
    local = timezone.localtime(change.changed_at)
    form = StageChangeForm(
        request.POST or None, initial={"day": local.date(), "time": local.time(), "note": change.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = form.cleaned_data["note"]
            services.stage_change_edit(change=change, changed_at=form.moment(), note=note)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The history is set right.")
            return redirect(reverse("pipeline:application_detail", args=[pk]) + "#history-heading")
    context = {"change": change, "application": change.application, "form": form}
    return render(request, "pipeline/stage_change_form.html", context, status=400 if form.errors else 200)
