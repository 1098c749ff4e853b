"""The thank-you notes page: a note to each person met, editable, with a tick once it went."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.contacts import services_thank_you as services
from apps.contacts import thank_you
from apps.contacts.models import InterviewParticipant
from apps.pipeline.models import Interview
from apps.pipeline.selectors import owned_interview
from apps.reminders.models import OPEN, Kind, Reminder


class NoteForm(forms.Form):
    # No max_length here: the service says how long is too long, in words a person understands.
    body = forms.CharField(widget=forms.Textarea, required=False, strip=False)


def _owned_participant(request: HttpRequest, pk: int) -> InterviewParticipant:
    return get_object_or_404(
        InterviewParticipant.objects.filter(interview__application__owner=request.user).select_related(
            "contact", "interview__application__company", "interview__application__owner"
        ),
        pk=pk,
    )


def _reminder_open(interview: Interview) -> bool:
    return Reminder.objects.filter(kind=Kind.THANK_YOU, interview=interview, status__in=OPEN).exists()


def _page_path(participant: InterviewParticipant) -> str:
    return reverse("contacts:thank_you", args=[participant.interview_id]) + f"#thank-you-{participant.pk}"


def _page_context(
    interview: Interview, notes: list[thank_you.PersonNote], failed: dict[int, NoteForm] | None = None
) -> dict:
    """The page's parts; `failed` holds the forms refused, by person, to show as typed."""
    failed = failed or {}
    sent = sum(note.sent for note in notes)
    return {
        "interview": interview,
        "cards": [(note, failed.get(note.participant.pk)) for note in notes],
        "sent_count": sent,
        "all_sent": bool(notes) and sent == len(notes),
        "general_note": None if notes else thank_you.generated_note(interview),
        "reminder_open": _reminder_open(interview),
    }


@login_required
def thank_you_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Every note for one interview. A post says the one note went (nobody listed by name)."""
    interview = owned_interview(user=request.user, pk=pk)
    if request.method == "POST":
        services.thank_you_all_sent(interview=interview)
        messages.success(request, "Marked as sent. Well done for sending it.")
        return redirect("contacts:thank_you", pk=interview.pk)
    notes = thank_you.notes_for(interview)
    return render(request, "contacts/thank_you.html", _page_context(interview, notes))


def _status(
    request: HttpRequest,
    participant: InterviewParticipant,
    *,
    form: NoteForm | None = None,
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    """One note's status and buttons (htmx), with the page's count of notes sent out of band."""
    interview = participant.interview
    notes = thank_you.notes_for(interview)
    context = {
        **_page_context(interview, notes),
        "note": next(note for note in notes if note.participant.pk == participant.pk),
        "form": form,
        "saved": saved,
        "progress_out_of_band": True,
    }
    return render(request, "contacts/_thank_you_status.html", context, status=status)


@login_required
@require_POST
def thank_you_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one person's note as edited; "Back to the draft" clears it."""
    participant = _owned_participant(request, pk)
    form = NoteForm(request.POST)
    form.is_valid()  # a missing field reads as empty; the service judges the text itself
    text = "" if "redraft" in request.POST else form.cleaned_data.get("body", "")
    try:
        services.thank_you_note_save(participant=participant, text=text)
    except ValidationError as error:
        form.add_error("body", error)
        if request.htmx:
            return _status(request, participant, form=form, status=400)
        # The whole page, with this card's text as typed and its error beside it.
        notes = thank_you.notes_for(participant.interview)
        context = _page_context(participant.interview, notes, failed={participant.pk: form})
        return render(request, "contacts/thank_you.html", context, status=400)
    if request.htmx:
        return _status(request, participant, saved=True)
    messages.success(request, f"Your note to {participant.name} is saved.")
    return redirect(_page_path(participant))


@login_required
@require_POST
def thank_you_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick (sent=1) or untick one person's note."""
    participant = _owned_participant(request, pk)
    sent = request.POST.get("sent") == "1"
    everyone = services.thank_you_mark_sent(participant=participant, sent=sent)
    if request.htmx:
        return _status(request, participant)
    if sent and everyone:
        messages.success(request, "Everyone you met is thanked. That reminder is done.")
    elif sent:
        messages.success(request, f"Note to {participant.name} marked as sent.")
    return redirect(_page_path(participant))
