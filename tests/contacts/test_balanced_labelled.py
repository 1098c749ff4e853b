"""The balanced-feedback helper judged on hand-labelled sentences, and the cases people notice."""

from apps.contacts.balanced import RULES, review
from tests.contacts.balanced_sentences import LABELLED

ALWAYS = next(rule for rule in RULES if rule.key == "always")
NEVER = next(rule for rule in RULES if rule.key == "never")


def _misjudged() -> tuple[list[str], list[str]]:
    """The fine sentences it flags, and the harsh ones it lets through."""
    flagged_fine = [text for text, harsh in LABELLED if not harsh and review(text)]
    missed_harsh = [text for text, harsh in LABELLED if harsh and not review(text)]
    return flagged_fine, missed_harsh


def test_the_labelled_set_is_big_enough_and_about_half_harsh():
    texts = [text for text, _ in LABELLED]
    harsh = sum(1 for _, is_harsh in LABELLED if is_harsh)

    assert len(texts) >= 80
    assert len(set(texts)) == len(texts), "each sentence once"
    assert 0.4 <= harsh / len(texts) <= 0.6


def test_precision_and_recall_on_the_labelled_set_are_above_nine_in_ten():
    flagged_fine, missed_harsh = _misjudged()
    harsh_total = sum(1 for _, is_harsh in LABELLED if is_harsh)
    true_positives = harsh_total - len(missed_harsh)

    precision = true_positives / (true_positives + len(flagged_fine))
    recall = true_positives / harsh_total

    assert precision > 0.9, f"flagged although fine: {flagged_fine}"
    assert recall > 0.9, f"harsh but not flagged: {missed_harsh}"


# --- What a person notices as they type --------------------------------------------------


def test_a_habit_said_with_always_or_never_is_left_alone():
    for text in (
        "I always write tests first.",
        "I never miss a deadline.",
        "I\u2019ve always wanted to work in climate tech.",
    ):
        assert review(text) == [], text


def test_freezing_every_time_is_flagged_with_a_reframe_for_this_interview():
    (flag,) = review("I always freeze on system design.")

    assert flag.key == "always"
    assert flag.matched == "always freeze"
    assert flag.suggestion == ALWAYS.suggestion
    assert "next time" in flag.suggestion


def test_never_getting_it_right_is_flagged_however_it_is_typed():
    for text in ("I never get these right.", "i\u2019ll never be good at this", "I CAN NEVER DO WELL"):
        assert [flag.key for flag in review(text)] == ["never"], text
        assert review(text)[0].suggestion == NEVER.suggestion


def test_a_harsh_word_about_something_else_is_not_about_you():
    for text in (
        "The awful traffic made me late, but I apologised.",
        "We talked through their disaster recovery plan.",
        "The failed deploy taught the team to add a rollback step.",
        "The worst part of the commute is the bridge.",
        "I explained how the team messed up a release and how I led the fix.",
    ):
        assert review(text) == [], text


def test_the_same_harsh_word_about_yourself_is_flagged():
    assert [flag.key for flag in review("I was awful in the technical round.")] == ["harsh_word"]
    assert [flag.key for flag in review("It was a total disaster.")] == ["disaster"]
    assert [flag.key for flag in review("Honestly, totally blew it.")] == ["messed_up"]


def test_growing_into_something_reads_balanced():
    assert review("I\u2019m not good at small talk yet, but I\u2019m working on it.") == []
