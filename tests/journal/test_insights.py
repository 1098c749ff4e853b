"""The journal's insights page: recurring mistakes, scores over time, good signs against outcomes."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.journal import checklists
from apps.journal.charts import scores_chart
from apps.journal.insights import (
    GoodSignComparison,
    RoundScores,
    good_signs_versus_progress,
    recurring_mistakes,
    scores_by_round,
)
from apps.journal.models import Reflection
from apps.pipeline.models import Application, InterviewOutcome, Stage, StageChange
from tests.helpers import assert_redirects_to_login
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

URL = "/journal/insights/"
CONFIDENCE_POINT = re.compile(r'<circle [^>]*data-series="confidence"')
GUT_POINT = re.compile(r'<rect [^>]*data-series="gut_score"')


def _reflect(
    user,
    *,
    days_ago: int,
    application: Application | None = None,
    round_number: int = 1,
    outcome: str = InterviewOutcome.PENDING,
    **fields: object,
) -> Reflection:
    """A reflection on an interview `days_ago` days back, in a new application unless one is given."""
    application = application or ApplicationFactory(owner=user, stage=Stage.FIRST_INTERVIEW)
    interview = InterviewFactory(
        application=application,
        round_number=round_number,
        outcome=outcome,
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return ReflectionFactory(interview=interview, **fields)


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lives_in_the_journal_namespace():
    assert reverse("journal:insights") == URL


def test_a_logged_out_visitor_is_sent_to_log_in(visitors):
    assert_redirects_to_login(visitors.anonymous.get(URL))


# --- Recurring mistakes ---------------------------------------------------------------------------


def test_recurring_mistakes_come_most_frequent_first_with_how_many_interviews(visitors):
    owner = visitors.owner_user
    _reflect(owner, days_ago=9, mistakes=["rambled", "froze"])
    _reflect(owner, days_ago=8, mistakes=["rambled", "no_questions_prepared"])
    _reflect(owner, days_ago=7, mistakes=["rambled", "froze"])
    _reflect(owner, days_ago=6, mistakes=[])

    page = _page(visitors.owner)

    rambled = page.index("Rambled or went off topic")
    froze = page.index("Froze on a question")
    no_questions = page.index("No questions ready for the end")
    assert rambled < froze < no_questions
    assert "3 interviews" in page[rambled:froze]
    assert "2 interviews" in page[froze:no_questions]
    assert "1 interview<" in page[no_questions:]
    assert "Arrived late" not in page


def test_a_mistake_ticked_twice_or_unknown_counts_once_or_not_at_all(owner):
    _reflect(owner, days_ago=3, mistakes=["froze", "froze", "no_such_mistake"])
    _reflect(owner, days_ago=2, mistakes="not a list")

    assert [(item.key, count) for item, count in recurring_mistakes(user=owner)] == [("froze", 1)]


def test_equally_frequent_mistakes_keep_the_checklist_order(owner):
    _reflect(owner, days_ago=3, mistakes=["froze", "no_questions_prepared"])

    assert [item.key for item, _ in recurring_mistakes(user=owner)] == ["no_questions_prepared", "froze"]


def test_a_strangers_reflections_never_count_on_the_owners_page(visitors):
    _reflect(visitors.owner_user, days_ago=5, mistakes=["rambled"], confidence=4)
    _reflect(visitors.stranger_user, days_ago=4, mistakes=["arrived_late"], confidence=2, gut_score=1)

    owner_page = _page(visitors.owner)
    stranger_page = _page(visitors.stranger)

    assert "Rambled or went off topic" in owner_page
    assert "Arrived late" not in owner_page
    assert len(CONFIDENCE_POINT.findall(owner_page)) == 1
    assert not GUT_POINT.findall(owner_page)
    assert "Arrived late" in stranger_page
    assert "Rambled or went off topic" not in stranger_page


def test_a_reflection_on_a_cancelled_interview_is_left_out(owner):
    reflection = _reflect(owner, days_ago=3, mistakes=["froze"], confidence=3)
    reflection.interview.cancelled_at = timezone.now()
    reflection.interview.save()

    assert recurring_mistakes(user=owner) == []
    assert scores_by_round(user=owner) == []


# --- Scores over time -----------------------------------------------------------------------------


def test_the_chart_has_one_point_per_reflection_with_a_score(visitors):
    owner = visitors.owner_user
    _reflect(owner, days_ago=9, confidence=2, gut_score=3)
    _reflect(owner, days_ago=7, confidence=4)
    _reflect(owner, days_ago=5, gut_score=5)
    _reflect(owner, days_ago=3)  # scored nothing: no point, no gap in the dates

    page = _page(visitors.owner)

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert len(CONFIDENCE_POINT.findall(page)) == 2
    assert len(GUT_POINT.findall(page)) == 2
    assert 'role="img" aria-labelledby="scores-chart-title scores-chart-desc"' in page
    assert 'viewBox="0 0 360 250" width="100%"' in page


def test_scores_come_oldest_first_with_round_and_the_users_own_date(owner):
    application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    late_evening = dt.datetime(2025, 3, 3, 23, 30, tzinfo=dt.UTC)  # already 4 March in Tokyo
    later = InterviewFactory(application=application, round_number=2, starts_at=late_evening)
    earlier = InterviewFactory(
        application=application, round_number=1, starts_at=late_evening - dt.timedelta(days=7)
    )
    ReflectionFactory(interview=later, confidence=4, gut_score=2)
    ReflectionFactory(interview=earlier, confidence=3)
    owner.time_zone = "Asia/Tokyo"

    scores = scores_by_round(user=owner)

    assert [(s.round_number, s.date, s.confidence, s.gut_score) for s in scores] == [
        (1, dt.date(2025, 2, 25), 3, None),
        (2, dt.date(2025, 3, 4), 4, 2),
    ]


def test_only_the_latest_interviews_are_kept_when_asked(owner):
    for days_ago in (9, 7, 5, 3):
        _reflect(owner, days_ago=days_ago, confidence=days_ago // 2)

    assert [s.confidence for s in scores_by_round(user=owner, latest=2)] == [2, 1]


def test_a_company_name_with_a_script_is_shown_as_text_in_the_chart(visitors):
    owner = visitors.owner_user
    company = CompanyFactory(owner=owner, name="<script>alert('x')</script> & Co")
    application = ApplicationFactory(owner=owner, company=company)
    _reflect(owner, days_ago=2, application=application, confidence=3, gut_score=4)

    page = _page(visitors.owner)

    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page


def test_without_any_score_the_page_says_so_instead_of_drawing(visitors):
    _reflect(visitors.owner_user, days_ago=2, mistakes=["froze"])

    page = _page(visitors.owner)

    assert "<svg" not in page
    assert "Nothing to draw yet" in page


def _point(days_ago: int, confidence: int | None, gut_score: int | None) -> RoundScores:
    return RoundScores(
        round_number=1,
        date=dt.date(2025, 5, 30) - dt.timedelta(days=days_ago),
        confidence=confidence,
        gut_score=gut_score,
        company="Acme",
    )


def test_the_chart_draws_nothing_for_no_points():
    assert scores_chart([]) is None


def test_a_single_interview_is_a_point_in_the_middle_without_a_line():
    svg = scores_chart([_point(0, 3, 4)])

    assert '<circle cx="187.0" cy="122.0"' in svg  # centre of the plot, on the 3 line
    assert "<polyline" not in svg
    assert "Latest: confidence 3 of 5, gut score 4 of 5." in svg


def test_many_interviews_make_one_line_per_score_with_a_point_each():
    points = [_point(days_ago, 1 + days_ago % 5, 5 - days_ago % 5) for days_ago in range(30, 0, -1)]

    svg = scores_chart(points)

    lines = re.findall(r'<polyline points="([^"]+)"[^>]*data-series="(\w+)"', svg)
    assert [(series, len(coordinates.split())) for coordinates, series in lines] == [
        ("gut_score", 30),
        ("confidence", 30),
    ]
    assert len(CONFIDENCE_POINT.findall(svg)) == 30
    # Date labels are thinned out so they do not overlap, but the first and the latest keep theirs.
    label_xs = [float(x) for x in re.findall(r'<tspan x="([\d.]+)"', svg)]
    assert 3 <= len(label_xs) <= 6
    assert all(right - left >= 54 for left, right in itertools.pairwise(label_xs))
    assert svg.count("<title>Round 1 at Acme, 30 Apr 2025") == 2  # the first interview
    assert ">30 Apr</tspan>" in svg and ">29 May</tspan>" in svg


def test_an_unscored_interview_breaks_the_line_rather_than_bridging_it():
    svg = scores_chart([_point(4, 2, None), _point(3, 3, None), _point(2, None, 5), _point(1, 4, None)])

    confidence_lines = re.findall(r'<polyline points="([^"]+)"[^>]*data-series="confidence"', svg)
    assert [len(line.split()) for line in confidence_lines] == [2]
    assert len(CONFIDENCE_POINT.findall(svg)) == 3


# --- Good signs versus what happened next ---------------------------------------------------------


def _decided(
    user,
    *,
    led_on: int,
    ended: int,
    signs_when_led_on: tuple[str, ...] = (),
    signs_when_ended: tuple[str, ...] = (),
) -> None:
    for n in range(led_on):
        _reflect(user, days_ago=30 + n, outcome=InterviewOutcome.PASSED, good_signs=list(signs_when_led_on))
    for n in range(ended):
        _reflect(user, days_ago=60 + n, outcome=InterviewOutcome.REJECTED, good_signs=list(signs_when_ended))


def test_the_good_signs_comparison_waits_for_enough_decided_interviews(visitors):
    owner = visitors.owner_user
    _decided(owner, led_on=5, ended=3, signs_when_led_on=("ran_long",))
    _reflect(owner, days_ago=1, good_signs=["ran_long"])  # still waiting to hear: not counted

    page = _page(visitors.owner)

    assert 'data-enough-data="false"' in page
    assert "So far: 5 that led to the next round and 3 that did not." in page
    assert "It needs 2 more that did not." in page
    assert "good-signs-table" not in page


def test_with_too_few_on_both_sides_the_page_says_how_many_more_of_each(visitors):
    _decided(visitors.owner_user, led_on=1, ended=4)

    page = _page(visitors.owner)

    assert "It needs 4 more that led on and 1 more that did not." in page


def test_the_good_signs_comparison_shows_percentages_beside_the_counts(visitors):
    owner = visitors.owner_user
    _decided(owner, led_on=4, ended=5, signs_when_led_on=("ran_long", "next_steps_clear"))
    # The fifth that led on: no outcome recorded, but the next round followed.
    application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    _reflect(owner, days_ago=20, application=application, good_signs=["ran_long"])
    InterviewFactory(
        application=application, round_number=2, starts_at=timezone.now() - dt.timedelta(days=10)
    )
    # One that ended (of five) ticked "ran long" too.
    rejected = Reflection.objects.filter(interview__outcome=InterviewOutcome.REJECTED).order_by("pk")[0]
    rejected.good_signs = ["ran_long"]
    rejected.save()

    page = _page(visitors.owner)

    assert "Led to the next round" in page
    assert "(n = 5)" in page
    ran_long = _row(page, "ran_long")
    assert "100% <" in _cell(ran_long, "led_on") and "(5 of 5)" in _cell(ran_long, "led_on")
    assert "20% <" in _cell(ran_long, "ended") and "(1 of 5)" in _cell(ran_long, "ended")
    next_steps = _row(page, "next_steps_clear")
    assert "80% <" in _cell(next_steps, "led_on") and "(4 of 5)" in _cell(next_steps, "led_on")
    assert "0% <" in _cell(next_steps, "ended") and "(0 of 5)" in _cell(next_steps, "ended")
    assert page.count("<tr data-sign=") == 11


def _row(page: str, sign: str) -> str:
    return re.search(rf'<tr data-sign="{sign}">(.*?)</tr>', page, re.DOTALL).group(1)


def _cell(row: str, group: str) -> str:
    return re.search(rf'<td data-group="{group}">(.*?)</td>', row, re.DOTALL).group(1)


def test_what_happened_next_is_read_from_the_outcome_the_later_rounds_and_the_history(owner):
    def reflect(**kwargs: object) -> None:
        _reflect(owner, good_signs=["met_colleagues"], **kwargs)

    # Led on: passed; a later round; an offer reached after the interview.
    reflect(days_ago=40, outcome=InterviewOutcome.PASSED)
    with_next_round = ApplicationFactory(owner=owner, stage=Stage.FINAL_ROUND)
    reflect(days_ago=39, application=with_next_round, round_number=1)
    InterviewFactory(
        application=with_next_round, round_number=2, starts_at=timezone.now() - dt.timedelta(days=30)
    )
    with_offer = ApplicationFactory(owner=owner, stage=Stage.OFFER)
    reflect(days_ago=38, application=with_offer, round_number=3)
    # Did not: rejected; the application closed with no later round.
    reflect(days_ago=37, outcome=InterviewOutcome.REJECTED)
    reflect(days_ago=36, application=ApplicationFactory(owner=owner, stage=Stage.NO_REPLY))
    # Undecided: only a cancelled later round; an offer from before the interview (history out of order).
    cancelled_next = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    reflect(days_ago=35, application=cancelled_next)
    InterviewFactory(
        application=cancelled_next,
        round_number=2,
        starts_at=timezone.now() - dt.timedelta(days=20),
        cancelled_at=timezone.now() - dt.timedelta(days=25),
    )
    old_offer = ApplicationFactory(owner=owner, stage=Stage.FINAL_ROUND)
    StageChange.objects.create(
        application=old_offer, to_stage=Stage.OFFER, changed_at=timezone.now() - dt.timedelta(days=50)
    )
    reflect(days_ago=34, application=old_offer)

    comparison = good_signs_versus_progress(user=owner, minimum=1)

    assert (comparison.led_on_total, comparison.ended_total) == (3, 2)
    met_colleagues = next(row for row in comparison.rows if row.sign.key == "met_colleagues")
    assert (met_colleagues.led_on_count, met_colleagues.ended_count) == (3, 2)


def test_percentages_are_whole_numbers_with_halves_rounded_up():
    sign = checklists.GOOD_SIGNS[0]
    row = GoodSignComparison(sign=sign, led_on_count=1, led_on_total=8, ended_count=2, ended_total=3)

    assert (row.led_on_percent, row.ended_percent) == (13, 67)


def test_every_good_sign_is_compared_even_if_never_ticked(owner):
    _decided(owner, led_on=5, ended=5)

    comparison = good_signs_versus_progress(user=owner)

    assert comparison.enough_data
    assert len(comparison.rows) == 11
    assert {(row.led_on_percent, row.ended_percent) for row in comparison.rows} == {(0, 0)}


# --- Cost and safety of the page ------------------------------------------------------------------


def _fill_journal(user, count: int) -> None:
    for n in range(count):
        _reflect(
            user,
            days_ago=n + 1,
            outcome=[InterviewOutcome.PASSED, InterviewOutcome.REJECTED, InterviewOutcome.PENDING][n % 3],
            mistakes=["rambled", "froze"][: n % 3],
            good_signs=["ran_long"] if n % 2 else [],
            confidence=1 + n % 5,
            gut_score=1 + (n + 2) % 5,
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        _page(client)
    return len(captured)


def test_the_page_costs_the_same_queries_with_3_or_40_reflections(visitors):
    _fill_journal(visitors.owner_user, 3)
    small = _queries(visitors.owner)
    _fill_journal(visitors.owner_user, 37)

    assert _queries(visitors.owner) == small
    # 40 reflections: enough on both sides for the comparison, so its table is drawn too.
    assert "good-signs-table" in _page(visitors.owner)


class _InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style":
            self.found.append("<style> block")
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        self.found.extend(f"{name}= on <{tag}>" for name in names if name == "style" or name.startswith("on"))


def test_the_page_runs_no_inline_script_or_style(visitors):
    _fill_journal(visitors.owner_user, 12)
    finder = _InlineCodeFinder()

    finder.feed(_page(visitors.owner))

    assert finder.found == []


def test_the_page_says_signs_are_not_verdicts(visitors):
    page = _page(visitors.owner)

    assert "Signs are signs, not verdicts." in page
    assert "Plenty of people who felt an interview went badly got the job" in page
