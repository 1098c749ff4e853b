"""The demo's round two printed by Chromium: one sheet of A4 and one of US Letter, even when
the brief holds more than a sheet can; and the page for the door, on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.contacts import services as contacts
from apps.core import seed
from apps.journal import services as journal
from apps.pipeline import services as pipeline
from apps.pipeline.models import Interview
from apps.prep import services as prep
from apps.prep.models import PrepPlan
from tests.browser.conftest import PHONE, SCREENSHOTS, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The printable area of each sheet at 96 px an inch, less the brief's @page margins (10 mm, 12 mm).
SHEETS = {"A4": {"width": 703, "height": 1047}, "Letter": {"width": 725, "height": 980}}
# A page object in a PDF; /Type /Pages is the tree that holds them.
PDF_PAGE = re.compile(rb"/Type\s*/Page\b")


def pdf_pages(page, paper: str, name: str) -> int:
    """Print the page to PDF on that paper (kept beside the screenshots) and count its pages."""
    pdf = page.pdf(format=paper)
    (SCREENSHOTS / f"{name}-{paper}.pdf").write_bytes(pdf)
    return len(PDF_PAGE.findall(pdf))


def fill_beyond_a_sheet(interview: Interview) -> None:
    """More of everything than one sheet holds, with long words, as a keen person might write."""
    owner = interview.application.owner
    plan = PrepPlan.objects.get(interview=interview)
    pipeline.interview_update(
        interview=interview,
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        time_zone="America/New_York",
        location="Brightwater Health, fifth floor, the Harbour meeting room, 12 Canal Street, London E1, "
        "United Kingdom; ask at reception for Priya Raman",
    )
    long = "with the numbers, the people involved, what I would change and why it matters to them " * 3
    round_one = interview.application.interviews.get(round_number=1)
    journal.reflection_save(
        interview=round_one,
        base_version=round_one.reflection.version,
        fields={
            field: "\n".join(f"{field} {n}, {long}" for n in range(5))
            for field in ("went_well", "to_improve", "questions_asked")
        },
    )
    for n in range(3):
        contacts.interaction_log(
            owner=owner, application=interview.application, summary="Call", feedback=f"Feedback {n}, {long}"
        )
    # Five roles among the five people printed, one of them with a very long name.
    for n, kind in enumerate(("colleague", "recruiter_in_house", "recruiter_agency", "referee")):
        name = f"Panel Person {n}" + " Longname-Doublebarrelled" * (n == 0) * 4
        contact = contacts.contact_create(owner=owner, name=name, kind=kind)
        person = contacts.interview_add_participant(interview=interview, contact=contact)
        prep.plan_update(plan=plan, panel_notes={**plan.panel_notes, str(person.pk): f"Note {n} {long}"})
    prep.plan_update(
        plan=plan,
        areas={key: {"notes": f"{key}: {long}", "ready": True} for key in plan.areas},
        availability=long[:200],
        salary_expectation=long[:200],
        exercise_expected=long,
        exercise_materials=long,
    )
    for n in range(6):
        prep.plan_add_question(plan=plan, text=f"Extra question {n}, {long}")
        prep.plan_add_research(plan=plan, topic="culture", note=f"Extra research {n}, {long}")
        journal.lesson_create(owner=owner, text=f"Extra lesson {n}, {long}"[:300])
        story = prep.story_save(owner=owner, title=f"Extra story {n}", result=f"It worked, {long}")
        prep.plan_add_story(plan=plan, story=story)


def test_the_round_two_brief_prints_on_one_sheet_and_the_door_page_fits_a_phone(live_server, open_page):
    user, _ = seed.seed_demo_account()
    round_two = Interview.objects.get(
        application__owner=user, application__company__name="Brightwater Health", round_number=2
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sheet = open_page("desktop")
    page = sheet.page
    log_in(sheet, live_server.url, seed.DEMO_EMAIL, seed.DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/interviews/{round_two.pk}/prep/print/")

    assert pdf_pages(page, "A4", "brief-print") == 1
    assert pdf_pages(page, "Letter", "brief-print") == 1
    page.emulate_media(media="print")
    page.set_viewport_size(SHEETS["A4"])
    brief = page.locator("article")
    for words in (
        "The incident story: clear, honest about my part.",  # round one's reflection
        "Keep the incident story under two minutes",
        "How would this design hold up at ten times the traffic?",  # what they asked
        "Sarah Whitfield",
        "Halving checkout latency before Black Friday",
        "How is on-call shared, and how often does it page at night?",
        "Answer in two minutes, then stop",
        "Raised a Series C in spring to reach hospital groups.",
    ):
        expect(brief.get_by_text(words, exact=False).first).to_be_visible()
    expect(page.get_by_role("navigation")).to_be_hidden()
    sheet.screenshot("brief-print")

    # The door, on the phone in a pocket.
    phone = open_page("phone")
    log_in(phone, live_server.url, seed.DEMO_EMAIL, seed.DEFAULT_PASSWORD)
    phone.page.goto(f"{live_server.url}/interviews/{round_two.pk}/prep/")
    phone.page.get_by_role("link", name="At the door").click()
    door = phone.page.locator("main")
    map_link = door.get_by_role("link", name="Open it on a map")
    expect(map_link).to_have_attribute("href", re.compile(r"^https://www\.google\.com/maps/search/.*Canal"))
    expect(door).to_contain_text("Daniel Okafor")
    expect(door).to_contain_text("Hiring manager")
    expect(door).to_contain_text("Answer in two minutes, then stop")
    questions = door.get_by_role("region", name="Ask them")
    expect(questions).to_contain_text("What would success look like for this role after six months?")
    phone.screenshot("brief-door", full_page=False)
    # All of it in the first screen and a little: no long scroll at the door.
    box = questions.bounding_box()
    assert box["y"] + box["height"] <= 1.25 * PHONE["viewport"]["height"]
    assert not phone.has_horizontal_scroll()
    assert phone.console_errors == []

    # More than a sheet holds: trimmed, still one sheet, and it says what was left out.
    fill_beyond_a_sheet(round_two)
    page.reload()
    expect(brief.get_by_text("more in the app").first).to_be_visible()
    sheet.screenshot("brief-print-full")
    assert pdf_pages(page, "A4", "brief-print-full") == 1
    assert pdf_pages(page, "Letter", "brief-print-full") == 1
    assert sheet.console_errors == []
