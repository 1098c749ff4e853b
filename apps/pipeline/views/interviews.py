from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors
from apps.pipeline import services
from apps.pipeline.forms import InterviewForm
from apps.pipeline.models import Application
from apps.pipeline.selectors import owned_interview


@login_required
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("company"), pk=pk
    )
    suggested_round = services.next_round_number(application)
    asked = request.GET.get("round", "")
    if asked.isascii() and asked.isdigit():
        suggested_round = min(max(int(asked), 1), 20)
    form = InterviewForm(
        request.POST or None, zone=request.user.zone, initial={"round_number": suggested_round}
    )
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_schedule(application=application, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            when = formats.date_format(timezone.localtime(interview.starts_at), "l j F")
            messages.success(request, f"Round {interview.round_number} added for {when}.")
            return redirect("pipeline:application_detail", pk=application.pk)
    return render(
        request,
        "pipeline/interview_form.html",
        {"form": form, "application": application},
        status=400 if form.errors else 200,
    )


@login_required
def interview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interview = owned_interview(user=request.user, pk=pk)
    form = InterviewForm(
        request.POST or None,
        zone=request.user.zone,
        editing=True,
        initial=InterviewForm.initial_for(interview, request.user.zone),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_update(interview=interview, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The interview is updated.")
            return redirect("pipeline:application_detail", pk=interview.application_id)
    return render(
        request,
        "pipeline/interview_form.html",
        {"form": form, "application": interview.application, "interview": interview},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def interview_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    interview = owned_interview(user=request.user, pk=pk)
    services.interview_cancel(interview=interview)
    messages.success(request, f"Round {interview.round_number} is cancelled. It stays in the history.")
    return redirect("pipeline:application_detail", pk=interview.application_id)
