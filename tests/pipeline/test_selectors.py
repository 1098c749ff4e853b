import datetime as dt

import pytest
from django.utils import timezone

from apps.pipeline import selectors, services
from apps.pipeline.models import Stage
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def test_the_board_has_a_column_per_active_stage_and_one_for_closed(owner):
    columns = selectors.board_columns(user=owner, now=timezone.now())

    assert [column.key for column in columns] == [*[s.value for s in Stage.active()], selectors.EXITS_KEY]


def test_board_cards_land_in_their_stage_and_exits_share_a_column(owner, stranger):
    ApplicationFactory(owner=owner, stage=Stage.SCREENING, role_title="Data Engineer")
    ApplicationFactory(owner=owner, stage=Stage.REJECTED)
    ApplicationFactory(owner=owner, stage=Stage.NO_REPLY)
    ApplicationFactory(owner=owner, stage=Stage.SCREENING, archived=True)
    ApplicationFactory(owner=stranger, stage=Stage.SCREENING)

    columns = {column.key: column for column in selectors.board_columns(user=owner, now=timezone.now())}

    assert [card.role_title for card in columns[Stage.SCREENING].cards] == ["Data Engineer"]
    assert columns[selectors.EXITS_KEY].total == 2
    assert columns[Stage.APPLIED].total == 0


def test_a_crowded_column_shows_its_newest_cards_and_counts_the_rest(owner):
    now = timezone.now()
    for days in range(5):
        ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=now - dt.timedelta(days=days))

    columns = {c.key: c for c in selectors.board_columns(user=owner, now=now, per_column=3)}

    applied = columns[Stage.APPLIED]
    assert applied.total == 5
    assert applied.hidden == 2
    assert [card.stage_changed_at for card in applied.cards] == sorted(
        (card.stage_changed_at for card in applied.cards), reverse=True
    )


def test_a_card_shows_the_next_interview_not_a_past_or_cancelled_one(owner):
    now = timezone.now()
    application = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
    InterviewFactory(application=application, starts_at=now - dt.timedelta(days=2))
    InterviewFactory(application=application, starts_at=now + dt.timedelta(days=1), cancelled_at=now)
    upcoming = InterviewFactory(application=application, starts_at=now + dt.timedelta(days=4))

    columns = {c.key: c for c in selectors.board_columns(user=owner, now=now)}

    assert columns[Stage.FIRST_INTERVIEW].cards[0].next_interview_at == upcoming.starts_at


def test_search_matches_every_word_across_company_role_and_notes(owner):
    ApplicationFactory(owner=owner, role_title="Backend Engineer", notes="Python and Postgres")
    ApplicationFactory(owner=owner, role_title="Backend Engineer", notes="Java")

    found = selectors.application_search(
        user=owner, filters=selectors.ApplicationFilters(query="backend python"), now=timezone.now()
    )

    assert [a.notes for a in found] == ["Python and Postgres"]


def test_own_odds_count_only_decided_second_rounds(owner):
    for index in range(4):
        application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
        InterviewFactory(application=application, round_number=2)
        if index == 0:
            services.application_move_stage(application=application, to_stage=Stage.OFFER)
            services.application_move_stage(application=application, to_stage=Stage.WITHDRAWN)  # declined
        elif index == 1:
            services.application_move_stage(application=application, to_stage=Stage.REJECTED)
        # the other two are still waiting: not decided

    odds = selectors.round_two_odds(user=owner)

    assert (odds.second_rounds, odds.offers, odds.percent) == (2, 1, 50)
    assert not odds.is_personal
