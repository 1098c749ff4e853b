"""Reads of the pipeline that several views share. Every one starts from the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode

from apps.accounts.models import User
from apps.core import keyset
from apps.pipeline.models import Application, Company, Interview, InterviewOutcome, Stage, StageChange

# The kinds of contact (contacts app) the list's recruiter filter looks among.
RECRUITER_KINDS = ("recruiter_agency", "recruiter_in_house")
# How many names a filter box suggests as it is typed.
SUGGESTIONS = 10

EXITS_KEY = "exits"
# A column shows this many cards at first, and its "more" button this many again each time:
# a search of 2,000 applications must not put them all on one page.
BOARD_CARDS_PER_COLUMN = 12


def with_next_interview(queryset: QuerySet[Application], *, now: dt.datetime) -> QuerySet[Application]:
    """Annotate each application with the start of its next scheduled interview."""
    upcoming = Interview.objects.filter(
        application=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gte=now
    ).order_by("starts_at")
    return queryset.annotate(
        next_interview_at=Subquery(upcoming.values("starts_at")[:1]),
        next_interview_id=Subquery(upcoming.values("pk")[:1]),
    )


@dataclass
class BoardColumn:
    key: str
    label: str
    stages: list[str]
    cards: list[Application] = field(default_factory=list)
    total: int = 0
    # The query string of the cards after these (a keyset position); "" when none are left.
    next_query: str = ""

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def _empty_columns() -> list[BoardColumn]:
    """One column per active stage, then one the exits share."""
    columns = [
        BoardColumn(key=stage.value, label=stage.label, stages=[stage.value]) for stage in Stage.active()
    ]
    columns.append(
        BoardColumn(key=EXITS_KEY, label="Closed", stages=[stage.value for stage in Stage.exits()])
    )
    return columns


def _column_sort(key: str) -> str:
    # Named per column, so that a position in one column starts another from its top (keyset.page).
    return f"board-{key}"


def _query_after(card: Application, *, key: str) -> str:
    """The query string of the cards that follow `card` in its column, read back by keyset.page."""
    position = keyset.position_after(card, column="stage_changed_at", sort=_column_sort(key))
    return urlencode({"after": position})


def board_columns(
    *, user: User, now: dt.datetime, per_column: int = BOARD_CARDS_PER_COLUMN
) -> list[BoardColumn]:
    """One column per active stage and one for every exit, in two queries whatever the data.

    1. Count the open applications in each stage.
    2. Fetch at most `per_column` cards per column, numbering rows within each
       column with a window function (exits share one column), in the order
       board_column_cards pages the rest by.
    """
    columns = _empty_columns()
    exits = columns[-1]
    by_key = {column.key: column for column in columns}

    def column_key(stage: str) -> str:
        return EXITS_KEY if stage in exits.stages else stage

    open_applications = Application.objects.for_user(user).open()
    for row in open_applications.values("stage").annotate(count=Count("id")).order_by():
        by_key[column_key(row["stage"])].total += row["count"]

    column_expression = Case(When(stage__in=exits.stages, then=Value(EXITS_KEY)), default=F("stage"))
    cards = (
        with_next_interview(open_applications, now=now)
        .select_related("company")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[column_expression],
                order_by=[F("stage_changed_at").desc(), F("pk").desc()],
            )
        )
        .filter(position__lte=per_column)
        .order_by("position")
    )
    for card in cards:
        by_key[column_key(card.stage)].cards.append(card)
    for column in columns:
        if column.hidden:
            column.next_query = _query_after(column.cards[-1], key=column.key)
    return columns


@dataclass
class BoardColumnCards:
    # The column with this page's cards; its total counts all of them.
    column: BoardColumn
    # How many cards come after these.
    remaining: int
    # True when these start somewhere down the column.
    continued: bool


def board_column_cards(
    *, user: User, key: str, now: dt.datetime, query: QueryDict, size: int = BOARD_CARDS_PER_COLUMN
) -> BoardColumnCards | None:
    """The cards of one board column after the position `query` names (`after=`), None for no such column.

    Pages by keyset on (stage_changed_at, pk), newest first, as the board orders its first cards, in
    two queries whatever the column holds: the cards, then the column's total with the number after them.
    """
    column = next((column for column in _empty_columns() if column.key == key), None)
    if column is None:
        return None
    in_column = Application.objects.for_user(user).open().filter(stage__in=column.stages)
    page = keyset.page(
        with_next_interview(in_column, now=now).select_related("company"),
        column="stage_changed_at",
        descending=True,
        query=query,
        size=size,
        sort=_column_sort(key),
    )
    column.cards, column.next_query = page.rows, page.next_query
    remaining = 0
    if page.rows:
        last = page.rows[-1]
        after_last = Q(stage_changed_at__lt=last.stage_changed_at) | Q(
            stage_changed_at=last.stage_changed_at, pk__lt=last.pk
        )
        counts = in_column.aggregate(total=Count("pk"), after=Count("pk", filter=after_last))
        column.total, remaining = counts["total"], counts["after"]
    else:
        column.total = in_column.count()
    return BoardColumnCards(column=column, remaining=remaining, continued=page.continued)


# Each sort of the list, by one column and then the primary key (so that pages by keyset,
# apps/core/keyset.py, know where one ends).
SORTS = {
    "company": "company__name",
    "role": "role_title",
    "stage": "stage_order",
    "updated": "updated_at",
    "applied": "created_at",
    "next_interview": "next_interview_at",
}
DEFAULT_SORT = "-updated"


@dataclass(frozen=True)
class ApplicationFilters:
    query: str = ""
    stage: str = ""
    company: str = ""  # a part of the company's name
    recruiter: str = ""  # a part of a linked recruiter's name
    applied_from: dt.date | None = None
    applied_to: dt.date | None = None
    show: str = "open"  # open | archived | all
    sort: str = DEFAULT_SORT
    tag: str = ""  # a tag's whole name, whatever its case
    starred: bool = False


def application_search(*, user: User, filters: ApplicationFilters, now: dt.datetime) -> QuerySet[Application]:
    """The list page's rows: filtered, searched and sorted, with the next interview."""
    applications = Application.objects.for_user(user).select_related("company")
    if filters.show == "open":
        applications = applications.filter(archived=False)
    elif filters.show == "archived":
        applications = applications.filter(archived=True)
    if filters.stage == "active":
        applications = applications.exclude(stage__in=Stage.exits())
    elif filters.stage == "closed":
        applications = applications.filter(stage__in=Stage.exits())
    elif filters.stage:
        applications = applications.filter(stage=filters.stage)
    if filters.company:
        applications = applications.filter(company__name__icontains=filters.company)
    if filters.tag:
        applications = applications.filter(tags__name__iexact=filters.tag)
    if filters.starred:
        applications = applications.filter(starred=True)
    if filters.recruiter:
        # People live in the contacts app, which links them to applications: named by
        # string so that the pipeline does not import it.
        links = django_apps.get_model("contacts", "ApplicationContact").objects.filter(
            contact__kind__in=RECRUITER_KINDS, contact__name__icontains=filters.recruiter
        )
        applications = applications.filter(pk__in=links.values("application_id"))
    if filters.applied_from:
        applications = applications.filter(created_at__date__gte=filters.applied_from)
    if filters.applied_to:
        applications = applications.filter(created_at__date__lte=filters.applied_to)
    for word in filters.query.split():
        applications = applications.filter(
            Q(company__name__icontains=word) | Q(role_title__icontains=word) | Q(notes__icontains=word)
        )
    applications = with_next_interview(applications, now=now).annotate(
        stage_order=Case(*[When(stage=stage, then=Value(index)) for index, stage in enumerate(Stage.values)])
    )
    column, descending = sort_column(filters.sort)
    return applications.order_by(*keyset.ordering(column, descending))


def sort_column(sort: str) -> tuple[str, bool]:
    """The column a sort of the list orders by, and whether it runs downwards."""
    return SORTS.get(sort.lstrip("-"), SORTS["updated"]), sort.startswith("-")


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str  # "stage", "interview" or "interaction"
    stage_change: object | None = None
    interview: Interview | None = None
    interaction: object | None = None


def application_timeline(*, application: Application) -> list[TimelineEntry]:
    """Stage changes, interviews and logged conversations of one application, oldest first."""
    entries = [
        TimelineEntry(when=change.changed_at, kind="stage", stage_change=change)
        for change in application.stage_changes.all()
    ]
    entries += [
        TimelineEntry(when=interview.starts_at, kind="interview", interview=interview)
        for interview in application.interviews.all()
    ]
    # Calls, emails and feedback logged by the contacts app on this application.
    entries += [
        TimelineEntry(when=interaction.happened_at, kind="interaction", interaction=interaction)
        for interaction in application.interactions.select_related("contact")
    ]
    return sorted(entries, key=lambda entry: entry.when)


# What a second interview usually means, before a user has history of their own.
GENERAL_ROUND_TWO_ODDS = (
    "A second interview means they are seriously considering you. In software roles about one "
    "second-round candidate in three gets the offer, and employers usually see two to four people "
    "at this stage; in crowded fields the odds are lower."
)
# "About one in three" (the general figure above) as a rate.
GENERAL_OFFER_RATE = 1 / 3
# How many decided second rounds the general figure counts as (k): the estimate is
# (offers + k * general rate) / (decided + k), the person's record shrunk towards the usual
# figure, so their own record outweighs it only past k decided second rounds. Ten, because
# a handful says little (at the usual one in three, two offers from three rounds still happen
# about one time in four), and most people have only a handful; and not much more, because
# the usual figure is itself rough (two to four finalists: 25 to 50%) and should not drown
# a long record. Ten is also where the page used to switch to the person's own figure.
GENERAL_FIGURE_WEIGHT = 10
# The estimate is shown in steps of this many percent: finer would claim a precision it has not.
ODDS_STEP = 5


@dataclass(frozen=True)
class RoundTwoOdds:
    # The person's decided second rounds (ended in an offer, or closed without one), and the offers.
    second_rounds: int
    offers: int

    @property
    def has_history(self) -> bool:
        return self.second_rounds > 0

    @property
    def is_personal(self) -> bool:
        """The person's own history weighs at least as much as the general figure."""
        return self.second_rounds >= GENERAL_FIGURE_WEIGHT

    @property
    def percent(self) -> int:
        """The person's own rate, unblended."""
        return round(100 * self.offers / self.second_rounds) if self.second_rounds else 0

    @property
    def blended_percent(self) -> int:
        """The chance to show: own history shrunk towards the general figure, in steps of ODDS_STEP."""
        weight = GENERAL_FIGURE_WEIGHT
        rate = (self.offers + weight * GENERAL_OFFER_RATE) / (self.second_rounds + weight)
        return ODDS_STEP * round(100 * rate / ODDS_STEP)


def round_two_odds(*, user: User) -> RoundTwoOdds:
    """How often the user's own second rounds became offers, in one query.

    Counted over applications with a second (or later) round that was not called off, and
    whose outcome is known: they reached an offer (even one later declined), or they closed
    without one, or a second-or-later round was marked rejected or withdrawn. Still waiting
    (or passed on to a further round) is not decided.
    """
    got_an_offer = Exists(
        StageChange.objects.filter(application=OuterRef("pk"), to_stage__in=[Stage.OFFER, Stage.ACCEPTED])
    )
    later_rounds = Interview.objects.filter(
        application=OuterRef("pk"), round_number__gte=2, cancelled_at__isnull=True
    )
    turned_down = Exists(
        later_rounds.filter(outcome__in=[InterviewOutcome.REJECTED, InterviewOutcome.WITHDRAWN])
    )
    decided = (
        Application.objects.for_user(user)
        .filter(Exists(later_rounds))
        .annotate(got_an_offer=got_an_offer)
        .filter(Q(got_an_offer=True) | Q(stage__in=Stage.exits()) | turned_down)
    )
    totals = decided.aggregate(total=Count("pk"), offers=Count("pk", filter=Q(got_an_offer=True)))
    return RoundTwoOdds(second_rounds=totals["total"], offers=totals["offers"])


def _names_like(rows: QuerySet, typed: str) -> list[str]:
    """Up to SUGGESTIONS names holding what was typed, the ones starting with it first."""
    typed = typed.strip()
    if not typed:
        return []
    starts = Case(When(name__istartswith=typed, then=Value(0)), default=Value(1))
    matching = rows.filter(name__icontains=typed).order_by(starts, "name")
    return list(matching.values_list("name", flat=True).distinct()[:SUGGESTIONS])


def company_names_like(*, user: User, typed: str) -> list[str]:
    return _names_like(Company.objects.for_user(user), typed)


def recruiter_names_like(*, user: User, typed: str) -> list[str]:
    """The person's recruiters (contacts app) whose name holds what was typed."""
    contacts = django_apps.get_model("contacts", "Contact").objects.for_user(user)
    return _names_like(contacts.filter(kind__in=RECRUITER_KINDS), typed)


def has_recruiters(*, user: User) -> bool:
    contacts = django_apps.get_model("contacts", "Contact").objects.for_user(user)
    return contacts.filter(kind__in=RECRUITER_KINDS).exists()


def owned_interview(*, user: User, pk: int) -> Interview:
    """The person's own interview with its application and company, or a 404: another person's
    interview is never found, whatever its id."""
    return get_object_or_404(
        Interview.objects.for_user(user).select_related("application__company", "application__owner"), pk=pk
    )
