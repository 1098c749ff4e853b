"""References: who speaks for you on each application, and how far each has gone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import User
from apps.contacts import services
from apps.contacts.models import (
    REFERENCE_ORDER,
    ApplicationReference,
    Contact,
    ContactKind,
    ReferenceStatus,
)
from apps.contacts.services import REFEREE_CALL_STAGES
from apps.core.forms import add_service_errors
from apps.pipeline.models import Application

# Asking the same person again and again wears out their goodwill: past this many
# references in the window, the referee page suggests a rest.
REST_AFTER_USES = 3
REST_WINDOW = dt.timedelta(days=90)

ADVANCED_MESSAGES = {
    ReferenceStatus.HEADS_UP_SENT: "Heads-up noted: {name} knows a call may come.",
    ReferenceStatus.GIVEN: "{name} gave you a reference. Next, a word of thanks.",
    ReferenceStatus.THANKED: "Thanked. Let {name} know how it turns out, whatever the news.",
}


class ReferenceAddForm(forms.Form):
    referee = forms.ChoiceField(
        label="Who will speak for you",
        error_messages={
            "required": "Choose who you have asked.",
            "invalid_choice": "Choose someone from your own contacts.",
        },
    )
    what_to_stress = forms.CharField(
        label="What you would like them to stress",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Notes for your heads-up: the role, and the strengths or projects worth mentioning.",
    )

    def __init__(
        self, *args: object, contacts: list[Contact], recent_uses: dict[int, int], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = {contact.pk: contact for contact in contacts}
        self.fields["referee"].choices = _referee_choices(contacts, recent_uses)

    def clean_referee(self) -> Contact:
        # Only the user's own contacts are among the choices, so the value is one of them.
        return self.contacts[int(self.cleaned_data["referee"])]


def _contact_label(contact: Contact, recent: int) -> str:
    label = f"{contact.name} · {contact.company}" if contact.company else contact.name
    if recent >= REST_AFTER_USES:
        label += f" (asked {recent} times lately)"
    return label


def _referee_choices(contacts: list[Contact], recent_uses: dict[int, int]) -> list:
    """People already marked as referees first, then everyone else the user knows."""
    referees = [c for c in contacts if c.kind == ContactKind.REFEREE]
    others = [c for c in contacts if c.kind != ContactKind.REFEREE]
    choices: list = [("", "Choose a person")]
    for group, people in (("Your referees", referees), ("Other contacts", others)):
        if people:
            choices.append((group, [(c.pk, _contact_label(c, recent_uses.get(c.pk, 0))) for c in people]))
    return choices


def _recent_uses(user: User, now: dt.datetime) -> dict[int, int]:
    """How many references each of the user's contacts was asked for lately, in one query."""
    rows = (
        ApplicationReference.objects.for_user(user)
        .filter(asked_at__gte=now - REST_WINDOW)
        .values("referee_id")
        .annotate(uses=Count("pk"))
    )
    return {row["referee_id"]: row["uses"] for row in rows}


def _add_form(request: HttpRequest, data: QueryDict | None = None) -> ReferenceAddForm:
    return ReferenceAddForm(
        data,
        contacts=list(Contact.objects.for_user(request.user)),
        recent_uses=_recent_uses(request.user, timezone.now()),
    )


def _owned_application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(Application.objects.for_user(request.user).select_related("company"), pk=pk)


def _references_page(
    request: HttpRequest, application: Application, form: ReferenceAddForm, status: int = 200
) -> HttpResponse:
    context = {
        "application": application,
        "references": application.references.select_related("referee"),
        "form": form,
        "calls_likely": application.stage in REFEREE_CALL_STAGES,
    }
    return render(request, "contacts/references.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_references(request: HttpRequest, pk: int) -> HttpResponse:
    application = _owned_application(request, pk)
    form = _add_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        referee: Contact = form.cleaned_data["referee"]
        if application.references.filter(referee=referee).exists():
            # A double click or a second tab: the person is asked once per application.
            messages.info(request, f"{referee.name} is already a referee for this application.")
            return redirect("contacts:references", pk=application.pk)
        try:
            services.reference_add(
                application=application, referee=referee, what_to_stress=form.cleaned_data["what_to_stress"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{referee.name} is down as a referee for this application.")
            return redirect("contacts:references", pk=application.pk)
    return _references_page(request, application, form, status=400 if form.errors else 200)


def _refusal(reference: ApplicationReference, to_status: str) -> str:
    if to_status in REFERENCE_ORDER:
        return (
            f"{reference.referee.name} is already at “{reference.get_status_display()}”. "
            "Steps only move forward, so nothing was changed."
        )
    return "That is not one of the four steps of a reference, so nothing was changed."


def _advance_refused(request: HttpRequest, reference: ApplicationReference, refusal: str) -> HttpResponse:
    """A stale page or a hand-made request: show where the reference really stands."""
    messages.error(request, refusal)
    if request.htmx:
        response = render(
            request, "contacts/_reference.html", {"reference": reference, "refusal": refusal}, status=400
        )
        # htmx does not swap an error response, so the button would seem to do nothing: reload the
        # page instead, which shows the message above every reference as it stands now.
        response["HX-Refresh"] = "true"
        return response
    return _references_page(request, reference.application, _add_form(request), status=400)


@login_required
@require_POST
def reference_advance(request: HttpRequest, pk: int) -> HttpResponse:
    reference = get_object_or_404(
        ApplicationReference.objects.for_user(request.user).select_related("referee", "application__company"),
        pk=pk,
    )
    to_status = request.POST.get("status", "")
    try:
        services.reference_advance(reference=reference, to_status=to_status)
    except ValidationError:
        return _advance_refused(request, reference, _refusal(reference, to_status))
    if request.htmx:
        return render(request, "contacts/_reference.html", {"reference": reference})
    messages.success(request, ADVANCED_MESSAGES[reference.status].format(name=reference.referee.name))
    return redirect("contacts:references", pk=reference.application_id)


@dataclass(frozen=True)
class RefereeUsage:
    """How often a person has been put forward: each application counts once, on the day you asked."""

    times: int
    last_at: dt.datetime | None
    recent: int

    @property
    def needs_rest(self) -> bool:
        return self.recent >= REST_AFTER_USES


def referee_usage(references: list[ApplicationReference], *, now: dt.datetime) -> RefereeUsage:
    asked = [reference.asked_at for reference in references]
    return RefereeUsage(
        times=len(asked),
        last_at=max(asked, default=None),
        recent=sum(1 for moment in asked if moment >= now - REST_WINDOW),
    )


@login_required
def referee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.for_user(request.user), pk=pk)
    references = list(
        ApplicationReference.objects.for_user(request.user)
        .filter(referee=contact)
        .select_related("application__company")
        .order_by("-asked_at", "-pk")
    )
    context = {
        "contact": contact,
        "references": references,
        "usage": referee_usage(references, now=timezone.now()),
        "rest_window_days": REST_WINDOW.days,
    }
    return render(request, "contacts/referee.html", context)
