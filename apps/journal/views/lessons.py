from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.journal import selectors, services
from apps.journal.forms import LessonForm
from apps.journal.models import Lesson, Reflection
from apps.journal.views.reflections import reflection_page


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
    reflection = get_object_or_404(
        Reflection.objects.for_user(request.user).select_related("interview__application__company"),
        interview_id=pk,
    )
    form = LessonForm(request.POST)
    if not form.is_valid():
        # The reflection again, with the lesson as typed and what is wrong with it.
        return reflection_page(request, reflection.interview, reflection, lesson_form=form, status=400)
    services.lesson_create(owner=request.user, reflection=reflection, text=form.cleaned_data["text"])
    messages.success(request, "Lesson kept. It will come back before your next interview.")
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
