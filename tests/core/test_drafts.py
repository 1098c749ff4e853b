"""The one versioning rule every draft form saves by: merge per field, never drop words."""

from __future__ import annotations

import json

from django.http import QueryDict

from apps.core import drafts


def test_fields_only_one_side_changed_are_merged():
    saved = {"story": "Tab one's story", "went_well": "", "score": 3}
    base = {"story": "", "went_well": "", "score": 3}
    mine = {"story": "", "went_well": "Tab two's answer", "score": 3}

    merged = drafts.merge_per_field(saved=saved, base=base, mine=mine)

    assert merged.values == {"story": "Tab one's story", "went_well": "Tab two's answer", "score": 3}
    assert merged.conflicts == []


def test_the_same_text_changed_on_both_sides_keeps_the_saved_one_and_hands_back_mine():
    merged = drafts.merge_per_field(
        saved={"story": "From the phone"}, base={"story": ""}, mine={"story": "Laptop"}
    )

    assert merged.values == {"story": "From the phone"}
    assert merged.conflicts == [drafts.FieldConflict(name="story", theirs="From the phone", mine="Laptop")]


def test_the_same_change_made_twice_is_no_conflict():
    merged = drafts.merge_per_field(saved={"story": "Same"}, base={"story": ""}, mine={"story": "Same"})

    assert (merged.values, merged.conflicts) == ({"story": "Same"}, [])


def test_ticks_merge_by_what_each_side_added_and_removed():
    merged = drafts.merge_per_field(
        saved={"signs": ["ran_long", "met_team"]},  # the other tab added met_team
        base={"signs": ["ran_long", "salary"]},  # ...and removed salary
        mine={"signs": ["salary", "next_steps"]},  # this one removed ran_long, added next_steps
    )

    assert merged.values == {"signs": ["met_team", "next_steps"]}
    assert merged.conflicts == []


def test_a_score_changed_on_both_sides_takes_the_latest_tap():
    merged = drafts.merge_per_field(saved={"score": 2}, base={"score": None}, mine={"score": 4})

    assert (merged.values, merged.conflicts) == ({"score": 4}, [])


def test_a_base_comes_from_json_of_lists_of_text_and_nothing_else():
    good = QueryDict(mutable=True)
    good["draft_base"] = json.dumps({"story": ["Once"], "signs": ["a", "b"]})
    base = drafts.base_from_post(good, ["story", "signs", "score"])

    assert (base.getlist("story"), base.getlist("signs"), base.getlist("score")) == (["Once"], ["a", "b"], [])
    for bad in ("", "not json", "[1, 2]", json.dumps({"story": "not a list"}), json.dumps({"story": [1]})):
        data = QueryDict(mutable=True)
        data["draft_base"] = bad
        assert drafts.base_from_post(data, ["story"]) is None, bad
    huge = QueryDict(mutable=True)
    huge["draft_base"] = json.dumps({"story": ["x" * drafts.MAX_BASE_BYTES]})
    assert drafts.base_from_post(huge, ["story"]) is None


def test_line_breaks_sent_as_crlf_or_lf_are_the_same_text():
    merged = drafts.merge_per_field(
        saved={"story": "One\r\nTwo"}, base={"story": "One\nTwo"}, mine={"story": "One\r\nTwo"}
    )

    assert (merged.values, merged.conflicts) == ({"story": "One\r\nTwo"}, [])
