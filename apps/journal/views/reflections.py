from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from apps.core import drafts, keyset
from apps.journal import checklists, selectors, services
from apps.journal.forms import JournalFilterForm, LessonForm, ReflectionForm, StoriesOffered
from apps.journal.models import Reflection, ToldStory
from apps.pipeline.models import Interview
from apps.pipeline.selectors import owned_interview
from apps.prep.models import PlanStory, Story

JOURNAL_PAGE_SIZE = 20
# Every field a browser copy of the form keeps and merges (all but version and editor), with a
# field per story offered (_draft_fields).
DRAFT_FIELDS = services.REFLECTION_FIELDS
# The text fields shown side by side when two copies of a reflection disagree.
TEXT_FIELDS = (
    "account",
    "went_well",
    "to_improve",
    "questions_asked",
    "job_note",
    "company_note",
    "manager_note",
    "gut_note",
)


def _saved_at(reflection: Reflection) -> str:
    return formats.time_format(timezone.localtime(reflection.updated_at), "H:i")


def _stories_offered(request: HttpRequest, interview: Interview) -> StoriesOffered:
    """The person's stories for "stories you told", in two queries: those chosen for this
    interview's prep first, then those already noted as told here, then the latest written."""
    on_plan = PlanStory.objects.filter(plan__interview=interview, story=OuterRef("pk"))
    told_here = ToldStory.objects.filter(reflection__interview=interview, story=OuterRef("pk"))
    stories = (
        Story.objects.for_user(request.user)
        .annotate(on_plan=Exists(on_plan), told_here=Exists(told_here))
        .order_by("-on_plan", "-told_here", "-updated_at", "-pk")
    )
    return StoriesOffered(stories=list(stories), participants=list(interview.participants.order_by("pk")))


def _draft_fields(offered: StoriesOffered) -> tuple[str, ...]:
    return (*DRAFT_FIELDS, *offered.field_names)


@dataclass
class ReflectPage:
    """What the form page shows after a post that did not end in a redirect."""

    form: ReflectionForm
    status: int
    # The saved reflection where two copies disagree, and the answers they disagree on.
    conflict: Reflection | None = None
    conflict_names: set[str] | None = None
    # The values drafts.js edits from (form data, as JSON).
    base: dict[str, list[str]] | None = None


@login_required
def reflect(request: HttpRequest, pk: int) -> HttpResponse:
    """The reflection form. Autosave keeps it on the server; this view is the plain-form way."""
    interview = owned_interview(user=request.user, pk=pk)
    reflection = Reflection.objects.filter(interview=interview).first()
    offered = _stories_offered(request, interview)
    if request.method == "POST":
        outcome = _post(request, interview, offered)
        if isinstance(outcome, HttpResponse):
            return outcome
    else:
        form = ReflectionForm(initial=ReflectionForm.initial_from(reflection), offered=offered)
        outcome = ReflectPage(form=form, status=200, base=_saved_data(reflection, offered))
    context = {
        "interview": interview,
        "reflection": reflection,
        "form": outcome.form,
        "conflict": outcome.conflict,
        "conflict_fields": (
            _differences(outcome.form, outcome.conflict, outcome.conflict_names) if outcome.conflict else []
        ),
        "draft_base": json.dumps(
            outcome.base if outcome.base is not None else _saved_data(reflection, offered)
        ),
        "open_lessons": selectors.open_lessons(user=request.user)[:5],
    }
    return render(request, "journal/reflect.html", context, status=outcome.status)


def _post(request: HttpRequest, interview: Interview, offered: StoriesOffered) -> HttpResponse | ReflectPage:
    form = ReflectionForm(request.POST, offered=offered)
    fields = _draft_fields(offered)
    posted_base = drafts.base_from_post(request.POST, fields)
    if not form.is_valid():
        # Shown again with everything typed, still edited from the base it came with.
        base = {name: posted_base.getlist(name) for name in fields} if posted_base is not None else None
        return ReflectPage(form=form, status=400, base=base)
    finalise = "finalise" in request.POST
    base_form = _base_form(request, offered)
    if base_form is None:
        return _post_whole(request, form, interview, finalise)
    saved = services.reflection_save_draft(
        interview=interview,
        fields=form.reflection_fields(),
        base_fields=base_form.reflection_fields(),
        told=form.stories_told(),
        base_told=base_form.stories_told(),
        editor=form.cleaned_data["editor"],
        finalise=finalise,
    )
    if not saved.conflicts:
        return _saved_redirect(request, saved.reflection)
    # Everything merged is saved; the form shows it, with this copy's text where the two
    # disagree, and those answers start from nothing so the next save hands them back.
    names = {conflict.name for conflict in saved.conflicts}
    shown = _saved_data(saved.reflection, offered)
    base = {name: ([] if name in names else values) for name, values in shown.items()}
    data = request.POST.copy()
    for name, values in shown.items():
        if name not in names:
            data.setlist(name, values)
    data["version"] = saved.reflection.version
    return ReflectPage(
        form=ReflectionForm(data, offered=offered),
        status=409,
        conflict=saved.reflection,
        conflict_names=names,
        base=base,
    )


def _post_whole(
    request: HttpRequest, form: ReflectionForm, interview: Interview, finalise: bool
) -> HttpResponse | ReflectPage:
    """A post without a base (no script ran): saved only over the version it was loaded at."""
    try:
        reflection = _save_whole(form, interview, finalise=finalise)
    except services.ReflectionConflict as error:
        current = error.current
        # Keep what this person typed; saving again now replaces the other copy.
        data = form.data.copy()
        data["version"] = current.version
        return ReflectPage(form=ReflectionForm(data, offered=form.offered), status=409, conflict=current)
    return _saved_redirect(request, reflection)


def _save_whole(form: ReflectionForm, interview: Interview, *, finalise: bool = False) -> Reflection:
    """Save the whole form over the version it was loaded at (ReflectionConflict if that moved on)."""
    return services.reflection_save(
        interview=interview,
        fields=form.reflection_fields(),
        base_version=form.cleaned_data["version"],
        told=form.stories_told(),
        editor=form.cleaned_data["editor"],
        finalise=finalise,
    )


def _saved_data(reflection: Reflection | None, offered: StoriesOffered) -> dict[str, list[str]]:
    form = ReflectionForm(initial=ReflectionForm.initial_from(reflection), offered=offered)
    return drafts.form_data(form, _draft_fields(offered))


def _saved_redirect(request: HttpRequest, reflection: Reflection) -> HttpResponse:
    messages.success(
        request, "Your reflection is saved as final." if reflection.status == "final" else "Draft saved."
    )
    return redirect("journal:reflection", pk=reflection.interview_id)


def _differences(
    form: ReflectionForm, current: Reflection, names: set[str] | None = None
) -> list[tuple[str, str, str]]:
    """(label, their text, your text) for each text field where the two copies differ."""
    differences = []
    for name in TEXT_FIELDS:
        if names is not None and name not in names:
            continue
        theirs, yours = getattr(current, name), form.data.get(name, "")
        if theirs != yours:
            differences.append((form.fields[name].label, theirs, yours))
    return differences


def _base_form(request: HttpRequest, offered: StoriesOffered) -> ReflectionForm | None:
    """The values this browser copy started from, checked like the form; None if it sent none."""
    base = drafts.base_from_post(request.POST, _draft_fields(offered))
    if base is None:
        return None
    base["version"], base["editor"] = "0", ""
    form = ReflectionForm(base, offered=offered)
    return form if form.is_valid() else None


def _draft_answer(saved: services.DraftSaved, form: ReflectionForm) -> JsonResponse:
    """What static/js/drafts.js needs: the saved version, its values (its next base), and conflicts."""
    reflection = saved.reflection
    return JsonResponse(
        {
            "version": reflection.version,
            "saved_at": _saved_at(reflection),
            "fields": _saved_data(reflection, form.offered),
            "conflicts": [
                {
                    "name": conflict.name,
                    "label": str(form.fields[conflict.name].label),
                    "theirs": conflict.theirs,
                    "mine": conflict.mine,
                }
                for conflict in saved.conflicts
            ],
        },
        status=409 if saved.conflicts else 200,
    )


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save a draft as the person types. Answers JSON for static/js/drafts.js."""
    interview = Interview.objects.for_user(request.user).filter(pk=pk).first()
    if interview is None:
        return JsonResponse(
            {
                "error": "This interview no longer exists, so the reflection cannot be saved here. "
                "Your text is still kept on this device."
            },
            status=404,
        )
    offered = _stories_offered(request, interview)
    form = ReflectionForm(request.POST, offered=offered)
    if not form.is_valid():
        errors = {name: [str(message) for message in messages_] for name, messages_ in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    base_form = _base_form(request, offered)
    if base_form is not None:
        saved = services.reflection_save_draft(
            interview=interview,
            fields=form.reflection_fields(),
            base_fields=base_form.reflection_fields(),
            told=form.stories_told(),
            base_told=base_form.stories_told(),
            editor=form.cleaned_data["editor"],
        )
        return _draft_answer(saved, form)
    try:
        reflection = _save_whole(form, interview)
    except services.ReflectionConflict as error:
        current = error.current
        return JsonResponse(
            {
                "conflict": True,
                "version": current.version,
                "saved_at": _saved_at(current),
                "theirs": {name: getattr(current, name) for name in TEXT_FIELDS},
                "labels": {name: str(form.fields[name].label) for name in TEXT_FIELDS},
            },
            status=409,
        )
    return JsonResponse({"version": reflection.version, "saved_at": _saved_at(reflection)})


@login_required
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = owned_interview(user=request.user, pk=pk)
    reflection = get_object_or_404(Reflection.objects.filter(interview=interview))
    return reflection_page(request, interview, reflection)


def reflection_page(
    request: HttpRequest,
    interview: Interview,
    reflection: Reflection,
    *,
    lesson_form: LessonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The saved reflection with its lessons; a lesson refused comes back in its form as typed."""
    context = {
        "interview": interview,
        "reflection": reflection,
        "good_sign_total": len(checklists.GOOD_SIGNS),
        "lessons": list(reflection.lessons.order_by("created_at")),
        "suggested_lessons": _suggested_lessons(reflection),
        "lesson_form": lesson_form or LessonForm(),
    }
    return render(request, "journal/reflection_detail.html", context, status=status)


def _suggested_lessons(reflection: Reflection) -> list[str]:
    """Each line of "what to do better" not already a lesson."""
    taken = {lesson.text for lesson in reflection.lessons.all()}
    lines = [" ".join(line.lstrip("-•* ").split()) for line in reflection.to_improve.splitlines()]
    return [line[:300] for line in lines if line and line[:300] not in taken]


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    form = JournalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    reflections = selectors.reflection_search(
        user=request.user,
        application=filters.get("application", ""),
        round_number=filters.get("round_number"),
        confidence=filters.get("confidence"),
    )
    page = keyset.page(
        reflections,
        column="interview__starts_at",
        descending=True,
        query=request.GET,
        size=JOURNAL_PAGE_SIZE,
        sort="journal",
    )
    context = {"form": form, "page": page, "page_size": JOURNAL_PAGE_SIZE}
    if request.htmx and page.continued:
        # "Show older": the next entries, to go under those already shown.
        return render(request, "journal/journal.html#more_entries", context)
    context["awaiting"] = selectors.interviews_awaiting_reflection(user=request.user, now=timezone.now())[:10]
    context["filtered"] = bool(filters and any(filters.values()))
    return render(request, "journal/journal.html", context, status=400 if form.errors else 200)
