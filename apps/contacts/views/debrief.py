"""The recruiter debrief page and its wording check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.contacts import balanced, services
from apps.contacts.forms_debrief import DebriefForm
from apps.core.forms import add_service_errors
from apps.core.middleware import keep_draft
from apps.pipeline.models import Interview

# A second identical debrief this soon after the first is the same one sent
# twice (a double click, a resent form), not a new conversation.


def _owned_interview(request: HttpRequest, pk: int) -> Interview:
    return get_object_or_404(
        Interview.objects.for_user(request.user).select_related("application__company"), pk=pk
    )


def _render_page(request: HttpRequest, interview: Interview, form: DebriefForm, status: int) -> HttpResponse:
    context = {
        "interview": interview,
        "form": form,
        "flags": form.flags(),
        "script": form.script(),
        "rules": balanced.RULES,
    }
    return render(request, "contacts/debrief.html", context, status=status)


@login_required
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare what to tell the recruiter, then log it against the application."""
    interview = _owned_interview(request, pk)
    if request.method != "POST":
        return _render_page(request, interview, DebriefForm(user=request.user, interview=interview), 200)
    form = DebriefForm(request.POST, user=request.user, interview=interview)
    if not form.is_valid():
        return _render_page(request, interview, form, 400)
    recruiter = form.cleaned_data["recruiter"]
    try:
        _, created = services.debrief_log(
            owner=request.user,
            interview=interview,
            script=form.script(),
            recruiter=recruiter,
            channel=form.cleaned_data["channel"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_page(request, interview, form, 400)
    if not created:
        messages.info(request, "This debrief was already logged.")
        return redirect("pipeline:application_detail", pk=interview.application_id)
    who = f" with {recruiter.name}" if recruiter else ""
    messages.success(request, f"Debrief{who} logged with this application.")
    return redirect("pipeline:application_detail", pk=interview.application_id)


@login_required
@require_POST
def debrief_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the wording as it is typed, and refresh the script. Saves nothing.

    htmx gets the flags (and the script, swapped out of band); a plain post (the
    "Check the wording" button without script) gets the whole page back.
    """
    interview = _owned_interview(request, pk)
    # An unbound form holding the answers as typed: a draft has no errors to show yet.
    form = DebriefForm(user=request.user, interview=interview, initial=_answers(request.POST))
    # The debrief is not logged yet, so its draft stays (a plain post carries its draft key).
    if not request.htmx:
        return keep_draft(_render_page(request, interview, form, 200))
    context = {"interview": interview, "form": form, "flags": form.flags(), "script": form.script()}
    return keep_draft(
        render(request, "contacts/_debrief_flags.html", {**context, "script_out_of_band": True})
    )


def _answers(data: QueryDict) -> dict[str, object]:
    answers: dict[str, object] = {name: data.get(name, "") for name in DebriefForm.base_fields}
    answers["questions"] = data.getlist("questions")
    answers["send_as_is"] = "send_as_is" in data
    return answers
