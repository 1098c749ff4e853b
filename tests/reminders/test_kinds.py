"""The registry of kinds and the kernel's promise: it depends on accounts and core only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from apps.reminders import api, kinds, links
from apps.reminders.models import Kind, Reminder
from tests.contacts.factories import ContactFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

KERNEL = Path(__file__).resolve().parents[2] / "apps" / "reminders"
KERNEL_MAY_IMPORT = {"apps.reminders", "apps.accounts", "apps.core"}


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_kernel_imports_no_app_but_accounts_and_core():
    reaching_out = {
        f"{path.relative_to(KERNEL)}: {module}"
        for path in KERNEL.rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith("apps.") and ".".join(module.split(".")[:2]) not in KERNEL_MAY_IMPORT
    }
    assert reaching_out == set()


@pytest.mark.parametrize("row", kinds.ROWS, ids=lambda row: row.key)
def test_every_kind_has_its_context_function_templates_and_page(row):
    assert callable(row.context_function())
    for suffix in ("_subject.txt", ".txt", ".html"):
        get_template(f"{row.emails}{suffix}")
    assert reverse(row.page, args=[] if row.page_about == kinds.ACCOUNT else [1])


def test_the_kinds_choices_are_the_registry():
    assert [value for value, _ in Reminder._meta.get_field("kind").choices] == [row.key for row in kinds.ROWS]
    assert Kind.THANK_YOU == "thank_you" and Kind.THANK_YOU.label == "Send a thank-you note"


def test_dedupe_keys_travel_as_templates_and_come_back_with_the_new_id():
    key = kinds.get(Kind.FOLLOW_UP).dedupe_key(42, "2026-03-01")

    assert key == "follow_up:application:42:2026-03-01"
    assert kinds.key_template(key) == "follow_up:application:{id}:2026-03-01"
    assert kinds.key_from_template(kinds.key_template(key), 7) == "follow_up:application:7:2026-03-01"
    assert kinds.key_template("nudge:imported:abc") == ""


# Where each kind's "Open" should land: the page's name, and whose id it takes.
EXPECTED_PAGES = {
    Kind.THANK_YOU: ("contacts:thank_you", "interview_id"),
    Kind.RECRUITER_DEBRIEF: ("contacts:debrief", "interview_id"),
    Kind.REFLECTION_PROMPT: ("journal:reflect", "interview_id"),
    Kind.PREP_REVIEW: ("prep:brief", "interview_id"),
    Kind.REFERENCE_HEADS_UP: ("contacts:references", "application_id"),
    Kind.REFERENCE_THANKS: ("contacts:references", "application_id"),
    Kind.FOLLOW_UP: ("reminders:note", "pk"),
    Kind.NUDGE: ("reminders:note", "pk"),
    Kind.KEEP_SEARCHING: ("pipeline:keep_searching", None),
}


def _expected_page(reminder: Reminder) -> str:
    name, id_field = EXPECTED_PAGES[reminder.kind]
    return reverse(name, args=[getattr(reminder, id_field)] if id_field else [])


def test_open_in_an_email_leads_to_the_page_where_the_thing_is_done(owner):
    from apps.contacts import services as contacts

    application = ApplicationFactory(owner=owner)
    upcoming = InterviewFactory(application=application)
    api.schedule_about(what=kinds.INTERVIEW, about=upcoming)
    reference = contacts.reference_add(application=application, referee=ContactFactory(owner=owner))
    api.schedule(kind=Kind.REFERENCE_HEADS_UP, about=reference)
    api.schedule(kind=Kind.REFERENCE_THANKS, about=reference)
    api.schedule(kind=Kind.NUDGE, about=application, occasion="quiet")
    api.schedule(kind=Kind.FOLLOW_UP, about=application, due_at=upcoming.ends_at, occasion="asked")
    api.schedule(kind=Kind.KEEP_SEARCHING, about=owner, occasion="2026-W49")
    made = {reminder.kind: reminder for reminder in Reminder.objects.for_user(owner)}
    assert set(made) == set(Kind.values)

    client = Client()
    client.force_login(owner)
    for reminder in made.values():
        response = client.get(links.action_path(reminder, links.OPEN))
        assert response.status_code == 302
        assert response["Location"] == _expected_page(reminder), reminder.kind
        assert client.get(response["Location"]).status_code == 200, reminder.kind


def test_a_kind_switched_off_makes_no_reminder_unless_the_person_asked(owner):
    from apps.reminders.models import ReminderSettings

    ReminderSettings.objects.create(owner=owner, kinds_off=[Kind.FOLLOW_UP])
    application = ApplicationFactory(owner=owner)

    assert api.schedule(kind=Kind.FOLLOW_UP, about=application, occasion="a") is None
    asked = api.save(
        api.plan(
            kind=Kind.FOLLOW_UP, about=application, due_at=application.created_at, occasion="b", asked=True
        )
    )
    assert asked.pk is not None
