"""The numbers page, each rule against a count worked out by hand."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from apps.dashboard import numbers
from apps.dashboard.numbers import Period
from apps.pipeline import services as pipeline
from apps.pipeline.models import Stage
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def apply(owner, company="Acme", *, days_ago=30, stage=Stage.APPLIED, **fields):
    """An application created `days_ago` days before NOW at `stage`, as an import would make it."""
    return pipeline.application_create(
        owner=owner,
        company_name=company,
        role_title=fields.pop("role_title", "Engineer"),
        stage=stage,
        created_at=NOW - days_ago * DAY,
        **fields,
    )


def move(application, *stages_and_days):
    """Moves in order: (stage, days after the application was created)."""
    for stage, days in stages_and_days:
        pipeline.application_move_stage(
            application=application, to_stage=stage, now=application.created_at + days * DAY
        )


def figures(owner, period: Period | None = None):
    return numbers.search_numbers(user=owner, now=NOW, period=period or Period())


def reached(owner, period: Period | None = None) -> dict[str, tuple[int, int | None]]:
    return {step.stage: (step.reached, step.conversion) for step in figures(owner, period).funnel}


def test_a_move_from_final_round_to_reference_check_is_a_step_on_not_a_dead_end(owner):
    move(apply(owner), (Stage.FINAL_ROUND, 5), (Stage.REFERENCE_CHECK, 9))

    funnel = reached(owner)

    assert funnel[Stage.FINAL_ROUND] == (1, 100)
    assert funnel[Stage.REFERENCE_CHECK] == (1, 0)
    assert funnel[Stage.OFFER] == (0, None)


def test_skipped_steps_count_as_passed_and_an_accepted_offer_was_an_offer(owner):
    move(apply(owner, "A"), (Stage.FIRST_INTERVIEW, 3), (Stage.OFFER, 10))
    move(apply(owner, "B"), (Stage.SCREENING, 2), (Stage.OFFER, 6), (Stage.ACCEPTED, 8))
    move(apply(owner, "C"), (Stage.SCREENING, 2))

    funnel = reached(owner)

    assert funnel[Stage.APPLIED] == (3, 100)  # all three went on: one to a screen, two further
    assert funnel[Stage.SCREENING] == (3, 67)
    assert funnel[Stage.SECOND_INTERVIEW] == (2, 100)
    assert funnel[Stage.OFFER] == (2, None)


def test_an_application_imported_as_rejected_was_sent(owner):
    apply(owner, "Imported", stage=Stage.REJECTED)
    apply(owner, "Never sent", stage=Stage.INTERESTED)

    assert reached(owner)[Stage.APPLIED] == (1, 0)
    assert figures(owner).applied == 1


def test_withdrawn_or_no_reply_straight_from_interested_was_never_sent(owner):
    move(apply(owner, "Dropped idea", stage=Stage.INTERESTED), (Stage.WITHDRAWN, 3))
    move(apply(owner, "Sent then dropped"), (Stage.WITHDRAWN, 3))
    move(apply(owner, "Sent then silence"), (Stage.NO_REPLY, 25))

    assert figures(owner).applied == 2


def test_archived_applications_are_left_out(owner):
    apply(owner, "Real")
    duplicate = apply(owner, "Real", role_title="Engineer again")
    duplicate.archived = True
    duplicate.save(update_fields=["archived"])

    assert figures(owner).applied == 1
    assert reached(owner)[Stage.APPLIED][0] == 1


def test_my_own_no_reply_is_not_the_companys_answer_and_counts_as_ghosted(owner):
    move(apply(owner, "Silent", days_ago=40), (Stage.NO_REPLY, 30))
    move(apply(owner, "Polite", days_ago=40), (Stage.REJECTED, 4))

    result = figures(owner)

    assert result.answered == 1
    assert result.median_days == 4.0
    assert [(row.company, row.median_days) for row in result.fastest] == [("Polite", 4.0)]
    assert (result.ghosted, result.ghost_candidates, result.ghosted_rate) == (1, 2, 50)


def test_the_typical_wait_is_the_median_and_slow_companies_stay_in_view(owner):
    for number, days in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 60]):
        move(apply(owner, f"Co {number:02d}", days_ago=90), (Stage.SCREENING, days))

    result = figures(owner)

    assert result.median_days == 6.5  # between 6 and 7, the middle two of twelve
    assert result.companies == 12
    assert [row.company for row in result.fastest] == ["Co 00", "Co 01", "Co 02", "Co 03", "Co 04"]
    # The slowest, slowest first: the two very slow ones are not lost behind the quick ones.
    assert [row.median_days for row in result.slowest] == [60.0, 40.0, 10.0, 9.0, 8.0]


def test_a_company_with_several_answers_shows_its_median(owner):
    for days in (2, 3, 30):
        move(apply(owner, "Globex", role_title=f"Role {days}", days_ago=60), (Stage.SCREENING, days))

    (row,) = figures(owner).fastest

    assert (row.company, row.median_days, row.answers) == ("Globex", 3.0, 3)


def test_waiting_and_ghosted_need_three_weeks_to_tell(owner):
    apply(owner, "Fresh", days_ago=5)
    apply(owner, "Old", days_ago=30)

    result = figures(owner)

    assert result.waiting == 2
    assert (result.ghosted, result.ghost_candidates) == (1, 1)


def test_conversion_by_source_groups_the_same_source_however_it_was_typed(owner):
    move(apply(owner, "A", source="Referral"), (Stage.FIRST_INTERVIEW, 4), (Stage.OFFER, 20))
    move(apply(owner, "B", source="  referral "), (Stage.REJECTED, 3))
    move(apply(owner, "C", source="LinkedIn"), (Stage.SCREENING, 3))
    apply(owner, "D")

    rows = {
        row.source: (row.applied, row.interviews, row.offers, row.interview_rate)
        for row in figures(owner).sources
    }

    assert rows == {"Referral": (2, 1, 1, 50), "LinkedIn": (1, 0, 0, 0), "Not recorded": (1, 0, 0, 0)}


def test_a_period_counts_the_applications_sent_in_it(owner):
    apply(owner, "Last year", days_ago=400)
    move(apply(owner, "Last month", days_ago=40), (Stage.SCREENING, 2))
    apply(owner, "This week", days_ago=3)

    recent = figures(owner, Period(start=NOW - 90 * DAY))
    between = figures(owner, Period(start=NOW - 50 * DAY, end=NOW - 10 * DAY))

    assert recent.applied == 2 and reached(owner, Period(start=NOW - 90 * DAY))[Stage.SCREENING][0] == 1
    assert between.applied == 1
    assert figures(owner).applied == 3


def test_another_persons_applications_never_count(owner, stranger):
    apply(stranger, "Theirs")

    assert figures(owner).applied == 0


# --- The page -------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_numbers_and_the_rules(visitors):
    move(apply(visitors.owner_user, "Polite", source="Referral"), (Stage.REJECTED, 4))

    page = visitors.owner.get(reverse("numbers")).content.decode()

    assert "Applications sent" in page and "4.0 days" in page
    assert "Referral" in page and "How these are counted" in page


@time_machine.travel(NOW, tick=False)
def test_the_last_30_days_leave_older_applications_out(visitors):
    apply(visitors.owner_user, "Old", days_ago=60)
    apply(visitors.owner_user, "New", days_ago=3)

    page = visitors.owner.get(reverse("numbers"), {"period": "30"}).content.decode()

    assert re.search(r"Applications sent</p>\s*<p class=\"h3 mb-0\">1<", page)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"period": "dates"}, "Give a first day, a last day, or both."),
        (
            {"period": "dates", "start": "2026-05-02", "end": "2026-05-01"},
            "The last day comes before the first.",
        ),
        ({"period": "dates", "start": "1066-10-14"}, "Choose a date between"),
        ({"period": "dates", "start": "not a date"}, "Enter a valid date."),
        ({"period": "forever"}, "Select a valid choice."),
    ],
)
def test_a_period_that_makes_no_sense_is_explained_and_kept(visitors, query, message):
    answer = visitors.owner.get(reverse("numbers"), query)

    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page
    for value in query.values():
        if value not in ("dates", "forever"):
            assert f'value="{value}"' in page


def test_the_page_asks_a_visitor_to_log_in(client):
    assert client.get(reverse("numbers")).status_code == 302


def test_the_page_costs_the_same_queries_for_ten_applications_as_for_two_hundred(visitors):
    for number in range(10):
        move(apply(visitors.stranger_user, f"S{number}", source="Board"), (Stage.SCREENING, 3))
    for number in range(200):
        move(apply(visitors.owner_user, f"O{number}", source=f"Board {number % 7}"), (Stage.SCREENING, 3))

    assert count_queries(visitors.stranger, reverse("numbers")) == count_queries(
        visitors.owner, reverse("numbers")
    )
