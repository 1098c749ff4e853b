"""The prep brief for one interview: one page to read and fill in, and a printable version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core.forms import posted_id
from apps.pipeline.models import Interview
from apps.pipeline.selectors import owned_interview
from apps.prep import guide, selectors, services
from apps.prep.forms import AreasForm, ExerciseForm, FormatForm, QuestionForm, ResearchForm, StoryChoiceForm
from apps.prep.models import PrepPlan, Story


def _plan(interview: Interview) -> PrepPlan:
    plan = services.plan_for(interview=interview)
    plan.interview = interview  # already loaded with its application and company
    return plan


def _brief_context(request: HttpRequest, plan: PrepPlan, **forms: object) -> dict:
    interview = plan.interview
    chosen = list(plan.plan_stories.select_related("story"))
    questions, research = list(plan.questions_to_ask.all()), list(plan.research.all())
    return {
        "plan": plan,
        "interview": interview,
        "application": interview.application,
        "guide": guide,
        "recap": selectors.recap(interview=interview),
        "panel": selectors.panel(plan=plan),
        "chosen_stories": [link.story for link in chosen],
        "retellings": selectors.retold_stories(plan=plan),
        "suggested_stories": selectors.suggested_stories(plan=plan),
        "suggested_competencies": selectors.suggested_competencies(plan=plan),
        "questions": questions,
        "research": research,
        # Counted from the lists above rather than asked of the database again.
        "readiness": selectors.readiness(
            plan=plan, stories=len(chosen), questions=len(questions), research=len(research)
        ),
        "format_form": forms.get("format_form")
        or FormatForm(
            initial={
                "format": plan.format,
                "people_count": plan.people_count,
                "duration_minutes": plan.duration_minutes,
                "recruiter_checks": plan.recruiter_checks,
            }
        ),
        "areas_form": forms.get("areas_form") or AreasForm(initial=AreasForm.initial_from(plan)),
        "story_form": forms.get("story_form") or StoryChoiceForm(user=request.user),
        "question_form": forms.get("question_form") or QuestionForm(),
        "research_form": forms.get("research_form") or ResearchForm(),
        "exercise_form": forms.get("exercise_form")
        or ExerciseForm(
            initial={
                "exercise_expected": plan.exercise_expected,
                "exercise_materials": plan.exercise_materials,
                "exercise_rehearsed": plan.exercise_rehearsed,
            }
        ),
        "has_stories": Story.objects.for_user(request.user).exists(),
    }


@login_required
def brief(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(owned_interview(user=request.user, pk=pk))
    return render(request, "prep/brief.html", _brief_context(request, plan))


@login_required
def brief_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(owned_interview(user=request.user, pk=pk))
    printed = selectors.printed_brief(user=request.user, plan=plan)
    context = {
        "plan": plan,
        "interview": plan.interview,
        "application": plan.interview.application,
        "brief": printed,
        "readiness": selectors.readiness(
            plan=plan,
            stories=printed.stories.total,
            questions=printed.questions.total,
            research=printed.research.total,
        ),
    }
    return render(request, "prep/brief_print.html", context)


# Each section of the brief posts to its own handler: (message, the form if it has errors).
Outcome = tuple[str, object | None]


def _save_format(request: HttpRequest, plan: PrepPlan) -> Outcome:
    form = FormatForm(request.POST)
    if not form.is_valid():
        return "", form
    services.plan_update(plan=plan, **form.cleaned_data)
    return "Format saved.", None


def _save_areas(request: HttpRequest, plan: PrepPlan) -> Outcome:
    form = AreasForm(request.POST)
    if not form.is_valid():
        return "", form
    services.plan_update(
        plan=plan,
        areas=form.areas(),
        availability=form.cleaned_data["availability"],
        salary_expectation=form.cleaned_data["salary_expectation"],
    )
    return "The five areas are saved.", None


def _save_panel(request: HttpRequest, plan: PrepPlan) -> Outcome:
    notes = {
        key.removeprefix("note_"): value.strip()
        for key, value in request.POST.items()
        if key.startswith("note_")
    }
    services.plan_update(plan=plan, panel_notes=notes)
    return "Notes on the panel saved.", None


def _save_stories(request: HttpRequest, plan: PrepPlan) -> Outcome:
    if request.POST.get("remove"):
        story = get_object_or_404(Story.objects.for_user(request.user), pk=posted_id(request.POST["remove"]))
        services.plan_remove_story(plan=plan, story=story)
        return f"“{story.title}” taken off this interview.", None
    form = StoryChoiceForm(request.POST, user=request.user)
    if not form.is_valid():
        return "", form
    services.plan_add_story(plan=plan, story=form.cleaned_data["story"])
    return f"“{form.cleaned_data['story'].title}” chosen.", None


def _save_questions(request: HttpRequest, plan: PrepPlan) -> Outcome:
    if request.POST.get("remove"):
        services.plan_remove_question(plan=plan, question_id=posted_id(request.POST["remove"]))
        return "Question removed.", None
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return "", form
    services.plan_add_question(plan=plan, **form.cleaned_data)
    return "Question added.", None


def _save_research(request: HttpRequest, plan: PrepPlan) -> Outcome:
    if request.POST.get("remove"):
        services.plan_remove_research(plan=plan, research_id=posted_id(request.POST["remove"]))
        return "Note removed.", None
    form = ResearchForm(request.POST)
    if not form.is_valid():
        return "", form
    services.plan_add_research(plan=plan, **form.cleaned_data)
    return "Research note added.", None


def _save_exercise(request: HttpRequest, plan: PrepPlan) -> Outcome:
    form = ExerciseForm(request.POST)
    if not form.is_valid():
        return "", form
    services.plan_update(plan=plan, **form.cleaned_data)
    return "Exercise saved.", None


PART_HANDLERS = {
    "format": _save_format,
    "areas": _save_areas,
    "panel": _save_panel,
    "stories": _save_stories,
    "questions": _save_questions,
    "research": _save_research,
    "exercise": _save_exercise,
}


FORM_NAMES = {
    "format": "format_form",
    "areas": "areas_form",
    "stories": "story_form",
    "questions": "question_form",
    "research": "research_form",
    "exercise": "exercise_form",
}


@login_required
@require_POST
def brief_part(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    plan = _plan(owned_interview(user=request.user, pk=pk))
    handler = PART_HANDLERS.get(part)
    if handler is None:
        raise Http404("No such part of the brief.")
    try:
        message, invalid = handler(request, plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("prep:brief", args=[pk]))
    if invalid is not None:
        context = _brief_context(request, plan, **{FORM_NAMES[part]: invalid})
        return render(request, "prep/brief.html", context, status=400)
    messages.success(request, message)
    return redirect(reverse("prep:brief", args=[pk]) + f"#{part}")
