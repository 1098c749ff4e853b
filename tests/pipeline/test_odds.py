"""The odds of an offer after a second round: the person's own record, blended with the usual figure."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.pipeline import selectors, services
from apps.pipeline.models import InterviewOutcome, Stage
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

GENERAL = "about one second-round candidate in three gets the offer"


def _past_second_round(owner, *, ends: str):
    """An application whose second round was last month and ended in `ends`: offer, rejected or waiting."""
    application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    last_month = timezone.now() - dt.timedelta(days=30)
    interview = InterviewFactory(application=application, round_number=2, starts_at=last_month)
    if ends == "offer":
        services.application_move_stage(application=application, to_stage=Stage.OFFER)
    elif ends == "rejected":
        services.application_move_stage(application=application, to_stage=Stage.REJECTED)
    elif ends == "turned down at the interview":
        # Marked on the interview only; the application was left in its stage.
        interview.outcome = InterviewOutcome.REJECTED
        interview.save()
    return application


def _history(owner, *, offers: int, without: int, waiting: int = 0) -> None:
    for _ in range(offers):
        _past_second_round(owner, ends="offer")
    for number in range(without):
        _past_second_round(owner, ends="rejected" if number % 2 else "turned down at the interview")
    for _ in range(waiting):
        _past_second_round(owner, ends="waiting")


def _odds_text(page: str) -> list[str]:
    """The text of each odds note on the page, with its white space squeezed."""
    notes = re.findall(r'<aside class="odds[^"]*">(.*?)</aside>', page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", note).split()) for note in notes]


def _application_page(visitors, application) -> str:
    url = reverse("pipeline:application_detail", args=[application.pk])
    return visitors.owner.get(url).content.decode()


@pytest.fixture
def next_round(visitors):
    """An application with its second round booked for next week."""
    application = ApplicationFactory(owner=visitors.owner_user, stage=Stage.SECOND_INTERVIEW)
    InterviewFactory(application=application, round_number=2, starts_at=timezone.now() + dt.timedelta(days=7))
    return application


def test_with_no_decided_second_rounds_the_usual_figure_is_said_plainly(visitors, next_round):
    _history(visitors.owner_user, offers=0, without=0, waiting=2)  # still waiting: not decided

    [note] = _odds_text(_application_page(visitors, next_round))

    assert GENERAL in note
    assert "your own record counts here too" in note
    assert "%" not in note  # no figure of the person's own yet, so none made up


def test_two_offers_of_three_give_the_raw_numbers_a_small_sample_and_a_blend(visitors, next_round):
    _history(visitors.owner_user, offers=2, without=1)

    odds = selectors.round_two_odds(user=visitors.owner_user)
    [note] = _odds_text(_application_page(visitors, next_round))

    assert (odds.second_rounds, odds.offers) == (3, 2)
    # Between the usual third and the person's own two thirds, nearer the usual one.
    assert 33 < odds.blended_percent < 50
    assert odds.blended_percent % 5 == 0
    assert "2 of your 3 decided second rounds became offers — a small sample" in note
    assert f"roughly {odds.blended_percent}%" in note
    assert "67%" not in note  # two of three is not a rate worth a percent of its own


def test_one_decided_second_round_is_said_as_one(visitors, next_round):
    _history(visitors.owner_user, offers=0, without=1)

    [note] = _odds_text(_application_page(visitors, next_round))

    assert "Your one decided second round did not end in an offer — a small sample" in note
    assert "roughly 30%" in note  # (0 + 10/3) / 11, to the nearest 5


def test_a_long_record_comes_close_to_the_persons_own_rate(visitors, next_round):
    _history(visitors.owner_user, offers=45, without=15, waiting=3)

    odds = selectors.round_two_odds(user=visitors.owner_user)
    [note] = _odds_text(_application_page(visitors, next_round))

    assert (odds.second_rounds, odds.offers, odds.percent) == (60, 45, 75)
    assert abs(odds.blended_percent - 75) <= 5
    assert "Of your own 60 decided second rounds, 45 became an offer (75%)" in note
    assert f"roughly {odds.blended_percent}%" in note
    assert "small sample" not in note


def test_an_offer_declined_afterwards_still_counts_as_an_offer(owner):
    application = _past_second_round(owner, ends="offer")
    services.application_move_stage(application=application, to_stage=Stage.WITHDRAWN)

    odds = selectors.round_two_odds(user=owner)

    assert (odds.second_rounds, odds.offers) == (1, 1)


def test_someone_elses_history_never_counts(visitors, next_round):
    _history(visitors.stranger_user, offers=8, without=1)

    odds = selectors.round_two_odds(user=visitors.owner_user)
    [note] = _odds_text(_application_page(visitors, next_round))

    assert (odds.second_rounds, odds.offers) == (0, 0)
    assert GENERAL in note


def test_the_odds_show_once_on_the_next_round_to_come_not_on_past_or_cancelled_ones(visitors):
    owner = visitors.owner_user
    _history(owner, offers=1, without=1)
    application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    now = timezone.now()
    InterviewFactory(application=application, round_number=1, starts_at=now - dt.timedelta(days=14))
    past_second = InterviewFactory(
        application=application, round_number=2, starts_at=now - dt.timedelta(days=3)
    )
    called_off = InterviewFactory(
        application=application,
        round_number=3,
        starts_at=now + dt.timedelta(days=2),
        cancelled_at=now - dt.timedelta(days=1),
    )
    upcoming = InterviewFactory(application=application, round_number=3, starts_at=now + dt.timedelta(days=9))
    further = InterviewFactory(application=application, round_number=4, starts_at=now + dt.timedelta(days=20))

    page = _application_page(visitors, application)
    cards = {
        int(pk): card
        for pk, card in re.findall(r'<article id="interview-(\d+)"(.*?)</article>', page, flags=re.S)
    }

    assert len(_odds_text(page)) == 1
    assert (
        _odds_text(cards[upcoming.pk])
        and "1 of your 2 decided second rounds" in _odds_text(cards[upcoming.pk])[0]
    )
    for other in (past_second, called_off, further):
        assert _odds_text(cards[other.pk]) == []


def test_an_application_whose_later_rounds_are_all_behind_it_shows_no_odds(visitors):
    application = ApplicationFactory(owner=visitors.owner_user, stage=Stage.SECOND_INTERVIEW)
    InterviewFactory(application=application, round_number=2, starts_at=timezone.now() - dt.timedelta(days=2))

    assert _odds_text(_application_page(visitors, application)) == []


@pytest.mark.parametrize("decided", [1, 40])
def test_the_figure_costs_one_query_whatever_the_history(owner, django_assert_num_queries, decided):
    _history(owner, offers=decided // 2, without=decided - decided // 2, waiting=3)

    with django_assert_num_queries(1):
        odds = selectors.round_two_odds(user=owner)

    assert odds.second_rounds == decided
