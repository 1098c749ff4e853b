"""The recruiter debrief page and its wording check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reselect, reswap, retarget

from apps.contacts import balanced, selectors, services
from apps.contacts.forms_debrief import DebriefForm
from apps.contacts.models import Interaction
from apps.core.forms import add_service_errors
from apps.core.middleware import keep_draft
from apps.pipeline.models import Interview
from apps.pipeline.selectors import owned_interview


def _when(debrief: Interaction) -> str:
    return formats.date_format(timezone.localtime(debrief.happened_at), r"l j F \a\t H:i")


def _render_page(
    request: HttpRequest,
    interview: Interview,
    form: DebriefForm,
    status: int,
    *,
    debriefs: list[Interaction],
    show_form: bool = True,
    refused: bool = False,
) -> HttpResponse:
    context = {
        "interview": interview,
        "form": form,
        "flags": form.flags(),
        "script": form.script(),
        "rules": balanced.RULES,
        "debriefs": debriefs,
        "show_form": show_form,
        "refused": refused,
    }
    response = render(request, "contacts/debrief.html", context, status=status)
    if request.htmx:
        # An htmx post may come from any part of the form: the answer is the whole page's
        # content, put in place of the page's, so its message is seen wherever it was sent from.
        retarget(response, "#main")
        reswap(response, "outerHTML")
        reselect(response, "#main")
    return response


@login_required
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare what to tell the recruiter, then log it against the application.

    An interview debriefed already shows that debrief first; another is logged only when
    the person asks for the form again ("Log another debrief").
    """
    interview = owned_interview(user=request.user, pk=pk)
    debriefs = list(selectors.interview_debriefs(interview=interview))
    latest = debriefs[0] if debriefs else None
    if request.method != "POST":
        form = DebriefForm(user=request.user, interview=interview, latest_debrief=latest)
        show_form = latest is None or "another" in request.GET
        return _render_page(request, interview, form, 200, debriefs=debriefs, show_form=show_form)
    form = DebriefForm(request.POST, user=request.user, interview=interview)
    if not form.is_valid():
        return _render_page(request, interview, form, 400, debriefs=debriefs)
    recruiter = form.cleaned_data["recruiter"]
    try:
        logged, created = services.debrief_log(
            owner=request.user,
            interview=interview,
            script=form.script(),
            recruiter=recruiter,
            channel=form.cleaned_data["channel"],
            after_debrief_id=form.cleaned_data["after_debrief"],
        )
    except services.DebriefAlreadyLogged as error:
        # Everything typed stays; sending it again now, with the earlier debrief in view,
        # is the choice to log another.
        data = request.POST.copy()
        data["after_debrief"] = str(error.latest.pk)
        form = DebriefForm(data, user=request.user, interview=interview)
        debriefs = list(selectors.interview_debriefs(interview=interview))
        return _render_page(request, interview, form, 409, debriefs=debriefs, refused=True)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_page(request, interview, form, 400, debriefs=debriefs)
    if not created:
        messages.info(
            request, f"This debrief was logged already, on {_when(logged)}, so it was not logged twice."
        )
    else:
        who = f" with {recruiter.name}" if recruiter else ""
        another = "Another debrief" if debriefs else "Debrief"
        messages.success(request, f"{another}{who} logged with this application.")
    detail = reverse("pipeline:application_detail", args=[interview.application_id])
    return HttpResponseClientRedirect(detail) if request.htmx else redirect(detail)


@login_required
@require_POST
def debrief_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the wording as it is typed, and refresh the script. Saves nothing.

    htmx gets the flags (and the script, swapped out of band); a plain post (the
    "Check the wording" button without script) gets the whole page back.
    """
    interview = owned_interview(user=request.user, pk=pk)
    # An unbound form holding the answers as typed: a draft has no errors to show yet.
    form = DebriefForm(user=request.user, interview=interview, initial=_answers(request.POST))
    # The debrief is not logged yet, so its draft stays (a plain post carries its draft key).
    if not request.htmx:
        debriefs = list(selectors.interview_debriefs(interview=interview))
        return keep_draft(_render_page(request, interview, form, 200, debriefs=debriefs))
    context = {"interview": interview, "form": form, "flags": form.flags(), "script": form.script()}
    return keep_draft(
        render(request, "contacts/_debrief_flags.html", {**context, "script_out_of_band": True})
    )


def _answers(data: QueryDict) -> dict[str, object]:
    answers: dict[str, object] = {name: data.get(name, "") for name in DebriefForm.base_fields}
    answers["questions"] = data.getlist("questions")
    answers["send_as_is"] = "send_as_is" in data
    return answers
