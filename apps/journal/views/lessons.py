from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.journal import selectors, services
from apps.journal.forms import LessonForm
from apps.journal.models import Lesson, Reflection


@login_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    practised = (
        Lesson.objects.for_user(request.user)
        .filter(status=Lesson.Status.PRACTISED)
        .select_related("reflection__interview__application__company")
        .order_by("-practised_at")[:50]
    )
    context = {
        "open_lessons": selectors.open_lessons(user=request.user),
        "practised": practised,
        "form": LessonForm(),
    }
    return render(request, "journal/lessons.html", context)


@login_required
@require_POST
def lesson_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A lesson drawn from the reflection on interview `pk`."""
    reflection = get_object_or_404(Reflection.objects.for_user(request.user), interview_id=pk)
    form = LessonForm(request.POST)
    if form.is_valid():
        services.lesson_create(owner=request.user, reflection=reflection, text=form.cleaned_data["text"])
        messages.success(request, "Lesson kept. It will come back before your next interview.")
    else:
        messages.error(request, "A lesson needs a few words, at most 300 characters.")
    return redirect("journal:reflection", pk=pk)


@login_required
@require_POST
def lesson_practised(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.for_user(request.user), pk=pk)
    practised = request.POST.get("practised") == "yes"
    services.lesson_set_practised(lesson=lesson, practised=practised)
    messages.success(
        request, "Marked as practised. Well done." if practised else "Back on your list to practise."
    )
    if request.POST.get("back") == "reflection" and lesson.reflection_id:
        return redirect("journal:reflection", pk=lesson.reflection.interview_id)
    return redirect("journal:lessons")
