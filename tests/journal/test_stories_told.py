"""The reflection notes which STAR stories were told, and who on the panel heard each."""

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.journal import services
from apps.journal.models import Reflection, ToldStory
from apps.prep import services as prep
from tests.contacts.factories import ContactFactory
from tests.helpers import count_queries
from tests.pipeline.factories import ApplicationFactory, InterviewFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(owner):
    """Yesterday's first round, with Ana and Ben on the panel."""
    yesterday = timezone.now() - dt.timedelta(days=1)
    interview = InterviewFactory(
        application=ApplicationFactory(owner=owner),
        round_number=1,
        starts_at=yesterday,
        ends_at=yesterday + dt.timedelta(hours=1),
    )
    for name in ("Ana", "Ben"):
        contacts.interview_add_participant(
            interview=interview, contact=ContactFactory(owner=owner, name=name, kind="interviewer")
        )
    return interview


def _people(interview) -> dict[str, int]:
    return {person.name: person.pk for person in interview.participants.all()}


def _told(interview) -> dict[str, list[str]]:
    """Story title -> who heard it, as recorded."""
    return {
        told.story.title: [person.name for person in told.heard_by.all()]
        for told in ToldStory.objects.filter(reflection__interview=interview).order_by("story__title")
    }


# --- The service --------------------------------------------------------------------------------


def test_stories_told_are_recorded_with_who_heard_them(owner, interview):
    migration = StoryFactory(owner=owner, title="The migration weekend")
    people = _people(interview)

    reflection = services.reflection_save(
        interview=interview,
        fields={"account": "Went fine"},
        base_version=0,
        told={migration.pk: [people["Ana"]]},
    )

    assert reflection.account == "Went fine"
    assert _told(interview) == {"The migration weekend": ["Ana"]}


def test_stories_told_can_be_changed_and_taken_back(owner, interview):
    migration = StoryFactory(owner=owner, title="The migration weekend")
    outage = StoryFactory(owner=owner, title="The outage")
    people = _people(interview)
    services.reflection_save(
        interview=interview, fields={}, base_version=0, told={migration.pk: [people["Ana"]]}
    )

    services.reflection_save(
        interview=interview,
        fields={},
        base_version=1,
        told={migration.pk: [people["Ana"], people["Ben"]], outage.pk: [people["Ben"]]},
    )
    assert _told(interview) == {"The migration weekend": ["Ana", "Ben"], "The outage": ["Ben"]}

    services.reflection_save(
        interview=interview, fields={}, base_version=2, told={outage.pk: [people["Ben"]]}
    )
    assert _told(interview) == {"The outage": ["Ben"]}

    services.reflection_save(interview=interview, fields={}, base_version=3, told={})
    assert _told(interview) == {}


def test_a_save_that_says_nothing_about_stories_leaves_them_as_they_were(owner, interview):
    story = StoryFactory(owner=owner, title="The migration weekend")
    services.reflection_save(
        interview=interview, fields={}, base_version=0, told={story.pk: [_people(interview)["Ana"]]}
    )

    services.reflection_save(interview=interview, fields={"went_well": "The design part"}, base_version=1)

    assert _told(interview) == {"The migration weekend": ["Ana"]}


def test_someone_elses_story_is_refused_and_nothing_is_saved(owner, stranger, interview):
    theirs = StoryFactory(owner=stranger, title="Not yours")

    with pytest.raises(ValidationError, match="Only your own stories"):
        services.reflection_save(
            interview=interview, fields={"account": "Typed"}, base_version=0, told={theirs.pk: []}
        )

    assert not ToldStory.objects.exists()
    assert not Reflection.objects.exists()


def test_someone_not_on_this_panel_cannot_have_heard_it(owner, interview):
    story = StoryFactory(owner=owner)
    elsewhere = InterviewFactory(application=interview.application, round_number=2)
    other = contacts.interview_add_participant(interview=elsewhere, contact=ContactFactory(owner=owner))

    with pytest.raises(ValidationError, match="on this interview's panel"):
        services.reflection_save(interview=interview, fields={}, base_version=0, told={story.pk: [other.pk]})

    assert not ToldStory.objects.exists()


def test_two_tabs_noting_different_stories_keep_both(owner, interview):
    migration = StoryFactory(owner=owner, title="The migration weekend")
    outage = StoryFactory(owner=owner, title="The outage")
    people = _people(interview)
    services.reflection_save_draft(
        interview=interview,
        fields={},
        base_fields={},
        told={migration.pk: [people["Ana"]]},
        base_told={},
        editor="phone",
    )

    services.reflection_save_draft(
        interview=interview,
        fields={},
        base_fields={},
        told={outage.pk: [people["Ben"]]},
        base_told={},
        editor="laptop",
    )

    assert _told(interview) == {"The migration weekend": ["Ana"], "The outage": ["Ben"]}


# --- The reflect page ---------------------------------------------------------------------------


def _form(**overrides):
    data = {"account": "Two engineers, then the manager.", "version": "0"}
    data.update(overrides)
    return data


def _story_box(page: str, story, value: str = "told") -> re.Match | None:
    return re.search(rf'<input[^>]*name="story_{story.pk}" value="{value}"[^>]*>', page)


def test_the_page_offers_the_persons_stories_with_the_panel_to_untick(visitors, interview):
    mine = StoryFactory(owner=visitors.owner_user, title="The migration weekend")
    StoryFactory(owner=visitors.stranger_user, title="A stranger's story")

    page = visitors.owner.get(reverse("journal:reflect", args=[interview.pk])).content.decode()

    assert "Stories you told" in page
    assert _story_box(page, mine) and "The migration weekend" in page
    for name, pk in _people(interview).items():
        assert _story_box(page, mine, str(pk)) and f">{name}</label>" in page
    assert "A stranger&#x27;s story" not in page


def test_a_person_with_no_stories_is_told_where_they_live(visitors, interview):
    page = visitors.owner.get(reverse("journal:reflect", args=[interview.pk])).content.decode()

    assert reverse("prep:stories") in page


def test_ticked_stories_are_saved_to_whom_they_were_told_and_shown_again(visitors, interview):
    migration = StoryFactory(owner=visitors.owner_user, title="The migration weekend")
    outage = StoryFactory(owner=visitors.owner_user, title="The outage")
    StoryFactory(owner=visitors.owner_user, title="Not told")
    people = _people(interview)
    url = reverse("journal:reflect", args=[interview.pk])

    response = visitors.owner.post(
        url,
        _form(**{f"story_{migration.pk}": ["told", str(people["Ben"])], f"story_{outage.pk}": ["told"]}),
    )

    assert response.status_code == 302
    # Nobody picked under a story: the whole panel heard it.
    assert _told(interview) == {"The migration weekend": ["Ben"], "The outage": ["Ana", "Ben"]}
    page = visitors.owner.get(url).content.decode()
    assert "checked" in _story_box(page, migration).group(0)
    assert "checked" in _story_box(page, migration, str(people["Ben"])).group(0)
    assert "checked" not in _story_box(page, migration, str(people["Ana"])).group(0)
    assert "checked" in _story_box(page, outage, str(people["Ana"])).group(0)


def test_autosave_keeps_the_stories_and_answers_with_them(visitors, interview):
    story = StoryFactory(owner=visitors.owner_user)
    ana = _people(interview)["Ana"]
    field = f"story_{story.pk}"
    url = reverse("journal:autosave", args=[interview.pk])

    response = visitors.owner.post(
        url, {**_form(**{field: ["told", str(ana)]}), "draft_base": json.dumps({})}
    )

    assert response.status_code == 200
    assert response.json()["fields"][field] == ["told", str(ana)]
    assert ToldStory.objects.get().heard_by.get().pk == ana

    # Unticked in a later save (edited from what was saved): taken back.
    again = visitors.owner.post(url, {**_form(), "draft_base": json.dumps({field: ["told", str(ana)]})})
    assert again.status_code == 200
    assert not ToldStory.objects.exists()


def test_a_stranger_story_posted_is_refused_and_what_was_typed_stays(visitors, interview):
    mine = StoryFactory(owner=visitors.owner_user, title="The migration weekend")
    theirs = StoryFactory(owner=visitors.stranger_user, title="Their story")
    data = _form(**{f"story_{mine.pk}": ["told"], f"story_{theirs.pk}": ["told"]})

    page_answer = visitors.owner.post(reverse("journal:reflect", args=[interview.pk]), data)
    autosave_answer = visitors.owner.post(reverse("journal:autosave", args=[interview.pk]), data)

    assert page_answer.status_code == autosave_answer.status_code == 400
    assert not ToldStory.objects.exists() and not Reflection.objects.exists()
    page = page_answer.content.decode()
    assert "not one of your stories" in page
    assert "Two engineers, then the manager." in page
    assert "checked" in _story_box(page, mine).group(0)  # the person's own tick is still there
    assert "not one of your stories" in " ".join(autosave_answer.json()["errors"]["__all__"])


def test_many_stories_show_the_ones_planned_for_this_round_first_and_the_rest_on_demand(visitors, interview):
    owner = visitors.owner_user
    planned = StoryFactory(owner=owner, title="Chosen for this round")
    prep.plan_add_story(plan=prep.plan_for(interview=interview), story=planned)
    for number in range(15):
        StoryFactory(owner=owner, title=f"Story number {number}")

    page = visitors.owner.get(reverse("journal:reflect", args=[interview.pk])).content.decode()

    shown, _, rest = page.partition("Show all your stories (4 more)")
    assert rest, "the rest of the stories are behind a disclosure"
    assert shown.index("Chosen for this round") < shown.index("Story number 14")
    assert "in your prep for this round" in shown
    assert "Story number 0" in rest


def test_the_page_costs_the_same_queries_with_many_stories_told(visitors, interview):
    url = reverse("journal:reflect", args=[interview.pk])
    first = StoryFactory(owner=visitors.owner_user)
    services.reflection_save(interview=interview, fields={}, base_version=0, told={first.pk: []})
    few = count_queries(visitors.owner, url)

    stories = [StoryFactory(owner=visitors.owner_user) for _ in range(30)]
    everyone = list(_people(interview).values())
    services.reflection_save(
        interview=interview, fields={}, base_version=1, told={story.pk: everyone for story in stories[:10]}
    )

    assert count_queries(visitors.owner, url) == few
