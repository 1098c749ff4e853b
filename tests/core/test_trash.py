"""Deleting that can be undone: what comes back is exactly what went."""

import pytest
from django.core.exceptions import ValidationError

from apps.core import trash
from apps.core.models import DeletedItem
from apps.journal.models import Lesson
from apps.pipeline.models import Application
from tests.data.builders import build_rich_account
from tests.data.helpers import export_document, row_counts, without_stamps

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(owner):
    return build_rich_account(owner)


def _with_interviews(account) -> Application:
    return account.past_interview.application


def test_an_application_brought_back_is_exactly_as_it_was_with_all_it_took(owner, account):
    before, counts = without_stamps(export_document(owner)), row_counts()
    application = _with_interviews(account)

    item = trash.throw_away(user=owner, instance=application, label=str(application))
    gone = row_counts()
    trash.bring_back(item=item)

    # Everything it had (history, interviews, reflections, reminders, prep...) left with it...
    assert sum(gone.values()) < sum(counts.values()) - 5
    # ...and came back, with the same ids and links: the account exports the same.
    assert without_stamps(export_document(owner)) == before
    assert {k: v for k, v in row_counts().items() if k != "core.DeletedItem"} == {
        k: v for k, v in counts.items() if k != "core.DeletedItem"
    }
    assert not DeletedItem.objects.exists()


def test_a_row_elsewhere_left_pointing_at_nothing_points_at_it_again(owner, account):
    # A lesson outlives its reflection (SET_NULL): deleting the application empties the link.
    application = _with_interviews(account)
    lessons = Lesson.objects.filter(reflection__interview__application=application)
    linked = dict(lessons.values_list("pk", "reflection_id"))
    assert linked, "the rich account's past interview has a reflection with lessons"

    item = trash.throw_away(user=owner, instance=application, label="x")
    emptied = dict(Lesson.objects.filter(pk__in=linked).values_list("pk", "reflection_id"))
    trash.bring_back(item=item)

    assert emptied == dict.fromkeys(linked)
    assert dict(Lesson.objects.filter(pk__in=linked).values_list("pk", "reflection_id")) == linked


def test_something_made_since_in_its_place_refuses_the_undo_and_changes_nothing(owner, account):
    application = _with_interviews(account)
    item = trash.throw_away(user=owner, instance=application, label="x")
    # A row the undo would write again now exists under its id: here, the same row put back by hand.
    first = item.rows[0]
    model = Application if first["model"] == "pipeline.application" else None
    assert model is not None
    counts = row_counts()
    Application.objects.create(
        pk=first["pk"], owner=owner, company_id=first["fields"]["company"], role_title="Made since"
    )

    with pytest.raises(ValidationError, match="cannot come back as it was"):
        trash.bring_back(item=item)

    assert row_counts()["pipeline.Application"] == counts["pipeline.Application"] + 1
    assert DeletedItem.objects.filter(pk=item.pk).exists()


def test_deleted_things_are_let_go_after_a_month(owner, account, time_machine):
    first, second = account.applications[:2]
    time_machine.move_to("2026-01-01")
    old = trash.throw_away(user=owner, instance=first, label="old")
    time_machine.move_to("2026-02-15")
    trash.throw_away(user=owner, instance=second, label="new")

    assert list(DeletedItem.objects.values_list("label", flat=True)) == ["new"]
    assert not DeletedItem.objects.filter(pk=old.pk).exists()
