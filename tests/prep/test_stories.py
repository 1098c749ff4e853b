"""The story bank and the practice questions, as the job seeker uses them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.prep.models import PlanStory, PracticeAnswer, Story
from tests.helpers import assert_only_owner_can_open, assert_redirects_to_login
from tests.prep.factories import PrepPlanFactory, StoryFactory

pytestmark = pytest.mark.django_db

STORIES_URL = reverse("prep:stories")
CREATE_URL = reverse("prep:story_create")
PRACTICE_URL = reverse("prep:practice")


@pytest.fixture
def story(owner) -> Story:
    return StoryFactory(owner=owner, title="The billing migration", competencies=["deadline", "leadership"])


def _story_data(**overrides: object) -> dict:
    data = {
        "title": "Calming an angry client",
        "situation": "A client threatened to leave after a failed release.",
        "task": "Keep the account.",
        "action": "I called them the same day and agreed a fix date.",
        "result": "They renewed for two years.",
        "competencies": ["customer", "conflict"],
    }
    data.update(overrides)
    return data


def _ticked(page: str, key: str) -> bool:
    return re.search(rf'value="{key}"\s+id="[^"]+" checked', page) is not None


def _page(client, url: str, params: dict | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    # timesince keeps "3 days" together with a non-breaking space.
    return response.content.decode().replace("\xa0", " ")


# --- Who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["prep:story_edit", "prep:story_delete"])
def test_a_story_opens_only_for_the_person_who_wrote_it(visitors, story, name):
    assert_only_owner_can_open(visitors, reverse(name, args=[story.pk]))


@pytest.mark.parametrize("url", [STORIES_URL, CREATE_URL, PRACTICE_URL])
def test_story_and_practice_pages_ask_a_visitor_to_log_in_and_open_for_anyone_signed_in(visitors, url):
    assert_redirects_to_login(visitors.anonymous.get(url))
    assert visitors.owner.get(url).status_code == 200
    assert visitors.stranger.get(url).status_code == 200


def test_saving_a_practice_answer_asks_a_visitor_to_log_in(visitors):
    own = PracticeAnswer.objects.create(owner=visitors.owner_user, question="Why did you leave?")

    for url in (
        reverse("prep:practice_library", args=["why_us"]),
        reverse("prep:practice_answer", args=[own.pk]),
    ):
        assert_redirects_to_login(visitors.anonymous.post(url, {}))
    assert not PracticeAnswer.objects.filter(library_key="why_us").exists()


def test_a_stranger_cannot_edit_delete_or_answer_someone_elses_things(visitors, story):
    own = PracticeAnswer.objects.create(
        owner=visitors.owner_user, question="Why did you leave?", answer="Mine"
    )
    prefix = f"own-{own.pk}"

    edit = visitors.stranger.post(reverse("prep:story_edit", args=[story.pk]), _story_data(title="Hijacked"))
    delete = visitors.stranger.post(reverse("prep:story_delete", args=[story.pk]))
    answer = visitors.stranger.post(
        reverse("prep:practice_answer", args=[own.pk]),
        {f"{prefix}-answer": "Theirs", f"{prefix}-practised": "on"},
    )

    assert (edit.status_code, delete.status_code, answer.status_code) == (404, 404, 404)
    story.refresh_from_db()
    own.refresh_from_db()
    assert story.title == "The billing migration"
    assert (own.answer, own.last_practised_at) == ("Mine", None)


# --- Writing stories --------------------------------------------------------------------------


def test_a_new_story_is_saved_with_the_skills_it_shows(visitors):
    response = visitors.owner.post(CREATE_URL, _story_data())

    saved = Story.objects.get(owner=visitors.owner_user)
    assert response.status_code == 302
    assert response["Location"] == f"{STORIES_URL}#story-{saved.pk}"
    assert saved.title == "Calming an angry client"
    assert saved.result == "They renewed for two years."
    # Kept in the guide's order, whatever order the boxes were ticked in.
    assert saved.competencies == ["conflict", "customer"]
    listed = _page(visitors.owner, STORIES_URL)
    assert "Calming an angry client" in listed and "Customer focus" in listed and "Conflict" in listed


def test_the_story_form_prompts_each_star_part(visitors):
    page = _page(visitors.owner, CREATE_URL)

    for prompt in (
        "Where were you, what was going on?",
        "What was yours to do?",
        "What did YOU do — steps, decisions",
        "What changed? Numbers if you have them",
    ):
        assert prompt in page


def test_an_unknown_skill_is_refused_and_nothing_is_saved(visitors):
    response = visitors.owner.post(CREATE_URL, _story_data(competencies=["conflict", "juggling"]))

    assert response.status_code == 400
    assert "is not one on the list" in response.content.decode()
    assert not Story.objects.exists()


def test_a_title_that_is_too_long_is_explained_and_everything_typed_is_kept(visitors):
    response = visitors.owner.post(CREATE_URL, _story_data(title="x" * 201))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Keep the title to 200 characters (it has 201)" in page
    assert 'value="' + "x" * 201 + '"' in page
    assert "A client threatened to leave after a failed release." in page
    assert "I called them the same day and agreed a fix date." in page
    assert _ticked(page, "customer") and _ticked(page, "conflict") and not _ticked(page, "failure")
    assert not Story.objects.exists()


def test_a_story_without_a_title_is_refused(visitors):
    response = visitors.owner.post(CREATE_URL, _story_data(title="   "))

    assert response.status_code == 400
    assert "Give the story a short title." in response.content.decode()
    assert not Story.objects.exists()


def test_editing_a_story_shows_what_was_written_and_saves_the_change(visitors, story):
    url = reverse("prep:story_edit", args=[story.pk])
    assert "The billing migration" in _page(visitors.owner, url)

    response = visitors.owner.post(url, _story_data(title="The billing migration, told better"))

    story.refresh_from_db()
    assert response.status_code == 302
    assert story.title == "The billing migration, told better"
    assert story.competencies == ["conflict", "customer"]


def test_a_refused_edit_leaves_the_saved_story_as_it_was(visitors, story):
    response = visitors.owner.post(
        reverse("prep:story_edit", args=[story.pk]), _story_data(title="y" * 201, situation="New words")
    )

    assert response.status_code == 400
    assert "New words" in response.content.decode()
    story.refresh_from_db()
    assert story.title == "The billing migration"


def test_arriving_from_a_practice_question_ticks_its_skill(visitors):
    page = _page(visitors.owner, CREATE_URL, {"competency": "failure"})

    assert _ticked(page, "failure") and not _ticked(page, "conflict")


# --- Finding stories --------------------------------------------------------------------------


def test_filtering_by_skill_shows_only_stories_that_prove_it(visitors, story):
    StoryFactory(owner=visitors.owner_user, title="The team offsite", competencies=["teamwork"])
    StoryFactory(owner=visitors.stranger_user, title="Someone else's deadline", competencies=["deadline"])

    page = _page(visitors.owner, STORIES_URL, {"competency": "deadline"})

    assert "The billing migration" in page
    assert "The team offsite" not in page
    assert "Someone else" not in page


def test_searching_finds_a_word_anywhere_in_the_story_but_never_someone_elses(visitors, story):
    StoryFactory(owner=visitors.owner_user, title="The offsite", action="I booked a barge on the canal.")
    StoryFactory(owner=visitors.stranger_user, title="Another barge trip", action="A barge, again.")

    page = _page(visitors.owner, STORIES_URL, {"q": "BARGE"})

    assert "The offsite" in page
    assert "The billing migration" not in page
    assert "Another barge trip" not in page


def test_an_unknown_skill_in_the_address_shows_every_story(visitors, story):
    assert "The billing migration" in _page(visitors.owner, STORIES_URL, {"competency": "juggling"})


def test_the_list_says_how_many_interviews_each_story_was_chosen_for(visitors, story):
    for _ in range(2):
        PlanStory.objects.create(
            plan=PrepPlanFactory(interview__application__owner=visitors.owner_user), story=story
        )
    StoryFactory(owner=visitors.owner_user, title="Unused one")

    page = _page(visitors.owner, STORIES_URL)

    assert "Chosen for 2 interviews" in page
    assert "Not chosen for an interview yet" in page


def test_a_search_as_you_type_gets_only_the_results(visitors, story):
    response = visitors.owner.get(STORIES_URL, {"q": "billing"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="results">')
    assert "The billing migration" in page


def test_a_new_user_is_encouraged_to_write_a_first_story(visitors):
    assert "Write your first story" in _page(visitors.owner, STORIES_URL)


def test_html_typed_in_a_story_is_shown_as_text(visitors):
    StoryFactory(
        owner=visitors.owner_user,
        title="<script>alert('title')</script>",
        situation="<img src=x onerror=alert(1)>",
        competencies=["conflict"],
    )

    for url in (STORIES_URL, PRACTICE_URL):
        page = _page(visitors.owner, url)
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in _page(visitors.owner, STORIES_URL)


def _fill_story_bank(user, count: int) -> None:
    stories = Story.objects.bulk_create(
        Story(owner=user, title=f"Story {n}", situation="Busy quarter", competencies=["deadline", "teamwork"])
        for n in range(count)
    )
    plan = PrepPlanFactory(interview__application__owner=user)
    PlanStory.objects.bulk_create(PlanStory(plan=plan, story=story) for story in stories[::2])


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [STORIES_URL, f"{STORIES_URL}?competency=deadline&q=busy", PRACTICE_URL])
def test_pages_cost_the_same_number_of_queries_with_3_or_30_stories(visitors, url):
    _fill_story_bank(visitors.owner_user, 3)
    _fill_story_bank(visitors.stranger_user, 30)

    small = _queries(visitors.owner, url)
    large = _queries(visitors.stranger, url)

    assert small == large, (small, large)


# --- Deleting stories -------------------------------------------------------------------------


def test_deleting_a_story_asks_first_then_removes_it_from_the_bank_and_its_interviews(visitors, story):
    PlanStory.objects.create(
        plan=PrepPlanFactory(interview__application__owner=visitors.owner_user), story=story
    )
    url = reverse("prep:story_delete", args=[story.pk])

    question = _page(visitors.owner, url)
    assert "Delete “The billing migration”?" in question
    assert "You chose it for 1 interview" in question
    assert Story.objects.filter(pk=story.pk).exists()

    response = visitors.owner.post(url)

    assert response.status_code == 302
    assert response["Location"] == STORIES_URL
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not PlanStory.objects.exists()


# --- Practice questions -----------------------------------------------------------------------


def test_the_practice_page_groups_library_questions_by_skill(visitors):
    page = _page(visitors.owner, PRACTICE_URL)

    assert "Deadline pressure" in page
    assert "Describe a piece of work you delivered under a tight deadline." in page
    assert "About you and this job" in page
    assert "Why this company, and why now?" in page
    assert "Not practised yet" in page


def test_practising_a_library_question_records_when_and_shows_it_days_later(visitors):
    practised_at = timezone.now().replace(microsecond=0)
    url = reverse("prep:practice_library", args=["tight_deadline"])

    with time_machine.travel(practised_at, tick=False):
        response = visitors.owner.post(
            url, {"q-tight_deadline-answer": "The billing weekend.", "q-tight_deadline-practised": "on"}
        )
    assert response.status_code == 302
    assert response["Location"] == f"{PRACTICE_URL}#q-tight_deadline"
    saved = PracticeAnswer.objects.get(owner=visitors.owner_user, library_key="tight_deadline")
    assert saved.last_practised_at == practised_at
    assert saved.answer == "The billing weekend."

    with time_machine.travel(practised_at + dt.timedelta(days=3, hours=2), tick=False):
        page = _page(visitors.owner, PRACTICE_URL)
    assert "Last practised 3 days ago" in page
    assert "The billing weekend." in page


def test_saving_an_answer_without_practising_keeps_it_unpractised(visitors):
    visitors.owner.post(
        reverse("prep:practice_library", args=["why_us"]), {"q-why_us-answer": "Their mission."}
    )

    saved = PracticeAnswer.objects.get(owner=visitors.owner_user, library_key="why_us")
    assert (saved.answer, saved.last_practised_at) == ("Their mission.", None)


def test_practising_again_updates_the_same_answer(visitors):
    url = reverse("prep:practice_library", args=["why_us"])
    visitors.owner.post(url, {"q-why_us-answer": "First go", "q-why_us-practised": "on"})
    visitors.owner.post(url, {"q-why_us-answer": "Second go", "q-why_us-practised": "on"})

    assert list(PracticeAnswer.objects.values_list("answer", flat=True)) == ["Second go"]


def test_an_unknown_library_question_is_not_found(visitors):
    response = visitors.owner.post(reverse("prep:practice_library", args=["no_such_question"]), {})

    assert response.status_code == 404


def test_a_too_long_answer_is_explained_and_kept(visitors):
    typed = "Long answer. " * 400
    response = visitors.owner.post(
        reverse("prep:practice_library", args=["why_us"]),
        {"q-why_us-answer": typed, "q-why_us-practised": "on"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Keep the answer to 5000 characters" in page
    assert typed.strip() in page
    assert not PracticeAnswer.objects.exists()


def test_library_questions_hint_at_your_stories_for_that_skill_and_never_anyone_elses(visitors, story):
    StoryFactory(owner=visitors.stranger_user, title="A stranger's deadline", competencies=["deadline"])

    page = _page(visitors.owner, PRACTICE_URL)

    assert "Stories that fit:" in page
    assert f'href="{STORIES_URL}#story-{story.pk}">The billing migration</a>' in page
    assert "A stranger" not in page
    # A skill with no story yet offers to write one, with that skill ticked.
    assert f'href="{CREATE_URL}?competency=conflict"' in page


def test_adding_your_own_question_puts_it_on_the_page_ready_to_practise(visitors):
    response = visitors.owner.post(PRACTICE_URL, {"question": "  Why did you   leave your last job? "})

    own = PracticeAnswer.objects.get(owner=visitors.owner_user)
    assert response.status_code == 302
    assert response["Location"] == f"{PRACTICE_URL}#own-{own.pk}"
    assert (own.question, own.library_key) == ("Why did you leave your last job?", "")

    practised = visitors.owner.post(
        reverse("prep:practice_answer", args=[own.pk]),
        {f"own-{own.pk}-answer": "To grow.", f"own-{own.pk}-practised": "on"},
    )
    assert practised.status_code == 302
    own.refresh_from_db()
    assert own.answer == "To grow." and own.last_practised_at is not None
    page = _page(visitors.owner, PRACTICE_URL)
    assert "Why did you leave your last job?" in page
    assert "Last practised just now" in page


def test_adding_a_question_you_already_have_keeps_its_answer(visitors):
    PracticeAnswer.objects.create(owner=visitors.owner_user, question="Why did you leave?", answer="To grow.")

    again = visitors.owner.post(PRACTICE_URL, {"question": "why did you LEAVE?"})
    library = visitors.owner.post(PRACTICE_URL, {"question": "Why this company, and why now?"})

    assert again.status_code == 400
    assert "You already have this question on your list." in again.content.decode()
    assert library.status_code == 400
    assert "already among the questions here" in library.content.decode()
    assert list(PracticeAnswer.objects.values_list("answer", flat=True)) == ["To grow."]


def test_an_empty_question_is_refused(visitors):
    response = visitors.owner.post(PRACTICE_URL, {"question": "   "})

    assert response.status_code == 400
    assert "Type the question you want to practise." in response.content.decode()
    assert not PracticeAnswer.objects.exists()


def test_html_in_your_own_question_and_answer_is_shown_as_text(visitors):
    PracticeAnswer.objects.create(
        owner=visitors.owner_user, question="<b>Bold?</b>", answer="</textarea><script>x()</script>"
    )

    page = _page(visitors.owner, PRACTICE_URL)

    assert "<b>Bold?</b>" not in page and "&lt;b&gt;Bold?&lt;/b&gt;" in page
    assert "<script>x()" not in page
