import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.journal import checklists
from apps.journal.models import Lesson, Reflection
from tests.helpers import assert_only_owner_can_open, assert_redirects_to_login
from tests.journal.factories import LessonFactory, ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(owner):
    yesterday = timezone.now() - dt.timedelta(days=1)
    application = ApplicationFactory(owner=owner, role_title="Platform Engineer")
    return InterviewFactory(
        application=application,
        round_number=1,
        starts_at=yesterday,
        ends_at=yesterday + dt.timedelta(hours=1),
    )


def _form(**overrides):
    data = {
        "account": "Left home at 8. The panel was two engineers and a manager.",
        "went_well": "The design question",
        "to_improve": "Prepare questions to ask\n- Slow down when nervous",
        "good_signs": ["ran_long", "next_steps_clear"],
        "warning_signs": ["awkward_close"],
        "mistakes": ["rambled"],
        "confidence": "4",
        "gut_score": "5",
        "gut_note": "Felt right",
        "version": "0",
    }
    data.update(overrides)
    return data


def test_the_reflection_pages_open_only_for_their_owner(visitors, interview):
    ReflectionFactory(interview=interview)

    assert_only_owner_can_open(visitors, reverse("journal:reflect", args=[interview.pk]))
    assert_only_owner_can_open(visitors, reverse("journal:reflection", args=[interview.pk]))


@pytest.mark.parametrize("name", ["journal:journal", "journal:lessons"])
def test_journal_pages_ask_a_visitor_to_log_in(client, name):
    assert_redirects_to_login(client.get(reverse(name)))


def test_the_form_lists_every_checklist_item(visitors, interview):
    page = visitors.owner.get(reverse("journal:reflect", args=[interview.pk])).content.decode()

    for item in (*checklists.GOOD_SIGNS, *checklists.WARNING_SIGNS, *checklists.MISTAKES):
        assert f'value="{item.key}"' in page
    for question in checklists.RIGHT_JOB_QUESTIONS:
        assert question.question.replace("'", "&#x27;") in page


def test_autosave_stores_the_draft_and_answers_with_the_new_version(visitors, interview):
    response = visitors.owner.post(reverse("journal:autosave", args=[interview.pk]), _form())

    assert response.status_code == 200
    assert response.json()["version"] == 1
    reflection = Reflection.objects.get(interview=interview)
    assert reflection.good_signs == ["ran_long", "next_steps_clear"]
    assert (reflection.confidence, reflection.gut_score, reflection.status) == (4, 5, "draft")


def test_autosave_from_a_stale_tab_is_a_conflict_carrying_the_other_text(visitors, interview):
    url = reverse("journal:autosave", args=[interview.pk])
    visitors.owner.post(url, _form(account="Written on my phone"))

    response = visitors.owner.post(url, _form(account="Written on my laptop"))

    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True
    assert body["version"] == 1
    assert body["theirs"]["account"] == "Written on my phone"
    assert Reflection.objects.get().account == "Written on my phone"


def test_a_stale_plain_submit_shows_both_texts_and_keeps_yours_in_the_form(visitors, interview):
    visitors.owner.post(reverse("journal:autosave", args=[interview.pk]), _form(account="Phone version"))

    response = visitors.owner.post(
        reverse("journal:reflect", args=[interview.pk]), _form(account="Laptop version")
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "also changed somewhere else" in page
    assert "Phone version" in page and "Laptop version" in page
    assert 'name="version" value="1"' in page  # saving again now keeps the laptop's text


def test_autosave_for_someone_elses_interview_is_refused(visitors, interview):
    response = visitors.stranger.post(reverse("journal:autosave", args=[interview.pk]), _form())

    assert response.status_code == 404
    assert not Reflection.objects.exists()


def test_autosave_for_an_interview_deleted_meanwhile_says_so(visitors, interview):
    url = reverse("journal:autosave", args=[interview.pk])
    interview.delete()

    response = visitors.owner.post(url, _form())

    assert response.status_code == 404
    assert "no longer exists" in response.json()["error"]
    assert "kept on this device" in response.json()["error"]


def test_autosave_needs_a_logged_in_user(client, interview):
    response = client.post(reverse("journal:autosave", args=[interview.pk]), _form())

    assert_redirects_to_login(response)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"confidence": "7"}, "confidence", "Choose a score from 1 to 5."),
        ({"gut_score": "0"}, "gut_score", "Choose a score from 1 to 5."),
        ({"good_signs": ["ran_long", "they_offered_on_the_spot"]}, "good_signs", "Select a valid choice"),
        ({"account": "x" * 50_000}, "account", "longer than the 30,000 characters"),
    ],
)
def test_bad_answers_are_refused_and_never_stored(visitors, interview, overrides, field, message):
    response = visitors.owner.post(reverse("journal:autosave", args=[interview.pk]), _form(**overrides))

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not Reflection.objects.exists()


def test_a_plain_submit_with_a_mistake_keeps_every_field(visitors, interview):
    response = visitors.owner.post(reverse("journal:reflect", args=[interview.pk]), _form(confidence="9"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a score from 1 to 5." in page
    assert "Left home at 8." in page
    assert re.search(r'value="ran_long"\s+id="id_good_signs_0" checked', page)


def test_done_saves_a_final_reflection_and_shows_the_signs_without_a_verdict(visitors, interview):
    response = visitors.owner.post(
        reverse("journal:reflect", args=[interview.pk]), _form(finalise="1"), follow=True
    )

    page = response.content.decode()
    assert Reflection.objects.get().status == "final"
    assert "2 of 11 good signs" in page
    assert "1 warning sign" in page
    assert "Signs, not a verdict" in page


def test_markup_in_a_reflection_is_shown_as_text(visitors, interview):
    visitors.owner.post(
        reverse("journal:autosave", args=[interview.pk]), _form(account="<script>alert(1)</script>")
    )

    page = visitors.owner.get(reverse("journal:reflection", args=[interview.pk])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_each_line_to_improve_can_become_a_lesson(visitors, interview):
    reflection = ReflectionFactory(interview=interview, to_improve="Prepare questions to ask\n- Slow down")
    page = visitors.owner.get(reverse("journal:reflection", args=[interview.pk])).content.decode()
    assert 'value="Slow down"' in page

    visitors.owner.post(reverse("journal:lesson_create", args=[interview.pk]), {"text": "Slow down"})

    lesson = Lesson.objects.get()
    assert (lesson.owner, lesson.reflection, lesson.status) == (visitors.owner_user, reflection, "open")
    page = visitors.owner.get(reverse("journal:reflection", args=[interview.pk])).content.decode()
    assert 'value="Slow down"' not in page  # no longer suggested: it is a lesson now


def test_a_stranger_cannot_add_or_tick_off_lessons(visitors, interview):
    ReflectionFactory(interview=interview)
    lesson = LessonFactory(owner=visitors.owner_user)

    create = visitors.stranger.post(reverse("journal:lesson_create", args=[interview.pk]), {"text": "Sneaky"})
    tick = visitors.stranger.post(reverse("journal:lesson_practised", args=[lesson.pk]), {"practised": "yes"})

    assert create.status_code == tick.status_code == 404
    lesson.refresh_from_db()
    assert lesson.status == "open"
    assert Lesson.objects.count() == 1


def test_open_lessons_come_back_on_the_next_interviews_page_and_the_dashboard(visitors, interview):
    LessonFactory(owner=visitors.owner_user, text="Have three questions ready")
    done = LessonFactory(owner=visitors.owner_user, text="Arrive ten minutes early")
    visitors.owner.post(reverse("journal:lesson_practised", args=[done.pk]), {"practised": "yes"})
    next_round = InterviewFactory(
        application=interview.application, round_number=2, starts_at=timezone.now() + dt.timedelta(days=3)
    )

    application_page = visitors.owner.get(
        reverse("pipeline:application_detail", args=[next_round.application_id])
    ).content.decode()
    dashboard = visitors.owner.get("/").content.decode()

    for page in (application_page, dashboard):
        assert "Have three questions ready" in page
        assert "Arrive ten minutes early" not in page


def test_the_dashboard_and_journal_ask_for_a_reflection_on_a_recent_interview(visitors, interview):
    for url in ("/", reverse("journal:journal")):
        page = visitors.owner.get(url).content.decode()
        assert reverse("journal:reflect", args=[interview.pk]) in page


def test_the_journal_lists_reflections_newest_first_and_filters_them(visitors, interview):
    older = InterviewFactory(
        application=ApplicationFactory(owner=visitors.owner_user, role_title="Older Role"),
        starts_at=timezone.now() - dt.timedelta(days=30),
    )
    ReflectionFactory(interview=interview, confidence=4)
    ReflectionFactory(interview=older, confidence=2)
    ReflectionFactory(
        interview=InterviewFactory(
            application=ApplicationFactory(owner=visitors.stranger_user, role_title="Stranger Role")
        )
    )

    def entries(**query) -> str:
        page = visitors.owner.get(reverse("journal:journal"), query).content.decode()
        return page[page.find("<ol") :] if "<ol" in page else ""  # the list itself, not the filter

    page, filtered = entries(), entries(confidence="2")
    by_role, by_stranger = entries(application="older"), entries(application="Stranger")

    assert page.index("Platform Engineer") < page.index("Older Role")
    assert "Stranger Role" not in page
    assert "Older Role" in filtered and "Platform Engineer" not in filtered
    assert "Older Role" in by_role and "Platform Engineer" not in by_role
    assert "Stranger Role" not in by_stranger


def _draft(base: dict | None = None, **overrides) -> dict:
    """A post from drafts.js: the form as it is now, and the values it was edited from."""
    data = _form(**overrides)
    data["draft_base"] = json.dumps(base if base is not None else {})
    return data


def test_two_tabs_editing_different_answers_both_keep_their_edits(visitors, interview):
    url = reverse("journal:autosave", args=[interview.pk])
    empty = {"account": [""], "went_well": [""]}
    first = visitors.owner.post(
        url, _draft(empty, account="From the first tab", went_well="", editor="tab-1")
    )
    assert first.status_code == 200

    second = visitors.owner.post(
        url, _draft(empty, account="", went_well="From the second tab", editor="tab-2")
    )

    assert second.status_code == 200
    reflection = Reflection.objects.get()
    assert (reflection.account, reflection.went_well) == ("From the first tab", "From the second tab")
    # The second tab is told what the first one wrote, to show it in its form.
    assert second.json()["fields"]["account"] == ["From the first tab"]
    assert second.json()["conflicts"] == []


def test_the_same_answer_edited_in_two_tabs_comes_back_with_both_versions(visitors, interview):
    url = reverse("journal:autosave", args=[interview.pk])
    visitors.owner.post(url, _draft({"account": [""]}, account="Phone version", editor="phone"))

    response = visitors.owner.post(url, _draft({"account": [""]}, account="Laptop version", editor="laptop"))

    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert conflict == {
        "name": "account",
        "label": "How it went, from the start",
        "theirs": "Phone version",
        "mine": "Laptop version",
    }
    assert Reflection.objects.get().account == "Phone version"  # nothing overwritten unseen

    # The person keeps both: edited from what is saved now, it saves.
    both = "Phone version\n\nLaptop version"
    again = visitors.owner.post(url, _draft({"account": ["Phone version"]}, account=both, editor="laptop"))
    assert again.status_code == 200
    assert Reflection.objects.get().account == both


def test_done_from_a_stale_tab_merges_and_asks_only_about_the_answer_both_changed(visitors, interview):
    autosave = reverse("journal:autosave", args=[interview.pk])
    empty = {"account": [""], "went_well": [""], "gut_note": [""]}
    visitors.owner.post(
        autosave, _draft(empty, account="Phone", went_well="", gut_note="Phone gut", editor="p")
    )

    response = visitors.owner.post(
        reverse("journal:reflect", args=[interview.pk]),
        {
            **_draft(empty, account="Laptop", went_well="Laptop went well", gut_note="", editor="l"),
            "finalise": "1",
        },
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Phone" in page and "Laptop" in page
    reflection = Reflection.objects.get()
    assert (reflection.account, reflection.went_well, reflection.gut_note) == (
        "Phone",
        "Laptop went well",
        "Phone gut",
    )
    assert reflection.status == "draft"  # not final while an answer is undecided
    # The form shows the merged answers, and this copy's text where they disagree.
    assert "Phone gut</textarea>" in page and "Laptop</textarea>" in page


def test_the_journal_shows_older_entries_on_demand_each_once_and_keeps_its_filter(visitors):
    from html import unescape

    same_day = timezone.now() - dt.timedelta(days=10)  # ties in the sort column: the key breaks them
    made = []
    for number in range(45):
        application = ApplicationFactory(owner=visitors.owner_user, role_title=f"Kept {number}")
        made.append(
            ReflectionFactory(
                interview=InterviewFactory(
                    application=application, starts_at=same_day - dt.timedelta(days=number % 4)
                )
            ).pk
        )
    ReflectionFactory(
        interview=InterviewFactory(
            application=ApplicationFactory(owner=visitors.owner_user, role_title="Other")
        )
    )
    more = re.compile(r'hx-get="([^"]*after=[^"]*)"')
    entry = re.compile(r'href="/interviews/(\d+)/reflection/"')

    answer = visitors.owner.get(reverse("journal:journal"), {"application": "kept"}).content.decode()
    seen, answers = entry.findall(answer), 1
    while found := more.search(answer):
        answer = visitors.owner.get(unescape(found.group(1)), headers={"HX-Request": "true"}).content.decode()
        seen += entry.findall(answer)
        answers += 1

    expected = Reflection.objects.filter(pk__in=made).values_list("interview_id", flat=True)
    assert sorted(int(pk) for pk in seen) == sorted(expected)
    assert answers == 3  # 20 + 20 + 5
