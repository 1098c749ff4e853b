"""Deleting an application, and bringing it back."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.core.models import DeletedItem
from apps.pipeline import services
from apps.pipeline.models import Application, StageChange
from apps.reminders.models import Reminder
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(owner):
    made = services.application_create(owner=owner, company_name="Acme", role_title="Data Engineer")
    services.application_move_stage(application=made, to_stage="screening")
    InterviewFactory(application=made)
    return made


def delete(client, application):
    return client.post(reverse("pipeline:application_delete", args=[application.pk]))


def test_deleting_takes_it_and_all_it_held_and_offers_an_undo(visitors, application):
    answer = delete(visitors.owner, application)

    assert answer.status_code == 302 and answer["Location"] == reverse("pipeline:application_list")
    (message,) = [str(m) for m in get_messages(answer.wsgi_request)]
    assert "Deleted Data Engineer at Acme." in message and ">Undo</button>" in message
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not StageChange.objects.filter(application_id=application.pk).exists()
    assert not Reminder.objects.filter(application_id=application.pk).exists()


def test_undo_brings_it_back_as_it_was_and_opens_it(visitors, application):
    history = list(StageChange.objects.filter(application=application).values_list("pk", "to_stage"))
    reminders = sorted(Reminder.objects.filter(application=application).values_list("pk", "status"))
    delete(visitors.owner, application)
    item = DeletedItem.objects.get()

    answer = visitors.owner.post(reverse("deleted_item_restore", args=[item.pk]))

    assert answer["Location"] == reverse("pipeline:application_detail", args=[application.pk])
    assert list(StageChange.objects.filter(application=application).values_list("pk", "to_stage")) == history
    assert sorted(Reminder.objects.filter(application=application).values_list("pk", "status")) == reminders
    assert not DeletedItem.objects.exists()


def test_undo_from_a_second_tab_after_the_first_finds_nothing_to_bring_back(visitors, application):
    delete(visitors.owner, application)
    restore = reverse("deleted_item_restore", args=[DeletedItem.objects.get().pk])
    visitors.owner.post(restore)

    again = visitors.owner.post(restore)

    assert again.status_code == 404
    assert Application.objects.filter(pk=application.pk).count() == 1


def test_an_undo_that_cannot_be_done_says_why_and_keeps_the_item(visitors, application, owner):
    delete(visitors.owner, application)
    item = DeletedItem.objects.get()
    Application.objects.create(
        pk=application.pk, owner=owner, company=CompanyFactory(owner=owner), role_title="X"
    )

    answer = visitors.owner.post(reverse("deleted_item_restore", args=[item.pk]), follow=True)

    assert "did not come back" in answer.content.decode()
    assert DeletedItem.objects.filter(pk=item.pk).exists()


def test_nobody_else_can_delete_or_bring_back_my_application(visitors, application):
    assert delete(visitors.stranger, application).status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()
    delete(visitors.owner, application)
    item = DeletedItem.objects.get()

    assert visitors.stranger.post(reverse("deleted_item_restore", args=[item.pk])).status_code == 404
    assert "Data Engineer at Acme" not in visitors.stranger.get(reverse("deleted_items")).content.decode()
    assert "Data Engineer at Acme" in visitors.owner.get(reverse("deleted_items")).content.decode()


def test_deleting_is_a_post(visitors, application):
    assert (
        visitors.owner.get(reverse("pipeline:application_delete", args=[application.pk])).status_code == 405
    )
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_application_page_offers_delete(visitors, application):
    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    assert f'action="{reverse("pipeline:application_delete", args=[application.pk])}"' in page


def test_other_applications_are_untouched(visitors, application, owner):
    other = ApplicationFactory(owner=owner)

    delete(visitors.owner, application)

    assert Application.objects.filter(pk=other.pk).exists()
