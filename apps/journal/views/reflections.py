from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from apps.journal import checklists, selectors, services
from apps.journal.forms import JournalFilterForm, ReflectionForm
from apps.journal.models import Reflection
from apps.pipeline.models import Interview

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


def _owned_interview(request: HttpRequest, pk: int) -> Interview:
    return get_object_or_404(
        Interview.objects.for_user(request.user).select_related("application__company"), pk=pk
    )


def _saved_at(reflection: Reflection) -> str:
    return formats.time_format(timezone.localtime(reflection.updated_at), "H:i")


@login_required
def reflect(request: HttpRequest, pk: int) -> HttpResponse:
    """The reflection form. Autosave keeps it on the server; this view is the plain-form way."""
    interview = _owned_interview(request, pk)
    reflection = Reflection.objects.filter(interview=interview).first()
    conflict = None
    status = 200
    if request.method == "POST":
        form = ReflectionForm(request.POST)
        if form.is_valid():
            try:
                reflection = services.reflection_save(
                    interview=interview,
                    fields=form.reflection_fields(),
                    base_version=form.cleaned_data["version"],
                    editor=form.cleaned_data["editor"],
                    finalise="finalise" in request.POST,
                )
            except services.ReflectionConflict as error:
                conflict = error.current
                # Keep what this person typed; saving again now replaces the other copy.
                data = request.POST.copy()
                data["version"] = conflict.version
                form = ReflectionForm(data)
                status = 409
            else:
                messages.success(
                    request,
                    "Your reflection is saved as final." if reflection.status == "final" else "Draft saved.",
                )
                return redirect("journal:reflection", pk=interview.pk)
        else:
            status = 400
    else:
        form = ReflectionForm(initial=ReflectionForm.initial_from(reflection))
    context = {
        "interview": interview,
        "reflection": reflection,
        "form": form,
        "conflict": conflict,
        "conflict_fields": _differences(form, conflict) if conflict else [],
        "open_lessons": selectors.open_lessons(user=request.user)[:5],
    }
    return render(request, "journal/reflect.html", context, status=status)


def _differences(form: ReflectionForm, current: Reflection) -> list[tuple[str, str, str]]:
    """(label, their text, your text) for each text field where the two copies differ."""
    differences = []
    for name in TEXT_FIELDS:
        theirs, yours = getattr(current, name), form.data.get(name, "")
        if theirs != yours:
            differences.append((form.fields[name].label, theirs, yours))
    return differences


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save a draft as the person types. Answers JSON for static/js/reflection.js."""
    interview = Interview.objects.for_user(request.user).filter(pk=pk).first()
    if interview is None:
        return JsonResponse(
            {
                "error": "This interview no longer exists, so the reflection cannot be saved here. "
                "Your text is still kept on this device."
            },
            status=404,
        )
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        errors = {name: [str(message) for message in messages_] for name, messages_ in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    try:
        reflection = services.reflection_save(
            interview=interview,
            fields=form.reflection_fields(),
            base_version=form.cleaned_data["version"],
            editor=form.cleaned_data["editor"],
        )
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
    interview = _owned_interview(request, pk)
    reflection = get_object_or_404(Reflection.objects.filter(interview=interview))
    context = {
        "interview": interview,
        "reflection": reflection,
        "good_sign_total": len(checklists.GOOD_SIGNS),
        "lessons": list(reflection.lessons.order_by("created_at")),
        "suggested_lessons": _suggested_lessons(reflection),
    }
    return render(request, "journal/reflection_detail.html", context)


def _suggested_lessons(reflection: Reflection) -> list[str]:
    """Each line of "what to do better" not already a lesson."""
    taken = {lesson.text for lesson in reflection.lessons.all()}
    lines = [" ".join(line.lstrip("-•* ").split()) for line in reflection.to_improve.splitlines()]
    return [line[:300] for line in lines if line and line[:300] not in taken]


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    form = JournalFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    reflections = selectors.reflection_search(
        user=request.user,
        application_id=filters["application"].pk if filters.get("application") else None,
        round_number=filters.get("round_number"),
        confidence=filters.get("confidence"),
    )
    context = {
        "form": form,
        "page": Paginator(reflections, 20).get_page(request.GET.get("page")),
        "awaiting": selectors.interviews_awaiting_reflection(user=request.user, now=timezone.now())[:10],
        "filtered": bool(filters and any(filters.values())),
    }
    return render(request, "journal/journal.html", context, status=400 if form.errors else 200)
