"""Practice questions: the library's, grouped by skill, and the user's own, each with an answer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.prep import guide, services
from apps.prep.forms_stories import OwnQuestionForm, PracticeForm
from apps.prep.models import PracticeAnswer, Story

LIBRARY: dict[str, guide.PracticeQuestion] = {question.key: question for question in guide.PRACTICE_QUESTIONS}
# Library questions that probe no one skill (motivation, plans) are shown under this heading.
GENERAL_TITLE = "About you and this job"
HINTS_SHOWN = 3


def _library_prefix(key: str) -> str:
    return f"q-{key}"


def _own_prefix(answer: PracticeAnswer) -> str:
    return f"own-{answer.pk}"


@dataclass
class PracticeCard:
    """One question on the page, with its answer form and, for the library's, stories that fit."""

    question: str
    prefix: str
    action_url: str
    form: PracticeForm
    answer: PracticeAnswer | None
    now: dt.datetime
    competency: str = ""
    stories: list[Story] = field(default_factory=list)

    @property
    def practised_ago(self) -> str:
        """When it was last practised, as a person would say it ("3 days ago"); "" if never."""
        if self.answer is None or self.answer.last_practised_at is None:
            return ""
        if self.now - self.answer.last_practised_at < dt.timedelta(minutes=1):
            return "just now"
        return f"{timesince(self.answer.last_practised_at, self.now, depth=1)} ago"

    @property
    def more_stories(self) -> int:
        return max(len(self.stories) - HINTS_SHOWN, 0)

    @property
    def hint_stories(self) -> list[Story]:
        return self.stories[:HINTS_SHOWN]


@dataclass(frozen=True)
class PracticeGroup:
    key: str
    title: str
    cards: list[PracticeCard]


def _card_form(prefix: str, answer: PracticeAnswer | None, failed: dict[str, PracticeForm]) -> PracticeForm:
    """The form that was just refused (with what was typed), or one showing the saved answer."""
    if prefix in failed:
        return failed[prefix]
    return PracticeForm(prefix=prefix, initial={"answer": answer.answer if answer else ""})


def _stories_by_competency(user: User) -> dict[str, list[Story]]:
    grouped: dict[str, list[Story]] = defaultdict(list)
    for story in Story.objects.for_user(user).only("pk", "title", "competencies"):
        for key in story.competencies:
            grouped[key].append(story)
    return grouped


def _library_groups(
    answers: dict[str, PracticeAnswer], stories: dict[str, list[Story]], failed: dict, now: dt.datetime
) -> list[PracticeGroup]:
    cards: dict[str, list[PracticeCard]] = defaultdict(list)
    for question in guide.PRACTICE_QUESTIONS:
        prefix = _library_prefix(question.key)
        answer = answers.get(question.key)
        cards[question.competency].append(
            PracticeCard(
                question=question.text,
                prefix=prefix,
                action_url=reverse("prep:practice_library", args=[question.key]),
                form=_card_form(prefix, answer, failed),
                answer=answer,
                now=now,
                competency=question.competency,
                stories=stories.get(question.competency, []) if question.competency else [],
            )
        )
    titles = [*guide.COMPETENCIES, ("", GENERAL_TITLE)]
    return [PracticeGroup(key=key, title=title, cards=cards[key]) for key, title in titles if cards.get(key)]


def _own_cards(answers: list[PracticeAnswer], failed: dict, now: dt.datetime) -> list[PracticeCard]:
    return [
        PracticeCard(
            question=answer.question,
            prefix=_own_prefix(answer),
            action_url=reverse("prep:practice_answer", args=[answer.pk]),
            form=_card_form(_own_prefix(answer), answer, failed),
            answer=answer,
            now=now,
        )
        for answer in sorted(answers, key=lambda answer: answer.pk)
    ]


def _practice_page(
    request: HttpRequest,
    *,
    failed: dict[str, PracticeForm] | None = None,
    question_form: OwnQuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    failed = failed or {}
    library_answers: dict[str, PracticeAnswer] = {}
    own_answers: list[PracticeAnswer] = []
    for answer in PracticeAnswer.objects.for_user(request.user):
        if answer.library_key in LIBRARY:
            # Rows come most recently practised first: that one is the answer to show.
            library_answers.setdefault(answer.library_key, answer)
        else:
            own_answers.append(answer)
    now = timezone.now()
    context = {
        "groups": _library_groups(library_answers, _stories_by_competency(request.user), failed, now),
        "own_cards": _own_cards(own_answers, failed, now),
        "question_form": question_form or OwnQuestionForm(user=request.user),
    }
    return render(request, "prep/practice.html", context, status=status)


def _saved(request: HttpRequest, form: PracticeForm, prefix: str) -> HttpResponse:
    if form.cleaned_data["practised"]:
        messages.success(
            request, "Practised: nicely done. Saying it once more in a day or two makes it stick."
        )
    else:
        messages.success(request, "Your answer is saved.")
    return redirect(f"{reverse('prep:practice')}#{prefix}")


@login_required
def practice(request: HttpRequest) -> HttpResponse:
    """The page; a post adds a question of the user's own."""
    if request.method != "POST":
        return _practice_page(request)
    form = OwnQuestionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _practice_page(request, question_form=form, status=400)
    answer = services.practice_answer_save(
        owner=request.user, question=form.cleaned_data["question"], answer=""
    )
    messages.success(request, "Your question is added. Jot an outline, then say it out loud.")
    return redirect(f"{reverse('prep:practice')}#{_own_prefix(answer)}")


@login_required
@require_POST
def practice_library(request: HttpRequest, key: str) -> HttpResponse:
    question = LIBRARY.get(key)
    if question is None:
        raise Http404
    prefix = _library_prefix(key)
    form = PracticeForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _practice_page(request, failed={prefix: form}, status=400)
    # The service finds the row by its question: use the wording it was saved with.
    existing = PracticeAnswer.objects.for_user(request.user).filter(library_key=key).first()
    services.practice_answer_save(
        owner=request.user,
        question=existing.question if existing else question.text,
        library_key=key,
        **form.cleaned_data,
    )
    return _saved(request, form, prefix)


@login_required
@require_POST
def practice_answer(request: HttpRequest, pk: int) -> HttpResponse:
    # Library answers are saved through their question's key, so their form always finds them.
    own = PracticeAnswer.objects.for_user(request.user).exclude(library_key__in=LIBRARY)
    answer = get_object_or_404(own, pk=pk)
    prefix = _own_prefix(answer)
    form = PracticeForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _practice_page(request, failed={prefix: form}, status=400)
    services.practice_answer_save(
        owner=request.user, question=answer.question, library_key=answer.library_key, **form.cleaned_data
    )
    return _saved(request, form, prefix)
