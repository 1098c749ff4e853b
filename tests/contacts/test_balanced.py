"""The balanced-feedback helper: harsh self-talk is spotted, balanced wording is left alone."""

import re

import pytest

from apps.contacts.balanced import RULES, review


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("I completely messed up the coding task.", "messed_up"),
        ("Honestly I messed it up.", "messed_up"),
        ("I blew it on the last question.", "messed_up"),
        ("The whole thing was a total disaster.", "disaster"),
        ("It was totally a disaster from the start.", "disaster"),
        ("Disaster.", "disaster"),
        ("I'm useless at live coding.", "put_down"),
        ("I am useless under pressure.", "put_down"),
        ("I\u2019m an idiot, I forgot their product name.", "put_down"),
        ("I felt hopeless by the end.", "put_down"),
        ("That was a stupid answer.", "put_down"),
        ("I always freeze on system design.", "always"),
        ("I never get these right.", "never"),
        ("Worst interview ever.", "worst_ever"),
        ("That was the worst interview I've ever had.", "worst_ever"),
        ("I failed the take-home.", "failed"),
        ("I feel like a complete failure.", "failed"),
        ("My answer on salary was terrible.", "harsh_word"),
        ("The presentation went awful.", "harsh_word"),
        ("I should never have applied for this.", "regret_applying"),
        ("I shouldn't have applied.", "regret_applying"),
        ("Nothing went right today.", "nothing_went_right"),
        ("Everything went wrong after the first question.", "nothing_went_right"),
        ("I'm not good enough for this team.", "not_good_enough"),
        ("I embarrassed myself in front of the panel.", "embarrassed"),
        ("I COMPLETELY MESSED UP", "messed_up"),
    ],
)
def test_harsh_phrases_are_flagged(text, key):
    assert key in [flag.key for flag in review(text)]


BALANCED = [
    "One question caught me off guard; next time I will pause before answering.",
    "I asked when I would hear back.",
    "Nevertheless, I enjoyed meeting the team.",
    "The system design question went well, and I would like to go further.",
    "I was less sure on the SQL question; I am revising window functions this week.",
    "The failover question was tricky; next time I will draw the diagram first.",
    "It is a hopeful start, and the hiring manager was friendly.",
    "Everything went to plan until the last question, which I answered too briefly.",
    "I messaged the recruiter on Friday to thank them for setting it up.",
    "The coding exercise ran out of time; next time I will talk through my plan first.",
    "",
]


@pytest.mark.parametrize("text", BALANCED)
def test_balanced_sentences_are_left_alone(text):
    assert review(text) == []


def test_every_rule_has_a_stable_key_a_label_and_a_suggestion():
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys))
    for rule in RULES:
        assert re.fullmatch(r"[a-z_]+", rule.key)
        assert rule.label.strip()
        assert len(rule.suggestion) > 30
        assert rule.pattern.flags & re.IGNORECASE


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.key)
def test_each_suggested_example_reads_balanced_itself(rule):
    # The reframe offered must not trip the helper: it would be a poor example.
    examples = re.findall(r'"([^"]+)"', rule.suggestion)
    assert examples, "a suggestion shows what to say instead"
    for example in examples:
        assert review(example) == []


def test_a_flag_says_where_the_words_are_so_they_can_be_highlighted():
    text = "The intro went well, but I completely messed up the coding task."

    (flag,) = review(text)

    assert flag.matched == "I completely messed up"
    assert text[flag.start : flag.end] == flag.matched
    assert flag.before == "The intro went well, but "
    assert flag.after == " the coding task."


def test_long_text_around_a_match_is_cut_with_an_ellipsis():
    text = "word " * 30 + "disaster" + " word" * 30

    (flag,) = review(text)

    assert flag.before.startswith("\u2026") and flag.after.endswith("\u2026")
    assert len(flag.before) < 45 and len(flag.after) < 45


def test_a_rule_is_flagged_once_however_often_it_matches():
    flags = review("I always freeze, I always rush, and I always forget to ask questions.")

    assert [flag.key for flag in flags] == ["always"]
    assert flags[0].count == 3
    assert flags[0].start == 2


def test_a_specific_phrase_is_not_flagged_again_by_the_word_inside_it():
    flags = review("I should never have applied.")

    assert [flag.key for flag in flags] == ["regret_applying"]


def test_several_habits_in_one_text_are_each_flagged():
    flags = review("It was a disaster. I always ramble and I'm useless at whiteboards.")

    assert {flag.key for flag in flags} == {"disaster", "always", "put_down"}


def test_a_long_repetitive_text_is_judged_as_its_short_self():
    # Checked as the person types: a rule that backtracked badly would stall the page
    # (bench/balanced.py times these texts; a time is no test on a shared machine).
    for chunk in ("a ", "total ", "I am so ", "I should ", "worst ", "nothing went "):
        long_text = chunk * (20_000 // len(chunk))
        assert {flag.key for flag in review(long_text)} == {flag.key for flag in review(chunk * 3)}, chunk
