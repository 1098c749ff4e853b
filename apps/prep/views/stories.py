"""The story bank: the user's STAR stories, found again by skill or by a word in them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from apps.accounts.models import User
from apps.core.forms import add_service_errors
from apps.prep import guide, services
from apps.prep.forms_stories import StoryForm
from apps.prep.models import Story

COMPETENCY_LABELS: dict[str, str] = dict(guide.COMPETENCIES)
STORIES_PER_PAGE = 25
SEARCHED_FIELDS = ("title", "situation", "task", "action", "result")


@dataclass(frozen=True)
class StoryCard:
    """A story as the list shows it: its skills by name, and how often it was chosen."""

    story: Story
    competencies: list[str]
    interviews: int


def _owned_stories(user: User) -> QuerySet[Story]:
    # Each row carries how many interviews it was chosen for, counted in the same query. A grouped
    # query drops the model's ordering, so it is given again for pages that stay put.
    return Story.objects.for_user(user).annotate(interviews=Count("plan_links")).order_by("title", "pk")


def _owned_story(request: HttpRequest, pk: int) -> Story:
    return get_object_or_404(_owned_stories(request.user), pk=pk)


def _known_competency(value: str) -> str:
    """A competency key from the address, or "" for one we do not know (an old bookmark)."""
    return value if value in COMPETENCY_LABELS else ""


def _story_search(*, user: User, query: str, competency: str) -> QuerySet[Story]:
    stories = _owned_stories(user)
    if competency:
        stories = stories.filter(competencies__contains=[competency])
    if query:
        words = Q()
        for name in SEARCHED_FIELDS:
            words |= Q(**{f"{name}__icontains": query})
        stories = stories.filter(words)
    return stories


def _card(story: Story) -> StoryCard:
    return StoryCard(
        story=story,
        competencies=[COMPETENCY_LABELS[key] for key in story.competencies if key in COMPETENCY_LABELS],
        interviews=story.interviews,
    )


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    competency = _known_competency(request.GET.get("competency", ""))
    stories = _story_search(user=request.user, query=query, competency=competency)
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "cards": [_card(story) for story in page.object_list],
        "query": query,
        "competency": competency,
        "competencies": guide.COMPETENCIES,
    }
    template = "prep/stories.html#results" if request.htmx else "prep/stories.html"
    return render(request, template, context)


def _save_story(request: HttpRequest, form: StoryForm, story: Story | None) -> Story | None:
    try:
        return services.story_save(owner=request.user, story=story, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _story_form_page(request: HttpRequest, story: Story | None) -> HttpResponse:
    if request.method == "POST":
        form = StoryForm(request.POST)
        saved = _save_story(request, form, story) if form.is_valid() else None
        if saved is not None:
            messages.success(request, f"“{saved.title}” is saved in your story bank.")
            return redirect(f"{reverse('prep:stories')}#story-{saved.pk}")
    elif story is not None:
        form = StoryForm.for_story(story)
    else:
        # Arriving from a practice question with no story yet: that skill is ticked already.
        competency = _known_competency(request.GET.get("competency", ""))
        form = StoryForm(initial={"competencies": [competency] if competency else []})
    return render(
        request,
        "prep/story_form.html",
        {"form": form, "story": story},
        status=400 if form.errors else 200,
    )


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    return _story_form_page(request, None)


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _story_form_page(request, _owned_story(request, pk))


@login_required
def story_delete(request: HttpRequest, pk: int) -> HttpResponse:
    story = _owned_story(request, pk)
    if request.method == "POST":
        # No rule to apply: the links to interview plans go with it (the database cascades).
        story.delete()
        messages.success(request, f"“{story.title}” is deleted from your story bank.")
        return redirect("prep:stories")
    return render(request, "prep/story_delete.html", {"story": story})
