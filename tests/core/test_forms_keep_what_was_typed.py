"""Every form that takes typed text: a refused post says what is wrong and gives back every word.

The product rule: bad input gets a clear error on the page, never a 500, and nothing the user
typed is lost. Each case posts one form with one field wrong and every other text field holding
a value of its own, then reads the answer as the person would: a refusal, the error in words,
and each typed value back in a field of the form, ready to send again.

The values are looked for in the form's fields (input values, textarea contents), not anywhere
on the page: a debrief's text shown in its script preview, or a name in a flash message, would
not be there to edit and send again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.middleware import SENT_DRAFTS_COOKIE
from apps.prep import guide
from apps.prep.models import PracticeAnswer
from tests.contacts.factories import ContactFactory
from tests.helpers import Visitors
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db


# --- Reading the form back ------------------------------------------------------------------------


class _FieldValues(HTMLParser):
    """The values a page's text-entry fields hold: what the person finds in the form to edit."""

    # Password fields are left out: a refused form rightly does not send a password back.
    TYPED_INPUTS = {"text", "email", "url", "number", "date", "time", "tel", "search"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and (attributes.get("type") or "text") in self.TYPED_INPUTS:
            self.values.append(attributes.get("value") or "")
        elif tag == "textarea":
            self._textarea = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # A browser drops one newline straight after <textarea>, as Django's widget writes it.
            self.values.append("".join(self._textarea).removeprefix("\n"))
            self._textarea = None


def field_values(html: str) -> list[str]:
    parser = _FieldValues()
    parser.feed(html)
    parser.close()
    return parser.values


def page_text(html: str) -> str:
    """The page's words as they read: "&#x27;" is a quote again, as the person sees it."""
    return unescape(html)


def assert_typed_values_are_back(html: str, typed: dict[str, str]) -> None:
    values = field_values(html)
    lost = {name: value for name, value in typed.items() if value and value not in values}
    assert not lost, f"typed but not back in the form: {lost}"


# --- What is typed --------------------------------------------------------------------------------


def words(field_name: str) -> str:
    """Text no page would show unless the person's own typing came back."""
    return f"Typed into {field_name}: kestrel 4417 <&> “quoted”"


def too_long(field_name: str, limit: int) -> str:
    """One character past the limit, starting with words of its own."""
    return (words(field_name) + " ").ljust(limit + 1, "z")


# --- The forms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusedPost:
    """One form posted with one field wrong.

    `typed` is every text field the person filled in (the wrong one included when it holds
    text), each expected back in the form; `chosen` is sent along (choices, ticks, hidden
    fields) but not read back as typing.
    """

    name: str
    url: Callable[[User], str]
    typed: dict[str, str]
    error: str
    chosen: dict[str, object] = field(default_factory=dict)
    status: int = 400
    who: str = "owner"


def _application(owner: User) -> int:
    return ApplicationFactory(owner=owner).pk


def _interview(owner: User) -> int:
    return InterviewFactory(application__owner=owner).pk


def _contact(owner: User) -> int:
    return ContactFactory(owner=owner).pk


def _own_practice_answer(owner: User) -> int:
    return PracticeAnswer.objects.create(owner=owner, question="How do you plan a migration?").pk


def _brief_part(part: str) -> Callable[[User], str]:
    return lambda owner: reverse("prep:part", args=[_interview(owner), part])


LIBRARY_KEY = guide.PRACTICE_QUESTIONS[0].key
APPLICATION_TEXT = {
    "role_title": words("role_title"),
    "job_url": "https://jobs.example.com/kestrel-4417",
    "source": words("source"),
    "location": words("location"),
    "salary_min": "41700",
    "salary_max": "52900",
    "salary_currency": "CHF",
    "next_step": words("next_step"),
    "notes": words("notes") + "\r\nand a second line",
}
CONTACT_TEXT = {
    "company": words("company"),
    "job_title": words("job_title"),
    "phone": "+44 20 7946 4417",
    "linkedin_url": "https://www.linkedin.com/in/kestrel-4417",
    "notes": words("notes"),
}
REFLECTION_TEXT = {
    name: words(name)
    for name in (
        "account",
        "to_improve",
        "questions_asked",
        "mistakes_other",
        "job_note",
        "company_note",
        "manager_note",
        "gut_note",
    )
}
# A well-formed address, longer than the 254 characters a contact's email is stored in.
LONG_EMAIL = "kestrel." + "k" * 56 + "@" + ".".join(["a" * 63, "b" * 63, "c" * 63]) + ".com"
AREA_NOTES = {f"{area.key}_notes": words(f"{area.key}_notes") for area in guide.FIVE_AREAS}

REFUSED_POSTS = [
    RefusedPost(
        name="application create, company left empty",
        url=lambda owner: reverse("pipeline:application_create"),
        typed={**APPLICATION_TEXT, "company_name": "", "decision_expected_on": "2031-03-14"},
        chosen={"stage": "applied", "work_mode": "hybrid", "excitement": "4"},
        error="This field is required.",
    ),
    RefusedPost(
        name="application edit, a decision date from the wrong century",
        url=lambda owner: reverse("pipeline:application_edit", args=[_application(owner)]),
        typed={
            **APPLICATION_TEXT,
            "company_name": words("company_name"),
            "decision_expected_on": "1899-12-01",
        },
        chosen={"work_mode": "remote", "excitement": "2"},
        error="Choose a date between 1990 and 2100.",
    ),
    RefusedPost(
        name="interview create, ends before it starts",
        url=lambda owner: reverse("pipeline:interview_create", args=[_application(owner)]),
        typed={
            "round_number": "2",
            "date": "2031-05-14",
            "start_time": "14:30",
            "end_time": "13:45",
            "location": words("location"),
            "notes": words("notes"),
        },
        chosen={"format": "video"},
        error="The interview must end after it starts.",
    ),
    RefusedPost(
        name="interview edit, date left empty",
        url=lambda owner: reverse("pipeline:interview_edit", args=[_interview(owner)]),
        typed={
            "round_number": "3",
            "date": "",
            "start_time": "09:10",
            "end_time": "10:20",
            "location": words("location"),
            "notes": words("notes"),
        },
        chosen={"format": "onsite", "outcome": "pending"},
        error="This field is required.",
    ),
    RefusedPost(
        name="contact create, name left empty",
        url=lambda owner: reverse("contacts:contact_create"),
        typed={**CONTACT_TEXT, "name": "", "email": "kestrel.4417@example.com"},
        chosen={"kind": "recruiter_agency"},
        error="This field is required.",
    ),
    RefusedPost(
        name="contact edit, an email address with a typo",
        url=lambda owner: reverse("contacts:contact_edit", args=[_contact(owner)]),
        typed={**CONTACT_TEXT, "name": words("name"), "email": "kestrel.4417.example.com"},
        chosen={"kind": "hiring_manager"},
        error="That does not look like an email address: check for a typo.",
    ),
    RefusedPost(
        name="interaction on a contact, a date from before the job search",
        url=lambda owner: reverse("contacts:interaction_create", args=[_contact(owner)]),
        typed={
            "date": "1989-12-31",
            "time": "09:40",
            "summary": words("summary"),
            "feedback": words("feedback"),
        },
        chosen={"channel": "call", "direction": "incoming"},
        error="Choose a date between 1990 and 2100.",
    ),
    RefusedPost(
        name="interaction on an application, nothing said",
        url=lambda owner: reverse("contacts:application_interaction_create", args=[_application(owner)]),
        typed={"date": "2024-03-05", "time": "16:05", "summary": "", "feedback": words("feedback")},
        chosen={"channel": "email", "direction": "outgoing", "contact": ""},
        error="This field is required.",
    ),
    RefusedPost(
        name="debrief, how keen left unanswered",
        url=lambda owner: reverse("contacts:debrief", args=[_interview(owner)]),
        typed={"how_it_went": words("how_it_went"), "extra_questions": words("extra_questions")},
        chosen={"recruiter": "", "questions": ["feedback", "news"], "channel": "call"},
        error="Say how keen you are; your recruiter will pass it on.",
    ),
    RefusedPost(
        name="reference add, no referee chosen",
        url=lambda owner: reverse("contacts:references", args=[_application(owner)]),
        typed={"what_to_stress": words("what_to_stress")},
        chosen={"referee": ""},
        error="Choose who you have asked.",
    ),
    RefusedPost(
        name="someone new on an application, an email address with a typo",
        url=lambda owner: reverse("contacts:application_people", args=[_application(owner)]),
        typed={"name": words("name"), "email": "kestrel.4417.example.com"},
        chosen={"action": "create", "kind": "recruiter_agency"},
        error="That does not look like an email address.",
    ),
    RefusedPost(
        name="someone new at an interview, an email address too long to keep",
        url=lambda owner: reverse("contacts:interview_people", args=[_interview(owner)]),
        typed={"name": words("name"), "email": LONG_EMAIL},
        chosen={"action": "create", "kind": "interviewer"},
        error="Ensure this value has at most 254 characters",
    ),
    RefusedPost(
        name="story create, title left empty",
        url=lambda owner: reverse("prep:story_create"),
        typed={"title": "", **{part: words(part) for part in ("situation", "task", "action", "result")}},
        chosen={"competencies": ["leadership"]},
        error="Give the story a short title.",
    ),
    RefusedPost(
        name="story edit, title too long",
        url=lambda owner: reverse("prep:story_edit", args=[StoryFactory(owner=owner).pk]),
        typed={
            "title": too_long("title", 200),
            **{part: words(part) for part in ("situation", "task", "action", "result")},
        },
        chosen={"competencies": ["deadline"]},
        error="Keep the title to 200 characters (it has 201).",
    ),
    RefusedPost(
        name="practice, own question too long",
        url=lambda owner: reverse("prep:practice"),
        typed={"question": too_long("question", 300)},
        error="Keep the question to 300 characters (it has 301).",
    ),
    RefusedPost(
        name="practice, library answer too long",
        url=lambda owner: reverse("prep:practice_library", args=[LIBRARY_KEY]),
        typed={f"q-{LIBRARY_KEY}-answer": too_long("answer", 5000)},
        error="Keep the answer to 5000 characters (it has 5001)",
    ),
    RefusedPost(
        name="practice, own answer too long",
        url=lambda owner: reverse("prep:practice_answer", args=[_own_practice_answer(owner)]),
        typed={"own-{pk}-answer": too_long("answer", 5000)},
        error="Keep the answer to 5000 characters (it has 5001)",
    ),
    RefusedPost(
        name="prep brief format, too many people",
        url=_brief_part("format"),
        typed={"people_count": "31", "duration_minutes": "75"},
        chosen={"format": "panel", "recruiter_checks": ["format", "who"]},
        error="Ensure this value is less than or equal to 30.",
    ),
    RefusedPost(
        name="prep brief areas, notes too long",
        url=_brief_part("areas"),
        typed={
            **AREA_NOTES,
            "interest_notes": too_long("interest_notes", 5000),
            "availability": words("availability"),
            "salary_expectation": words("salary_expectation"),
        },
        chosen={"skills_ready": "on", "fit_ready": "on"},
        error="Ensure this value has at most 5000 characters (it has 5001).",
    ),
    RefusedPost(
        name="prep brief questions, own question too long",
        url=_brief_part("questions"),
        typed={"text": too_long("text", 300)},
        error="Ensure this value has at most 300 characters (it has 301).",
    ),
    RefusedPost(
        name="prep brief research, a link that is not one",
        url=_brief_part("research"),
        typed={"url": "kestrel 4417 is not a link", "note": words("note")},
        chosen={"topic": "culture"},
        error="Enter a valid URL.",
    ),
    RefusedPost(
        name="prep brief exercise, materials too long",
        url=_brief_part("exercise"),
        typed={
            "exercise_expected": words("exercise_expected"),
            "exercise_materials": too_long("exercise_materials", 5000),
        },
        chosen={"exercise_rehearsed": "on"},
        error="Ensure this value has at most 5000 characters (it has 5001).",
    ),
    RefusedPost(
        name="reflection without a base, an answer too long",
        url=lambda owner: reverse("journal:reflect", args=[_interview(owner)]),
        typed={**REFLECTION_TEXT, "went_well": too_long("went_well", 10_000)},
        chosen={
            "version": "0",
            "mistakes": ["rambled"],
            "good_signs": ["interviewer_engaged"],
            "confidence": "3",
            "job_score": "4",
        },
        error="This is longer than the 10,000 characters a reflection can keep.",
    ),
    RefusedPost(
        name="lesson, too long to keep",
        url=lambda owner: reverse(
            "journal:lesson_create",
            args=[ReflectionFactory(interview__application__owner=owner).interview_id],
        ),
        typed={"text": too_long("text", 300)},
        error="A lesson is at most 300 characters (this one has 301).",
    ),
    RefusedPost(
        name="settings, a time zone that does not exist",
        url=lambda owner: reverse("accounts:settings"),
        typed={"first_name": words("first_name")},
        chosen={"time_zone": "Mars/Olympus_Mons"},
        error="Choose a time zone from the list, such as Europe/London.",
    ),
    RefusedPost(
        name="reminder settings, a thank-you reminder too late",
        url=lambda owner: reverse("reminders:settings"),
        typed={
            "thank_you_delay_hours": "73",
            "prep_review_lead_hours": "37",
            "quiet_from": "22:15",
            "quiet_until": "07:05",
        },
        chosen={"kinds_on": ["thank_you"]},
        error="Three days (72 hours) at most: a thank-you note loses its point after that.",
    ),
    # allauth's own views answer a refused form with 200, not 400 (see the report): the words
    # and the typed values are what these cases hold them to.
    RefusedPost(
        name="sign up, passwords that differ",
        url=lambda owner: reverse("account_signup"),
        typed={"first_name": words("first_name"), "email": "kestrel.4417@example.com"},
        chosen={
            "time_zone": "Europe/Paris",
            "password1": "a long passphrase 4417",
            "password2": "another one",
        },
        error="You must type the same password each time.",
        status=200,
        who="anonymous",
    ),
    RefusedPost(
        name="log in, a wrong password",
        url=lambda owner: reverse("account_login"),
        typed={"login": "owner@example.com"},
        chosen={"password": "not the password"},
        error="That email and password do not match an account.",
        status=200,
        who="anonymous",
    ),
    RefusedPost(
        name="password reset, an email address with a typo",
        url=lambda owner: reverse("account_reset_password"),
        typed={"email": "kestrel.4417.example.com"},
        error="Enter a valid email address.",
        status=200,
        who="anonymous",
    ),
    RefusedPost(
        name="email change, an email address with a typo",
        url=lambda owner: reverse("account_email"),
        typed={"email": "kestrel.4417.example.com"},
        chosen={"action_add": ""},
        error="Enter a valid email address.",
        status=200,
    ),
]


def _client(visitors: Visitors, who: str) -> Client:
    return getattr(visitors, who)


def _named_after(url: str, data: dict[str, object]) -> dict[str, object]:
    """Field names holding "{pk}" stand for the id in the form's address (practice answers)."""
    pk = [part for part in url.split("/") if part.isdigit()][-1:] or [""]
    return {name.format(pk=pk[0]): value for name, value in data.items()}


@pytest.mark.parametrize("case", REFUSED_POSTS, ids=[case.name for case in REFUSED_POSTS])
def test_a_refused_form_says_why_and_gives_back_every_word_typed(visitors, case):
    url = case.url(visitors.owner_user)
    typed = _named_after(url, case.typed)

    response = _client(visitors, case.who).post(url, {**case.chosen, **typed})

    assert response.status_code == case.status, response.status_code
    html = response.content.decode()
    assert case.error in page_text(html)
    assert_typed_values_are_back(html, typed)


# --- htmx: the partial swapped in place carries the error and the typed values -------------------


@pytest.mark.parametrize(
    "people_url",
    [
        pytest.param(
            lambda owner: reverse("contacts:application_people", args=[_application(owner)]), id="application"
        ),
        pytest.param(
            lambda owner: reverse("contacts:interview_people", args=[_interview(owner)]), id="interview"
        ),
    ],
)
def test_someone_new_refused_over_htmx_comes_back_in_place_with_the_error_and_what_was_typed(
    visitors, people_url
):
    typed = {"name": words("name"), "email": "kestrel.4417.example.com"}

    response = visitors.owner.post(
        people_url(visitors.owner_user),
        {"action": "create", "kind": "interviewer", **typed},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html  # the people card alone, swapped where it was
    assert "That does not look like an email address." in page_text(html)
    assert_typed_values_are_back(html, typed)


# --- Choices made beside the typing ------------------------------------------------------------


def test_a_refused_interaction_keeps_the_application_it_was_about(visitors, owner):
    contact = ContactFactory(owner=owner)
    application = ApplicationFactory(owner=owner)
    other = ApplicationFactory(owner=owner)
    for linked in (application, other):
        visitors.owner.post(
            reverse("contacts:application_people", args=[linked.pk]),
            {"action": "attach", "contact": contact.pk},
        )

    response = visitors.owner.post(
        reverse("contacts:interaction_create", args=[contact.pk]),
        {
            "date": "1989-12-31",
            "channel": "call",
            "direction": "incoming",
            "summary": words("summary"),
            "application": other.pk,
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<option value="{other.pk}" selected>' in html
    assert f'<option value="{application.pk}" selected>' not in html


# --- Checking the debrief's wording is not sending it ---------------------------------------------


def test_checking_the_wording_without_script_keeps_the_debrief_draft(visitors, owner):
    interview = InterviewFactory(application__owner=owner)
    debrief_url = reverse("contacts:debrief", args=[interview.pk])
    key = f"second-round:draft:{debrief_url}"
    typed = {"how_it_went": words("how_it_went"), "extra_questions": words("extra_questions")}
    kept = visitors.owner.post(
        reverse("form_drafts"),
        {
            "key": key,
            "draft_fields": json.dumps({name: [value] for name, value in typed.items()}),
            "draft_kinds": json.dumps({name: "text" for name in typed}),
        },
    )
    assert kept.status_code == 200

    # The "Check the wording" button posts the form, draft key and all, to the check.
    response = visitors.owner.post(
        reverse("contacts:debrief_check", args=[interview.pk]),
        {**typed, "channel": "call", "draft_key": key},
    )

    assert response.status_code == 200
    assert_typed_values_are_back(response.content.decode(), typed)
    # Nothing was logged, so the draft is still there to come back to, here and on the device.
    assert SENT_DRAFTS_COOKIE not in response.cookies
    drafts = visitors.owner.get(reverse("form_drafts"), {"key": key}).json()["drafts"]
    assert drafts[key]["fields"]["how_it_went"] == [typed["how_it_went"]]
