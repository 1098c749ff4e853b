"""Ids sent in a form or query string are scoped to the signed-in person, like ids in the address.

The attacker works on their own pages (so the address check passes) and names
the victim's objects in the body: every such id must name nobody.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from apps.contacts.models import ApplicationReference, Interaction, InterviewParticipant
from apps.prep.models import PlanStory, QuestionToAsk, ResearchNote
from tests.helpers import Visitors
from tests.security.world import World

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _shows(response, victim: World) -> bool:
    return victim.marker in response.content.decode()


def test_someone_elses_contact_cannot_join_my_interview(visitors: Visitors, victim: World, attacker: World):
    response = visitors.stranger.post(
        reverse("contacts:interview_people", args=[attacker.interview.pk]),
        {"action": "attach", "contact": victim.contact.pk},
        headers=HTMX,
    )

    assert response.status_code == 400
    assert not _shows(response, victim)
    assert not InterviewParticipant.objects.filter(
        interview=attacker.interview, contact=victim.contact
    ).exists()


def test_someone_elses_interview_participant_cannot_be_removed_through_my_interview(
    visitors: Visitors, victim: World, attacker: World
):
    response = visitors.stranger.post(
        reverse("contacts:interview_people", args=[attacker.interview.pk]),
        {"action": "remove", "participant": victim.participant.pk},
    )

    assert response.status_code == 404
    assert InterviewParticipant.objects.filter(pk=victim.participant.pk).exists()


def test_a_call_logged_on_my_contact_cannot_be_filed_under_someone_elses_application(
    visitors: Visitors, victim: World, attacker: World
):
    before = Interaction.objects.count()

    response = visitors.stranger.post(
        reverse("contacts:interaction_create", args=[attacker.contact.pk]),
        {
            "application": victim.application.pk,
            "date": "2024-05-01",
            "channel": "call",
            "direction": "incoming",
            "summary": "Planted on their application",
        },
    )

    assert response.status_code == 404
    assert Interaction.objects.count() == before


def test_a_call_logged_on_my_application_cannot_name_someone_elses_contact(
    visitors: Visitors, victim: World, attacker: World
):
    before = Interaction.objects.count()

    response = visitors.stranger.post(
        reverse("contacts:application_interaction_create", args=[attacker.application.pk]),
        {
            "contact": victim.contact.pk,
            "date": "2024-05-01",
            "channel": "call",
            "direction": "incoming",
            "summary": "Planted on their contact",
        },
    )

    assert response.status_code == 404
    assert Interaction.objects.count() == before


def test_someone_elses_contact_cannot_be_my_referee(visitors: Visitors, victim: World, attacker: World):
    response = visitors.stranger.post(
        reverse("contacts:references", args=[attacker.application.pk]), {"referee": victim.contact.pk}
    )

    assert response.status_code == 400
    assert not _shows(response, victim)
    assert not ApplicationReference.objects.filter(referee=victim.contact, application=attacker.application)


def test_a_debrief_cannot_be_addressed_to_someone_elses_recruiter(
    visitors: Visitors, victim: World, attacker: World
):
    before = Interaction.objects.count()

    response = visitors.stranger.post(
        reverse("contacts:debrief", args=[attacker.interview.pk]),
        {
            "recruiter": victim.contact.pk,
            "how_it_went": "It went well.",
            "enthusiasm": "keen",
            "channel": "call",
        },
    )

    assert response.status_code == 400
    assert not _shows(response, victim)
    assert Interaction.objects.count() == before


def test_the_debrief_wording_check_never_greets_someone_elses_recruiter(
    visitors: Visitors, victim: World, attacker: World
):
    for headers in ({}, HTMX):
        response = visitors.stranger.post(
            reverse("contacts:debrief_check", args=[attacker.interview.pk]),
            {"recruiter": victim.contact.pk, "how_it_went": "Fine."},
            headers=headers,
        )

        assert response.status_code == 200
        assert not _shows(response, victim)


def test_someone_elses_story_cannot_be_chosen_or_taken_off_through_my_brief(
    visitors: Visitors, victim: World, attacker: World
):
    part = reverse("prep:part", args=[attacker.interview.pk, "stories"])

    chosen = visitors.stranger.post(part, {"story": victim.story.pk})
    removed = visitors.stranger.post(part, {"remove": victim.story.pk})

    assert chosen.status_code == 400
    assert not _shows(chosen, victim)
    assert removed.status_code == 404
    assert not PlanStory.objects.filter(plan__interview=attacker.interview, story=victim.story).exists()
    assert PlanStory.objects.filter(plan=victim.plan, story=victim.story).exists()


@pytest.mark.parametrize("part", ["questions", "research"])
def test_removing_through_my_brief_never_reaches_someone_elses_brief(
    part: str, visitors: Visitors, victim: World, attacker: World
):
    target = victim.question if part == "questions" else victim.research

    visitors.stranger.post(reverse("prep:part", args=[attacker.interview.pk, part]), {"remove": target.pk})

    assert QuestionToAsk.objects.filter(pk=victim.question.pk).exists()
    assert ResearchNote.objects.filter(pk=victim.research.pk).exists()


def test_panel_notes_are_kept_only_for_people_at_my_own_interview(
    visitors: Visitors, victim: World, attacker: World
):
    visitors.stranger.post(
        reverse("prep:part", args=[attacker.interview.pk, "panel"]),
        {f"note_{victim.participant.pk}": "Noted on their panel", f"note_{attacker.participant.pk}": "Mine"},
    )

    attacker.plan.refresh_from_db()
    victim.plan.refresh_from_db()
    assert attacker.plan.panel_notes == {str(attacker.participant.pk): "Mine"}
    assert victim.plan.panel_notes == {}


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("pipeline:application_list", lambda victim: {"recruiter": victim.contact.name}),
        ("pipeline:application_list", lambda victim: {"company": victim.company.name}),
        ("journal:journal", lambda victim: {"application": victim.application.role_title}),
        ("pipeline:suggest", lambda victim: {"company": victim.company.name}),
    ],
    ids=["applications-by-recruiter", "applications-by-company", "journal-by-application", "company-names"],
)
def test_filtering_by_someone_elses_names_finds_none_of_their_data(
    name: str, query, visitors: Visitors, victim: World, attacker: World
):
    # The filters are typed names, looked for among the person's own rows only.
    args = ["companies"] if name == "pipeline:suggest" else []
    typed = query(victim)
    for headers in ({}, HTMX):
        response = visitors.stranger.get(reverse(name, args=args), typed, headers=headers)

        # What they typed comes back in its own box; nothing of the victim's may come with it.
        page = response.content.decode()
        for value in typed.values():
            page = page.replace(f'value="{value}"', "")
        # The saved views bar carries the same query, to save the list as filtered.
        page = page.replace(f'name="query" value="{escape(urlencode(typed))}"', "")
        # So does the export link: it exports the list as filtered.
        page = page.replace(f"export.csv?{escape(urlencode(typed))}", "")
        assert response.status_code == 200
        assert victim.marker not in page
