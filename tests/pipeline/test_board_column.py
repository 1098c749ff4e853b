"""The board's "+ N more": the rest of a column, a page at a time, by keyset."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.pipeline import selectors
from apps.pipeline.models import Application, Interview, Stage, StageChange
from apps.prep.models import PrepPlan
from tests.helpers import assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PER_COLUMN = selectors.BOARD_CARDS_PER_COLUMN


def _fill_column(user, count: int, *, stages: list[str] | tuple[str, ...] = (Stage.APPLIED,)) -> list[int]:
    """`count` open applications in `stages`, some moved at the same moment; their ids, newest first.

    Every third shares its time with the one before, so pages must break ties by id.
    """
    now = timezone.now()
    company = CompanyFactory(owner=user, name="Acme")
    applications = Application.objects.bulk_create(
        Application(
            owner=user,
            company=company,
            role_title=f"Role {n}",
            stage=stages[n % len(stages)],
            stage_changed_at=now - dt.timedelta(hours=n - n // 3),
        )
        for n in range(count)
    )
    StageChange.objects.bulk_create(
        StageChange(application=a, from_stage="", to_stage=a.stage, changed_at=a.stage_changed_at)
        for a in applications
    )
    # An upcoming interview with a prep plan on every card: the readiness shown costs its query too.
    interviews = Interview.objects.bulk_create(
        Interview(
            application=a, starts_at=now + dt.timedelta(days=2), ends_at=now + dt.timedelta(days=2, hours=1)
        )
        for a in applications
    )
    PrepPlan.objects.bulk_create(PrepPlan(interview=interview) for interview in interviews)
    ordered = sorted(applications, key=lambda a: (a.stage_changed_at, a.pk), reverse=True)
    return [a.pk for a in ordered]


def _card_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-move-url="/applications/(\d+)/move/"', page)]


def _more(page: str, key: str) -> tuple[str, str] | None:
    """The URL and the words of `key`'s "more" button on a page, None when it has none."""
    found = re.search(
        rf'href="(/applications/board/column/{key}/\?after=[^"]+)"[^>]*>([^<]+)<', page, flags=re.DOTALL
    )
    return (html.unescape(found[1]), found[2].strip()) if found else None


def _column_section(board: str, key: str) -> str:
    start = board.index(f'id="column-{key}"')
    end = board.find('<section class="board-column', start)
    return board[start : end if end != -1 else None]


def test_more_brings_the_rest_of_a_column_in_order_with_no_card_twice_or_missed(visitors):
    expected = _fill_column(visitors.owner_user, 30)

    board = visitors.owner.get(reverse("pipeline:board")).content.decode()
    shown = _card_ids(_column_section(board, Stage.APPLIED))
    url, words = _more(board, Stage.APPLIED)
    assert words == "+ 18 more"
    second = visitors.owner.get(url, headers=HTMX).content.decode()
    url, words = _more(second, Stage.APPLIED)
    assert words == "+ 6 more"
    third = visitors.owner.get(url, headers=HTMX).content.decode()

    assert shown == expected[:PER_COLUMN]
    assert _card_ids(second) == expected[PER_COLUMN : 2 * PER_COLUMN]
    assert _card_ids(third) == expected[2 * PER_COLUMN :]
    assert _more(third, Stage.APPLIED) is None  # the last cards: no button after them


def test_more_answers_htmx_with_the_cards_alone(visitors):
    _fill_column(visitors.owner_user, PER_COLUMN + 2)
    url, _ = _more(visitors.owner.get(reverse("pipeline:board")).content.decode(), Stage.APPLIED)

    page = visitors.owner.get(url, headers=HTMX).content.decode()

    # Items to go into the column's list where the button was, no page around them.
    assert page.lstrip().startswith('<li class="board-card"')
    assert "<html" not in page
    assert page.count("data-card") == 2
    assert page.count('hx-get="/applications/') == 2  # each loaded card's Move menu, fetched when opened


def test_a_column_with_no_more_cards_shows_no_button(visitors):
    _fill_column(visitors.owner_user, PER_COLUMN)

    board = visitors.owner.get(reverse("pipeline:board")).content.decode()

    assert _more(board, Stage.APPLIED) is None
    assert "data-board-more" not in board


def test_the_closed_column_pages_through_every_exit_and_nothing_else(visitors):
    owner = visitors.owner_user
    expected = _fill_column(owner, PER_COLUMN + 5, stages=Stage.exits())
    ApplicationFactory(owner=owner, stage=Stage.REJECTED, archived=True)  # archived: off the board
    ApplicationFactory(owner=owner, stage=Stage.OFFER)  # open: another column

    board = visitors.owner.get(reverse("pipeline:board")).content.decode()
    url, words = _more(board, selectors.EXITS_KEY)
    rest = visitors.owner.get(url, headers=HTMX).content.decode()

    assert words == "+ 5 more"
    assert _card_ids(_column_section(board, selectors.EXITS_KEY)) + _card_ids(rest) == expected
    # A closed card says how it ended, loaded later or not.
    assert rest.count('class="badge') == 5
    assert _more(rest, selectors.EXITS_KEY) is None


@pytest.mark.parametrize("key", ["nonsense", Stage.REJECTED, "exit", "APPLIED"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_column_the_board_does_not_have_is_not_found(visitors, key, headers):
    # An exit stage is no column of its own: the exits share one.
    url = reverse("pipeline:board_column", args=[key])

    assert visitors.owner.get(url, headers=headers).status_code == 404


def test_a_visitor_is_asked_to_log_in(visitors):
    assert_redirects_to_login(visitors.anonymous.get(reverse("pipeline:board_column", args=[Stage.APPLIED])))


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_stranger_following_the_owners_more_link_sees_only_their_own_column(visitors, headers):
    _fill_column(visitors.owner_user, 20)
    ApplicationFactory(owner=visitors.stranger_user, stage=Stage.APPLIED, role_title="Stranger's own role")
    url, _ = _more(visitors.owner.get(reverse("pipeline:board")).content.decode(), Stage.APPLIED)

    response = visitors.stranger.get(url, headers=headers)

    page = response.content.decode()
    assert response.status_code == 200
    # The owner's position is only a time and an id: it opens none of the owner's cards.
    assert "Acme" not in page
    assert not set(_card_ids(page)) & set(
        Application.objects.filter(owner=visitors.owner_user).values_list("pk", flat=True)
    )


def test_a_position_from_another_column_starts_this_one_from_the_top(visitors):
    owner = visitors.owner_user
    applied = _fill_column(owner, 20)
    screening = [ApplicationFactory(owner=owner, stage=Stage.SCREENING).pk]
    url, _ = _more(visitors.owner.get(reverse("pipeline:board")).content.decode(), Stage.APPLIED)

    query = url.partition("?")[2]
    page = visitors.owner.get(
        f"{reverse('pipeline:board_column', args=[Stage.SCREENING])}?{query}"
    ).content.decode()

    assert _card_ids(page) == screening
    assert not set(_card_ids(page)) & set(applied)


def test_without_javascript_more_opens_the_next_cards_as_a_page(visitors):
    expected = _fill_column(visitors.owner_user, 30)
    url, _ = _more(visitors.owner.get(reverse("pipeline:board")).content.decode(), Stage.APPLIED)

    response = visitors.owner.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert '<h1 class="h3" id="column-applied">Applied</h1>' in page
    assert "30 applications, the latest to move here first." in page
    assert _card_ids(page) == expected[PER_COLUMN : 2 * PER_COLUMN]
    # The same cards as on the board, each with its Move menu as a link to a page of its own.
    assert page.count("Choose a stage</a>") == PER_COLUMN
    assert _more(page, Stage.APPLIED)[1] == "+ 6 more"
    assert f'href="{reverse("pipeline:board_column", args=[Stage.APPLIED])}">Back to the first' in page
    assert f'href="{reverse("pipeline:board")}"' in page


def test_an_empty_column_as_a_page_says_so(visitors):
    response = visitors.owner.get(reverse("pipeline:board_column", args=[Stage.OFFER]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing here." in page
    assert "0 applications" in page
    assert "Back to the first" not in page


def _queries(client, url: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert len(_card_ids(response.content.decode())) == PER_COLUMN
    return len(captured)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_more_costs_the_same_queries_for_30_cards_or_300(visitors, headers):
    _fill_column(visitors.stranger_user, 30)
    _fill_column(visitors.owner_user, 300)
    small_url, _ = _more(visitors.stranger.get(reverse("pipeline:board")).content.decode(), Stage.APPLIED)
    large_url, _ = _more(visitors.owner.get(reverse("pipeline:board")).content.decode(), Stage.APPLIED)

    small = _queries(visitors.stranger, small_url, headers)
    large = _queries(visitors.owner, large_url, headers)

    print(f"\nboard column: {small} queries at 30 cards, {large} at 300")
    assert small == large
