"""The draft store: unsent forms kept on the server as they are typed (apps/core, static/js/drafts.js)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import services
from apps.core.middleware import SENT_DRAFTS_COOKIE
from apps.core.models import FormDraft
from apps.prep.models import Story
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

STORY_KEY = "second-round:draft:/prep/stories/new/"
KINDS = {"title": "text", "situation": "text", "competencies": "ticks", "format": "choice"}
BLANK = {"title": [""], "situation": [""], "competencies": [], "format": ["call"]}


def _keep(client, key=STORY_KEY, *, fields, base=BLANK, origin=BLANK, kinds=KINDS):
    return client.post(
        reverse("form_drafts"),
        {
            "key": key,
            "draft_fields": json.dumps(fields),
            "draft_base": json.dumps(base),
            "draft_origin": json.dumps(origin),
            "draft_kinds": json.dumps(kinds),
        },
    )


def _load(client, *keys):
    return client.get(reverse("form_drafts"), {"key": list(keys)}).json()["drafts"]


def test_a_draft_typed_on_one_device_is_there_on_another(visitors):
    typed = {**BLANK, "title": ["The migration weekend"], "competencies": ["ownership"]}
    answer = _keep(visitors.owner, fields=typed)

    assert answer.status_code == 200
    assert answer.json()["fields"] == typed
    drafts = _load(visitors.owner, STORY_KEY)
    assert drafts[STORY_KEY]["fields"] == typed
    assert drafts[STORY_KEY]["origin"] == BLANK  # what the page showed, for merging it back later


def test_two_copies_editing_different_fields_both_keep_their_edits(visitors):
    _keep(visitors.owner, fields={**BLANK, "title": ["From the phone"]})
    # The laptop started from the blank page and typed only the situation.
    answer = _keep(visitors.owner, fields={**BLANK, "situation": ["From the laptop"]})

    assert answer.status_code == 200
    fields = FormDraft.objects.get().fields
    assert fields["title"] == ["From the phone"]
    assert fields["situation"] == ["From the laptop"]


def test_the_same_text_typed_in_two_copies_keeps_the_first_and_hands_back_both(visitors):
    _keep(visitors.owner, fields={**BLANK, "title": ["From the phone"]})
    answer = _keep(visitors.owner, fields={**BLANK, "title": ["From the laptop"]})

    assert answer.status_code == 409
    assert answer.json()["conflicts"] == [
        {"name": "title", "theirs": "From the phone", "mine": "From the laptop"}
    ]
    assert FormDraft.objects.get().fields["title"] == ["From the phone"]  # nothing overwritten unseen


def test_ticks_merge_and_a_choice_takes_the_latest(visitors):
    _keep(visitors.owner, fields={**BLANK, "competencies": ["ownership"], "format": ["video"]})
    _keep(visitors.owner, fields={**BLANK, "competencies": ["conflict"], "format": ["onsite"]})

    fields = FormDraft.objects.get().fields
    assert fields["competencies"] == ["ownership", "conflict"]
    assert fields["format"] == ["onsite"]


def test_another_persons_draft_of_the_same_form_is_never_shown(visitors):
    _keep(visitors.owner, fields={**BLANK, "title": ["Mine alone"]})

    assert _load(visitors.stranger, STORY_KEY) == {}
    _keep(visitors.stranger, fields={**BLANK, "title": ["Theirs"]})
    assert _load(visitors.owner, STORY_KEY)[STORY_KEY]["fields"]["title"] == ["Mine alone"]


def test_a_page_asks_for_all_its_drafts_in_one_query(visitors):
    keys = [f"second-round:prep:1:part-{number}" for number in range(6)]
    for key in keys:
        _keep(visitors.owner, key, fields={**BLANK, "title": [key]})

    def queries_for(wanted):
        with CaptureQueriesContext(connection) as captured:
            assert len(_load(visitors.owner, *wanted)) == len(wanted)
        return len(captured)

    assert queries_for(keys[:1]) == queries_for(keys)


@pytest.mark.parametrize(
    "field, value",
    [
        ("draft_fields", "not json"),
        ("draft_fields", json.dumps({"title": "a string, not a list"})),
        ("draft_fields", json.dumps({"title": [1, 2]})),
        ("draft_fields", json.dumps({"x" * 101: ["a name too long"]})),
        ("draft_fields", json.dumps({"title": ["x" * 200_001]})),
        ("draft_kinds", json.dumps({"title": "poem"})),
        ("key", ""),
        ("key", "k" * 201),
    ],
)
def test_a_draft_of_the_wrong_shape_is_refused_with_words_not_a_500(visitors, field, value):
    data = {
        "key": STORY_KEY,
        "draft_fields": json.dumps(BLANK),
        "draft_base": json.dumps(BLANK),
        "draft_kinds": json.dumps(KINDS),
        field: value,
    }
    answer = visitors.owner.post(reverse("form_drafts"), data)

    assert answer.status_code == 400
    assert "still on this device" in answer.json()["error"]
    assert not FormDraft.objects.exists()


def test_the_store_is_for_people_logged_in(visitors):
    answer = _keep(visitors.anonymous, fields=BLANK)

    assert answer.status_code == 302
    assert not FormDraft.objects.exists()


def test_the_oldest_drafts_go_when_a_person_has_too_many(visitors, monkeypatch):
    monkeypatch.setattr(services, "MAX_DRAFTS_PER_PERSON", 3)
    for number in range(5):
        _keep(visitors.owner, f"second-round:draft:/form/{number}/", fields=BLANK)

    kept = set(FormDraft.objects.values_list("key", flat=True))
    assert kept == {f"second-round:draft:/form/{number}/" for number in (2, 3, 4)}


# --- sending the form ends its draft ----------------------------------------------------------


def test_a_form_sent_and_accepted_ends_its_draft_and_tells_the_browser(visitors):
    _keep(visitors.owner, fields={**BLANK, "title": ["The migration weekend"]})
    _keep(visitors.owner, "second-round:draft:/elsewhere/", fields=BLANK)

    answer = visitors.owner.post(
        reverse("prep:story_create"),
        {"title": "The migration weekend", "situation": "Friday night", "draft_key": STORY_KEY},
    )

    assert answer.status_code == 302
    assert Story.objects.get().title == "The migration weekend"
    assert list(FormDraft.objects.values_list("key", flat=True)) == ["second-round:draft:/elsewhere/"]
    assert STORY_KEY in answer.cookies[SENT_DRAFTS_COOKIE].value.replace("%3A", ":").replace("%2F", "/")


def test_a_form_refused_keeps_its_draft(visitors):
    _keep(visitors.owner, fields={**BLANK, "situation": ["Friday night"]})

    answer = visitors.owner.post(
        reverse("prep:story_create"), {"title": "", "situation": "Friday night", "draft_key": STORY_KEY}
    )

    assert answer.status_code == 400
    assert FormDraft.objects.filter(key=STORY_KEY).exists()
    assert SENT_DRAFTS_COOKIE not in answer.cookies


def test_an_edit_form_refused_keeps_its_draft_too(visitors, owner):
    application = ApplicationFactory(owner=owner)
    key = f"second-round:draft:/applications/{application.pk}/edit/"
    _keep(visitors.owner, key, fields={"notes": ["Half a thought"]}, kinds={"notes": "text"})

    answer = visitors.owner.post(
        reverse("pipeline:application_edit", args=[application.pk]),
        {"company_name": "", "role_title": "", "notes": "Half a thought", "draft_key": key},
    )

    assert answer.status_code == 400
    assert FormDraft.objects.filter(key=key).exists()


def test_a_stranger_sending_a_form_does_not_end_someone_elses_draft(visitors):
    _keep(visitors.owner, fields={**BLANK, "title": ["Mine"]})

    visitors.stranger.post(reverse("prep:story_create"), {"title": "Theirs", "draft_key": STORY_KEY})

    assert FormDraft.objects.filter(user=visitors.owner_user, key=STORY_KEY).exists()
