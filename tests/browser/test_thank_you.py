"""Thank-you notes on the phone on the way home: one per person, edited, ticked as sent."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.contacts.models import ContactKind, InterviewParticipant
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import ContactFactory
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_note_to_each_person_met_edited_and_ticked_off_closes_the_reminder(live_server, open_page):
    user = UserFactory(email="thanks@example.com", first_name="Olive", last_name="Reyes")
    application = ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Lumen Labs"), role_title="Platform Engineer"
    )
    interview = InterviewFactory(
        application=application, round_number=2, starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    ReflectionFactory(
        interview=interview,
        went_well="The data contracts discussion",
        to_improve="I forgot to mention the on-call rota I set up.",
        job_score=5,
        manager_score=5,
    )
    for name, role, email in [
        ("Dana Whitfield", ContactKind.INTERVIEWER, "dana@lumen.example"),
        ("Chidi Okafor", ContactKind.HIRING_MANAGER, "chidi@lumen.example"),
    ]:
        contact = ContactFactory(owner=user, name=name, kind=role, email=email)
        InterviewParticipant.objects.create(interview=interview, contact=contact, name=name, role=role)
    now = timezone.now()
    reminder = Reminder.objects.create(
        owner=user,
        kind=Kind.THANK_YOU,
        due_at=now,
        next_try_at=now,
        status=Status.SENT,
        sent_at=now,
        application=application,
        interview=interview,
        dedupe_key=f"thank_you:interview:{interview.pk}",
    )

    phone = open_page("phone")
    page = phone.page
    log_in(phone, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/reminders/")
    page.locator(f"#reminder-{reminder.pk}").get_by_role("link", name="Open").click()

    expect(page.get_by_role("heading", name="Thank-you notes")).to_be_visible()
    expect(page.get_by_text("0 of 2 sent")).to_be_visible()
    dana = page.get_by_label("Your note to Dana Whitfield")
    expect(dana).to_have_value(
        "Dear Dana,\n\nThank you for meeting me on "
        f"{interview.starts_at.astimezone(user.zone):%A} for the second-round interview for the "
        "Platform Engineer role at Lumen Labs. I enjoyed our conversation about the data contracts "
        "discussion. One thing I did not get to mention on the day: the on-call rota I set up.\n\n"
        "Our conversation made me keener still: the role fits the work I do best and want to do more of."
        "\n\nBest regards,\nOlive Reyes"
    )
    mail_dana = page.get_by_role("link", name="Write to Dana Whitfield in my mail app")
    assert mail_dana.get_attribute("href").startswith("mailto:dana@lumen.example?subject=Thank%20you")
    phone.screenshot("thank-you-notes", full_page=False)
    assert not phone.has_horizontal_scroll()

    # Typed on the phone, saved as it is typed: the mail link carries the new words.
    dana.fill("Dear Dana,\n\nThank you for Tuesday, and for the tour of the platform.\n\nOlive")
    dana_card = page.locator(".thank-you-card").filter(has_text="Dana Whitfield")
    expect(dana_card.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert "tour%20of%20the%20platform" in mail_dana.get_attribute("href")

    dana_card.get_by_role("button", name="I sent it").click()
    expect(page.get_by_text("1 of 2 sent")).to_be_visible()
    chidi_card = page.locator(".thank-you-card").filter(has_text="Chidi Okafor")
    expect(chidi_card).to_contain_text("I especially valued hearing how you run the team.")
    chidi_card.get_by_role("button", name="I sent it").click()
    expect(page.get_by_text("Everyone you met is thanked.")).to_be_visible()
    phone.screenshot("thank-you-notes-sent")

    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
    # The edit survived: the page read afresh shows the person's own words.
    page.reload()
    expect(page.get_by_label("Your note to Dana Whitfield")).to_have_value(
        "Dear Dana,\n\nThank you for Tuesday, and for the tour of the platform.\n\nOlive"
    )
    assert phone.console_errors == []

    laptop = open_page("desktop")
    log_in(laptop, live_server.url, user.email, PASSWORD)
    laptop.page.goto(f"{live_server.url}/interviews/{interview.pk}/thank-you/")
    expect(laptop.page.get_by_text("Everyone you met is thanked.")).to_be_visible()
    laptop.screenshot("thank-you-notes")
