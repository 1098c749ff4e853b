"""The one-click links in reminder emails: done (with undo), snooze, open.

Opening a done or snooze link (GET or HEAD, as mail scanners do) changes nothing and
asks for one tap; the tap posts back to the same address, with no CSRF token.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from apps.reminders import emails, links
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.core.test_pages import INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

SITE = "https://secondround.example"
# 19:00 UTC in January is 14:00 in New York.
NOW = dt.datetime(2030, 1, 15, 19, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def seeker(db):
    return UserFactory(email="ada@example.com", time_zone="America/New_York")


@pytest.fixture
def interview(seeker):
    application = ApplicationFactory(owner=seeker, role_title="Platform Engineer")
    return InterviewFactory(application=application, starts_at=NOW - dt.timedelta(hours=3))


def _reminder(interview, kind: str = Kind.THANK_YOU, status: str = Status.SENT) -> Reminder:
    return Reminder.objects.create(
        owner=interview.application.owner,
        kind=kind,
        due_at=NOW - dt.timedelta(hours=1),
        next_try_at=NOW - dt.timedelta(hours=1),
        status=status,
        sent_at=NOW - dt.timedelta(hours=1) if status == Status.SENT else None,
        application=interview.application,
        interview=interview,
        dedupe_key=f"{kind}:test:{uuid.uuid4()}",
    )


def _path(reminder: Reminder, action: str) -> str:
    return links.action_url(reminder, action).removeprefix(SITE)


def _unchanged(reminder: Reminder) -> bool:
    before = (reminder.status, reminder.due_at, reminder.closed_at)
    reminder.refresh_from_db()
    return (reminder.status, reminder.due_at, reminder.closed_at) == before


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_token_names_its_reminder_and_action_and_the_url_is_absolute(interview):
    reminder = _reminder(interview)

    url = links.action_url(reminder, "snooze")

    assert url.startswith(f"{SITE}/")
    token = url.removeprefix(SITE).rstrip("/").rsplit("/", 1)[-1]
    assert links.read_token(token) == (reminder.pk, "snooze")


def test_an_unknown_action_cannot_be_signed(interview):
    with pytest.raises(ValueError, match="delete"):
        links.make_token(_reminder(interview), "delete")


def _form(page: str) -> tuple[str, list[str]]:
    """The address the page's one form posts to, and the labels of its submit buttons."""
    [action] = re.findall(r'<form method="post" action="([^"]+)"', page)
    buttons = re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', page)
    return action, buttons


@pytest.mark.parametrize("action", ["done", "snooze"])
@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_a_done_or_snooze_link_changes_nothing(client, interview, frozen, action, method):
    reminder = _reminder(interview)

    response = getattr(client, method)(_path(reminder, action))

    assert response.status_code == 200
    assert _unchanged(reminder)
    assert reminder.status == Status.SENT


@pytest.mark.parametrize(
    ("action", "heading", "button", "why"),
    [
        ("done", "Mark this reminder as done?", "Mark it done", "close your reminders for you"),
        ("snooze", "Remind you again tomorrow?", "Remind me tomorrow", "put your reminders off for you"),
    ],
)
def test_opening_the_link_shows_the_reminder_and_one_button_that_posts_to_the_same_address(
    client, interview, frozen, action, heading, button, why
):
    reminder = _reminder(interview)
    url = _path(reminder, action)

    page = client.get(url).content.decode()

    assert heading in page
    assert "Send a thank-you note" in page
    assert f"Round 1, Platform Engineer at {interview.application.company.name}" in page
    # 18:00 UTC is 13:00 in New York.
    assert ">Tue 15 Jan, 13:00</time> (America/New_York)" in page
    assert "Emailed Tue 15 Jan, 13:00</dd>" in page
    assert f"link checkers, which open every link in an email, cannot {why}" in page
    form_action, buttons = _form(page)
    assert form_action == url
    assert buttons == [button]
    assert 'class="btn btn-primary btn-lg w-100"' in page
    assert "csrfmiddlewaretoken" not in page


def test_tapping_the_button_marks_the_reminder_done_without_logging_in_or_a_csrf_token(interview, frozen):
    reminder = _reminder(interview)
    phone = Client(enforce_csrf_checks=True)
    url = _path(reminder, "done")

    form_action, _ = _form(phone.get(url).content.decode())
    response = phone.post(form_action)

    assert response.status_code == 200
    assert "Done. Nicely handled." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
    assert reminder.closed_at == NOW


def test_tapping_done_twice_changes_nothing_more_and_says_it_is_already_done(client, interview, frozen):
    reminder = _reminder(interview)
    url = _path(reminder, "done")
    client.post(url)
    reminder.refresh_from_db()
    frozen.shift(dt.timedelta(minutes=5))

    again = client.post(url)

    assert again.status_code == 200
    assert "Already done" in again.content.decode()
    assert "Undo" in again.content.decode()
    assert _unchanged(reminder)
    assert reminder.closed_at == NOW


def test_opening_the_done_link_of_a_reminder_already_done_says_so_with_no_button_to_do_it(client, interview):
    reminder = _reminder(interview, status=Status.DONE)

    page = client.get(_path(reminder, "done")).content.decode()

    assert "Already done" in page
    assert _form(page)[1] == ["Undo: I have not done it yet"]
    assert _unchanged(reminder)


def test_undo_on_the_done_page_reopens_the_reminder_without_a_csrf_token(interview, frozen):
    reminder = _reminder(interview)
    phone = Client(enforce_csrf_checks=True)
    url = _path(reminder, "done")

    page = phone.post(url).content.decode()

    assert "Undo" in page
    form_action, _ = _form(page)
    assert form_action == url
    assert 'name="undo" value="1"' in page
    response = phone.post(form_action, {"undo": "1"})
    assert response.status_code == 200
    assert "Back on your list" in response.content.decode()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.closed_at) == (Status.SENT, None)


def test_posts_the_pages_never_make_are_refused_and_change_nothing(client, interview):
    reminder = _reminder(interview)

    assert client.post(_path(reminder, "snooze"), {"undo": "1"}).status_code == 400
    assert client.post(_path(reminder, "open")).status_code == 400
    assert _unchanged(reminder)


def test_tapping_snooze_asks_again_tomorrow_at_the_same_local_time(interview, frozen):
    reminder = _reminder(interview)

    response = Client(enforce_csrf_checks=True).post(_path(reminder, "snooze"))

    assert response.status_code == 200
    assert "We will remind you again tomorrow at" in response.content.decode()
    assert ">14:00</time>" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Status.SNOOZED
    assert reminder.due_at == reminder.next_try_at == NOW + dt.timedelta(days=1)


def test_tapping_snooze_twice_does_not_move_the_date_again(client, interview, frozen):
    reminder = _reminder(interview)
    url = _path(reminder, "snooze")
    client.post(url)
    reminder.refresh_from_db()
    frozen.shift(dt.timedelta(minutes=5))

    again = client.post(url)
    opened = client.get(url)

    for response in (again, opened):
        assert response.status_code == 200
        assert "Already snoozed" in response.content.decode()
        assert "Wednesday 16 January at 14:00</time>" in response.content.decode()
    assert 'type="submit"' not in opened.content.decode()
    assert _unchanged(reminder)
    assert reminder.due_at == NOW + dt.timedelta(days=1)


@pytest.mark.parametrize("status", [Status.DONE, Status.DISMISSED])
@pytest.mark.parametrize("method", ["get", "post"])
def test_snoozing_a_reminder_already_dealt_with_says_there_is_nothing_to_snooze(
    client, interview, status, method
):
    reminder = _reminder(interview, status=status)

    response = getattr(client, method)(_path(reminder, "snooze"))

    assert response.status_code == 409
    assert "Nothing to snooze" in response.content.decode()
    assert _unchanged(reminder)


def test_snoozing_while_the_reminder_is_being_sent_asks_to_try_again(client, interview):
    reminder = _reminder(interview, status=Status.SENDING)

    response = client.post(_path(reminder, "snooze"))

    assert response.status_code == 409
    assert "Try again in a minute" in response.content.decode()
    assert _unchanged(reminder)


def test_a_tampered_token_is_refused_and_changes_nothing(client, interview):
    reminder = _reminder(interview)
    token = links.make_token(reminder, "done")
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    for bad in (tampered, "not-a-token", token.split(":")[0]):
        url = reverse("reminders:reminder_link", args=[bad])
        for response in (client.get(url), client.post(url), client.post(url, {"undo": "1"})):
            assert response.status_code == 400
            assert "This link is not valid" in response.content.decode()
    assert _unchanged(reminder)


def test_a_link_works_for_fourteen_days_then_expires(client, interview):
    first, second = _reminder(interview), _reminder(interview)
    with time_machine.travel(NOW, tick=False):
        late_path, on_time_path = _path(first, "done"), _path(second, "done")

    with time_machine.travel(NOW + dt.timedelta(days=13, hours=23)):
        assert client.post(on_time_path).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=14, minutes=1)):
        opened, tapped = client.get(late_path), client.post(late_path)

    for response in (opened, tapped):
        assert response.status_code == 410
        assert "Links in our reminder emails work for 14 days" in response.content.decode()
    assert _unchanged(first)
    second.refresh_from_db()
    assert second.status == Status.DONE
    with pytest.raises(links.LinkExpired), time_machine.travel(NOW + dt.timedelta(days=15)):
        links.read_token(late_path.rstrip("/").rsplit("/", 1)[-1])


def test_a_token_for_one_reminder_cannot_act_on_another(client, interview):
    mine = _reminder(interview)
    other = _reminder(InterviewFactory(application=ApplicationFactory(owner=UserFactory())))
    signed_part = links.make_token(mine, "done").split(":", 1)[1]
    # The other reminder's payload with this reminder's signature.
    swapped = links.make_token(other, "done").split(":", 1)[0] + ":" + signed_part

    response = client.post(reverse("reminders:reminder_link", args=[swapped]))

    assert response.status_code == 400
    assert _unchanged(mine) and _unchanged(other)


def test_a_genuine_token_naming_someone_elses_reminder_is_refused(client, interview):
    mine = _reminder(interview)
    other = _reminder(InterviewFactory(application=ApplicationFactory(owner=UserFactory())))
    # Signed with our key, yet the owner it names is not the reminder's owner.
    forged = signing.dumps([other.pk, mine.owner_id, "done"], salt=links.SALT)

    response = client.post(reverse("reminders:reminder_link", args=[forged]))

    assert response.status_code == 400
    assert _unchanged(other)


def test_a_token_signed_for_another_purpose_is_refused(client, interview):
    reminder = _reminder(interview)
    other_purpose = signing.dumps([reminder.pk, reminder.owner_id, "done"])

    assert client.post(reverse("reminders:reminder_link", args=[other_purpose])).status_code == 400
    assert _unchanged(reminder)


def test_a_link_to_a_deleted_reminder_says_it_is_gone(client, interview):
    reminder = _reminder(interview)
    url = _path(reminder, "done")
    reminder.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert "This reminder no longer exists" in response.content.decode()


def test_the_open_link_leads_to_the_reflection_form_for_a_reflection_prompt(client, interview):
    reminder = _reminder(interview, kind=Kind.REFLECTION_PROMPT)

    response = client.get(_path(reminder, "open"))

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:reflect", args=[interview.pk])
    assert _unchanged(reminder)


# Every kind's page is checked in test_kinds.py; these open the message to send.
def test_the_open_link_leads_to_the_thank_you_notes_for_a_thank_you(client, interview):
    reminder = _reminder(interview, kind=Kind.THANK_YOU)

    response = client.get(_path(reminder, "open"))

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:thank_you", args=[interview.pk])


@pytest.mark.parametrize("kind", [Kind.FOLLOW_UP, Kind.NUDGE])
def test_the_open_link_leads_to_the_message_to_send_for_a_check_in(client, interview, kind):
    reminder = _reminder(interview, kind=kind)

    response = client.get(_path(reminder, "open"))

    assert response.status_code == 302
    assert response["Location"] == reverse("reminders:note", args=[reminder.pk])


def _email_links(message) -> set[str]:
    """Every address in both parts of an email, as paths on this site."""
    [(page, _)] = message.alternatives
    urls = re.findall(r"https?://\S+", message.body) + [
        html.unescape(href) for href in re.findall(r'href="(https?://[^"]+)"', page)
    ]
    assert urls and all(url.startswith(SITE + "/") for url in urls)
    return {url.removeprefix(SITE) for url in urls}


def _every_reminder() -> list[tuple]:
    return list(
        Reminder.objects.order_by("pk").values_list("pk", "status", "due_at", "next_try_at", "closed_at")
    )


@pytest.mark.parametrize("kind", [Kind.THANK_YOU, Kind.REFLECTION_PROMPT, Kind.FOLLOW_UP])
def test_a_mail_scanner_following_every_link_in_a_real_email_changes_nothing(client, interview, frozen, kind):
    reminder = _reminder(interview, kind=kind)
    _reminder(interview, kind=Kind.PREP_REVIEW)  # another of the person's reminders
    paths = _email_links(emails.build(reminder))
    link_paths = {path for path in paths if path.startswith("/r/")}
    assert len(link_paths) == len(links.ACTIONS)
    before = _every_reminder()

    for path in sorted(paths):
        for method in (client.head, client.get):
            response = method(path, follow=True)
            assert response.status_code == 200, (path, response.status_code)

    assert _every_reminder() == before
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT


def test_a_link_stops_working_when_the_account_is_switched_off(client, interview, seeker):
    reminder = _reminder(interview)
    seeker.is_active = False
    seeker.save()

    assert client.post(_path(reminder, "done")).status_code == 400
    assert _unchanged(reminder)


@pytest.mark.parametrize("action", ["done", "snooze", "tapped-done", "tapped-snooze", "expired", "invalid"])
def test_the_result_pages_run_no_inline_code_and_are_not_cached(client, interview, action):
    reminder = _reminder(interview)
    if action == "expired":
        with time_machine.travel(NOW, tick=False):
            url = _path(reminder, "done")
        with time_machine.travel(NOW + dt.timedelta(days=20)):
            response = client.get(url)
    elif action == "invalid":
        response = client.get(reverse("reminders:reminder_link", args=["nope"]))
    elif action.startswith("tapped-"):
        response = client.post(_path(reminder, action.removeprefix("tapped-")))
    else:
        response = client.get(_path(reminder, action))

    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page)
    assert not INLINE_HANDLER.search(page)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert 'name="viewport"' in page
