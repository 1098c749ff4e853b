import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline.models import Company
from apps.reminders.dispatch import dispatch_due
from apps.reminders.models import Reminder, Status
from tests.accounts.factories import PASSWORD
from tests.data.builders import build_rich_account
from tests.data.helpers import export_document, import_document, row_counts
from tests.helpers import assert_redirects_to_login, confirm_email

pytestmark = pytest.mark.django_db

URL = reverse("portability:delete")
MAX_PATH = 5


def paths_to_user(model: type[models.Model]) -> list[str]:
    """Every chain of foreign keys from `model` to a user, as lookups ("interview__application__owner")."""
    found: list[str] = []

    def walk(current: type[models.Model], prefix: str, seen: frozenset, left: int) -> None:
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            lookup = f"{prefix}{field.name}"
            if field.related_model is User:
                found.append(lookup)
            elif left > 1 and field.related_model not in seen:
                walk(field.related_model, f"{lookup}__", seen | {field.related_model}, left - 1)

    walk(model, "", frozenset({model}), MAX_PATH)
    return found


def rows_of(user_pk: int) -> dict[str, set]:
    """The ids of every row, in every table of every app, that leads to the user by a foreign key path."""
    rows: dict[str, set] = {
        "accounts.User": set(User.objects.filter(pk=user_pk).values_list("pk", flat=True))
    }
    for model in apps.get_models(include_auto_created=True):
        paths = paths_to_user(model)
        if not paths:
            continue
        linked = models.Q()
        for path in paths:
            linked |= models.Q(**{path: user_pk})
        rows[model._meta.label] = set(model.objects.filter(linked).values_list("pk", flat=True))
    rows["sessions"] = {
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get(SESSION_KEY) == str(user_pk)
    }
    return rows


@pytest.fixture
def accounts(visitors):
    """Both people have a full account; mine also has imported data, a confirmed address and two sessions."""
    build_rich_account(visitors.owner_user)
    build_rich_account(visitors.stranger_user, label="Globex")
    import_document(visitors.owner_user, export_document(visitors.stranger_user))
    confirm_email(visitors.owner_user)
    confirm_email(visitors.stranger_user)
    other_device = Client()
    other_device.force_login(visitors.owner_user)
    return visitors, other_device


def delete(client: Client, password: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, {"password": password})


def test_deleting_leaves_no_row_that_leads_to_me_in_any_table(accounts, django_capture_on_commit_callbacks):
    visitors, _ = accounts
    mine = rows_of(visitors.owner_user.pk)
    assert {label for label, ids in mine.items() if ids} >= {
        "accounts.User",
        "pipeline.Company",
        "pipeline.Application",
        "pipeline.StageChange",
        "pipeline.Interview",
        "journal.Reflection",
        "journal.Lesson",
        "contacts.Contact",
        "contacts.InterviewParticipant",
        "contacts.ApplicationReference",
        "prep.PrepPlan",
        "prep.PlanStory",
        "reminders.Reminder",
        "reminders.ReminderSettings",
        "account.EmailAddress",
        "portability.ImportedRef",
        "sessions",
    }

    response = delete(visitors.owner, PASSWORD, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    left = rows_of(visitors.owner_user.pk)
    assert {label: ids for label, ids in left.items() if ids} == {}
    # Rows found before by their path, looked up again by id: none survived
    # detached from the chain that led to me.
    for label, ids in mine.items():
        if label != "sessions" and ids:
            model = apps.get_model(label)
            assert not model.objects.filter(pk__in=ids).exists(), label


def test_deleting_my_account_leaves_other_peoples_rows_as_they_were(
    accounts, django_capture_on_commit_callbacks
):
    visitors, _ = accounts
    theirs = rows_of(visitors.stranger_user.pk)
    their_export = export_document(visitors.stranger_user)

    delete(visitors.owner, PASSWORD, django_capture_on_commit_callbacks)

    assert rows_of(visitors.stranger_user.pk) == theirs
    assert export_document(visitors.stranger_user)["applications"] == their_export["applications"]
    assert visitors.stranger.get(reverse("pipeline:application_list")).status_code == 200


def test_after_deleting_i_am_signed_out_everywhere(accounts, django_capture_on_commit_callbacks):
    visitors, other_device = accounts

    delete(visitors.owner, PASSWORD, django_capture_on_commit_callbacks)

    assert_redirects_to_login(visitors.owner.get(reverse("pipeline:application_list")))
    assert_redirects_to_login(other_device.get(reverse("pipeline:application_list")))
    assert not Client().login(email="owner@example.com", password=PASSWORD)


def test_one_last_email_confirms_the_account_is_gone_and_no_reminder_follows(
    accounts, django_capture_on_commit_callbacks
):
    visitors, _ = accounts
    assert Reminder.objects.for_user(visitors.owner_user).filter(status=Status.PENDING).exists()

    delete(visitors.owner, PASSWORD, django_capture_on_commit_callbacks)
    dispatch_due(now=timezone.now() + dt.timedelta(days=60))

    to_me = [message for message in mail.outbox if message.to == ["owner@example.com"]]
    assert [message.subject for message in to_me] == ["Your Second Round account is deleted"]
    assert "owner@example.com has been deleted" in to_me[0].body
    assert "owner@example.com has been deleted" in to_me[0].alternatives[0][0]


def test_a_wrong_password_deletes_nothing(accounts, django_capture_on_commit_callbacks):
    visitors, _ = accounts
    before = row_counts()

    response = delete(visitors.owner, "not my password", django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    assert row_counts() == before
    assert mail.outbox == []
    assert visitors.owner.get(reverse("pipeline:application_list")).status_code == 200


def test_guessing_the_password_is_stopped_after_a_few_tries(
    accounts, django_capture_on_commit_callbacks, settings
):
    # A cache of this test's own: the shared Redis is cleared by other test runs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    visitors, _ = accounts
    statuses = [
        delete(visitors.owner, f"guess {n}", django_capture_on_commit_callbacks).status_code for n in range(6)
    ]

    assert statuses == [400] * 5 + [429]
    response = delete(visitors.owner, PASSWORD, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert User.objects.filter(pk=visitors.owner_user.pk).exists()


def test_the_page_says_what_will_be_deleted(accounts):
    visitors, _ = accounts

    page = visitors.owner.get(URL).content.decode()

    assert "owner@example.com" in page
    assert "<li>6 applications</li>" in page  # three built, three brought in by the import
    assert "<li>1 reflection</li>" not in page and "<li>2 reflections</li>" in page
    assert 'type="password"' in page


def test_a_visitor_is_sent_to_log_in(client):
    assert_redirects_to_login(client.get(URL))
    assert_redirects_to_login(client.post(URL, {"password": PASSWORD}))


def test_companies_go_with_the_applications_that_hold_them(owner, django_capture_on_commit_callbacks):
    build_rich_account(owner)
    client = Client()
    client.force_login(owner)

    delete(client, PASSWORD, django_capture_on_commit_callbacks)

    assert not Company.objects.filter(owner_id=owner.pk).exists()
    assert not EmailAddress.objects.filter(email="owner@example.com").exists()
