import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.decide.selectors import ELIGIBLE_STAGES, Weights, decision_comparison
from apps.pipeline.models import Stage
from tests.accounts.factories import UserFactory
from tests.decide.factories import DecisionWeightsFactory, candidate
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import InterviewFactory

pytestmark = pytest.mark.django_db

EQUAL = Weights(job=1, company=1, manager=1, gut=1)


def _compare(user, **kwargs):
    return decision_comparison(user=user, now=timezone.now(), **kwargs)


def _by_name(comparison):
    return {c.name: c for c in comparison.candidates}


def test_each_score_is_the_average_of_every_reflection_with_their_notes_newest_round_first(owner):
    candidate(
        owner,
        "Acme",
        {"job_score": 3, "job_note": "Mostly maintenance work"},
        {"job_score": 4},
        {"job_score": 5, "job_note": "The roadmap is exactly what I want next"},
    )

    acme = _by_name(_compare(owner))["Acme"]

    job = acme.question("job")
    assert job.average == 4
    assert [answer.interview.round_number for answer in job.answers] == [3, 2, 1]
    assert [answer.note for answer in job.answers] == [
        "The roadmap is exactly what I want next",
        "",
        "Mostly maintenance work",
    ]
    assert acme.reflection_count == 3
    assert acme.total == Decimal("4.0")


def test_a_question_nobody_scored_is_left_out_of_the_total_rather_than_counted_as_zero(owner):
    candidate(owner, "Acme", {"job_score": 4, "gut_score": 2})

    acme = _by_name(_compare(owner, weights=Weights(job=3, company=5, manager=5, gut=1)))["Acme"]

    # (3 x 4 + 1 x 2) / (3 + 1): the company and the manager have no score yet.
    assert acme.total == Decimal("3.5")
    assert acme.unscored_topics == ["the company", "the manager"]


def test_the_persons_weights_decide_who_leads(owner):
    candidate(owner, "Acme", {"job_score": 5, "manager_score": 2, "job_note": "The work is the dream"})
    candidate(owner, "Globex", {"job_score": 2, "manager_score": 5, "manager_note": "She listened"})

    job_first = _compare(owner, weights=Weights(job=5, company=3, manager=1, gut=3))
    manager_first = _compare(owner, weights=Weights(job=1, company=3, manager=5, gut=3))

    assert job_first.verdict.kind == "lead"
    assert job_first.verdict.leader.name == "Acme"
    assert (job_first.verdict.leader.total, job_first.verdict.runner_up.total) == (
        Decimal("4.5"),
        Decimal("2.5"),
    )
    assert manager_first.verdict.leader.name == "Globex"
    assert manager_first.leader_id == manager_first.verdict.leader.application.pk


def test_the_saved_weights_are_used_and_the_default_counts_every_question_the_same(owner):
    candidate(owner, "Acme", {"job_score": 3, "manager_score": 1})
    candidate(owner, "Globex", {"job_score": 1, "manager_score": 4})

    before = _compare(owner)
    DecisionWeightsFactory(owner=owner, job=5, company=0, manager=1, gut=0)
    after = _compare(owner)

    assert before.weights == Weights(job=3, company=3, manager=3, gut=3)
    assert before.verdict.leader.name == "Globex"  # 2.5 against 2.0
    assert after.weights == Weights(job=5, company=0, manager=1, gut=0)
    assert after.verdict.leader.name == "Acme"


def test_the_why_is_the_question_that_gives_the_lead_in_the_persons_own_newest_note(owner):
    candidate(
        owner,
        "Acme",
        {"manager_score": 3, "manager_note": "Hard to read in round one"},
        {"manager_score": 5, "manager_note": "She gave straight answers about the reorg"},
        {"job_score": 4, "manager_score": 5, "manager_note": "", "job_note": "Good scope"},
    )
    candidate(
        owner, "Globex", {"job_score": 4, "manager_score": 2, "manager_note": "Kept checking his phone"}
    )

    verdict = _compare(owner, weights=EQUAL).verdict

    assert verdict.leader.name == "Acme"
    assert verdict.driver.question.key == "manager"
    assert verdict.driver.topic == "the manager"
    assert round(verdict.driver.average, 2) == 4.33
    assert verdict.driver_behind.average == 2
    # The newest note written, skipping the round where none was.
    assert verdict.quote == "She gave straight answers about the reorg"


def test_the_why_has_no_quote_when_the_leader_wrote_no_note_on_that_question(owner):
    candidate(owner, "Acme", {"gut_score": 5})
    candidate(owner, "Globex", {"gut_score": 3, "gut_note": "Something felt off"})

    verdict = _compare(owner, weights=EQUAL).verdict

    assert verdict.driver.question.key == "gut"
    assert verdict.quote == ""


def test_equal_totals_are_a_tie_not_a_lead(owner):
    candidate(owner, "Acme", {"job_score": 5, "manager_score": 3})
    candidate(owner, "Globex", {"job_score": 3, "manager_score": 5})
    candidate(owner, "Initech", {"job_score": 1, "manager_score": 1})

    comparison = _compare(owner, weights=EQUAL)

    assert comparison.verdict.kind == "tie"
    assert comparison.verdict.level_names == "Acme and Globex"
    assert comparison.leader_id is None


def test_totals_that_print_the_same_are_level(owner):
    # 4.05 and 4.1 both print as 4.1: saying one leads "4.1 vs 4.1" would make no sense.
    candidate(owner, "Acme", *[{"job_score": 4}] * 19, {"job_score": 5})
    candidate(owner, "Globex", *[{"job_score": 4}] * 9, {"job_score": 5})

    verdict = _compare(owner, weights=EQUAL).verdict

    assert verdict.kind == "tie"


def test_an_application_with_no_reflection_has_no_scores_rather_than_zeros(owner):
    candidate(owner, "Acme", {"job_score": 4})
    application = candidate(owner, "Globex")
    held = InterviewFactory(
        application=application,
        round_number=1,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2, hours=-1),
    )
    InterviewFactory(application=application, round_number=2)  # in three days: not one to reflect on yet

    comparison = _compare(owner)
    globex = _by_name(comparison)["Globex"]

    assert not globex.has_reflection
    assert globex.total is None
    assert [summary.average for summary in globex.questions] == [None, None, None, None]
    assert globex.to_reflect_on == held
    assert comparison.verdict.kind == "unscored"
    assert comparison.verdict.leader.name == "Acme"
    assert comparison.verdict.unscored_names == "Globex"


def test_one_candidate_is_shown_on_its_own(owner):
    candidate(owner, "Acme", {"job_score": 4})

    comparison = _compare(owner)

    assert comparison.verdict.kind == "single"
    assert comparison.verdict.leader.total == Decimal("4.0")


def test_nothing_at_the_last_stages_gives_an_empty_comparison(owner):
    candidate(owner, "Acme", {"job_score": 4}, stage=Stage.SECOND_INTERVIEW)

    comparison = _compare(owner)

    assert comparison.eligible == ()
    assert comparison.verdict.kind == "empty"
    assert comparison.stages_in_a_sentence == "Final round, Reference check, Offer or Accepted"


@pytest.mark.parametrize("stage", list(Stage))
def test_only_the_final_round_the_reference_check_an_offer_and_an_accepted_offer_are_compared(owner, stage):
    candidate(owner, "Acme", stage=stage)

    compared = [c.name for c in _compare(owner).candidates]

    assert compared == (["Acme"] if stage in ELIGIBLE_STAGES else [])
    assert set(ELIGIBLE_STAGES) == {Stage.FINAL_ROUND, Stage.REFERENCE_CHECK, Stage.OFFER, Stage.ACCEPTED}


def test_archived_applications_and_reflections_on_cancelled_interviews_are_left_out(owner):
    candidate(owner, "Shelved", {"job_score": 5}, archived=True)
    acme = candidate(owner, "Acme", {"job_score": 2})
    cancelled = InterviewFactory(
        application=acme,
        round_number=2,
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(hours=23),
        cancelled_at=timezone.now() - dt.timedelta(days=3),
    )
    ReflectionFactory(interview=cancelled, job_score=5)

    comparison = _compare(owner)

    assert [c.name for c in comparison.candidates] == ["Acme"]
    assert comparison.candidates[0].question("job").average == 2


def test_signs_are_counted_across_reflections_most_often_first(owner):
    candidate(
        owner,
        "Acme",
        {"good_signs": ["ran_long", "next_steps_clear"], "warning_signs": ["awkward_close"]},
        {"good_signs": ["next_steps_clear", "next_steps_clear", "unknown_key"], "warning_signs": []},
        {"good_signs": "not a list", "warning_signs": ["awkward_close", "cut_short"]},
    )

    acme = _by_name(_compare(owner))["Acme"]

    assert [(sign.label, sign.count) for sign in acme.good_signs] == [
        ("The next steps were made clear", 2),
        ("It ran longer than planned", 1),
    ]
    assert [(sign.label, sign.count) for sign in acme.warning_signs] == [
        ("The ending was awkward", 2),
        ("It was cut short", 1),
    ]
    assert (acme.good_sign_total, acme.warning_sign_total) == (3, 3)


def test_the_chosen_ones_are_compared_and_ids_not_the_persons_are_ignored(owner):
    apps = [candidate(owner, name, {"job_score": 3}) for name in ("Acme", "Globex", "Initech", "Umbrella")]
    strangers = candidate(UserFactory(), "Hooli", {"job_score": 5})

    picked = _compare(owner, chosen={apps[0].pk, apps[2].pk, strangers.pk})
    only_theirs = _compare(owner, chosen={strangers.pk})

    assert picked.choosing
    assert [c.name for c in picked.candidates] == ["Acme", "Initech"]
    assert picked.chosen_ids == {apps[0].pk, apps[2].pk}
    assert len(picked.eligible) == 4
    assert [c.name for c in only_theirs.candidates] == ["Acme", "Globex", "Initech", "Umbrella"]


def test_another_persons_applications_and_weights_are_never_read(owner):
    stranger = UserFactory()
    candidate(stranger, "Hooli", {"job_score": 5})
    DecisionWeightsFactory(owner=stranger, job=5, company=0, manager=0, gut=0)

    comparison = _compare(owner)

    assert comparison.candidates == ()
    assert comparison.weights == Weights()


def test_columns_stay_in_stage_order_whatever_the_weights(owner):
    candidate(owner, "Zeta", {"job_score": 5}, stage=Stage.ACCEPTED)
    candidate(owner, "beta", {"job_score": 1}, stage=Stage.FINAL_ROUND)
    candidate(owner, "Alpha", {"job_score": 1}, stage=Stage.FINAL_ROUND)
    candidate(owner, "Omega", {"job_score": 3}, stage=Stage.OFFER)

    names = [c.name for c in _compare(owner).candidates]

    assert names == ["Zeta", "Omega", "Alpha", "beta"]


def test_the_comparison_costs_three_queries_however_much_there_is(owner, django_assert_num_queries):
    candidate(owner, "Acme", {"job_score": 4})
    with django_assert_num_queries(3):
        small = _compare(owner)
    for number in range(8):
        candidate(
            owner,
            f"Company {number}",
            *[{"job_score": 3, "manager_note": "ok", "good_signs": ["ran_long"]}] * 4,
        )
    with django_assert_num_queries(3):
        large = _compare(owner)

    assert len(small.candidates) == 1
    assert len(large.candidates) == 9
