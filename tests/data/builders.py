"""Accounts with something in every table, made the way the app makes them: through its services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import User
from apps.contacts import services as contacts
from apps.contacts.models import ContactKind, InterviewParticipant
from apps.journal import services as journal
from apps.journal.models import Reflection
from apps.pipeline import services as pipeline
from apps.pipeline.models import (
    Application,
    Company,
    Interview,
    InterviewFormat,
    InterviewOutcome,
    Stage,
    StageChange,
)
from apps.prep import services as prep
from apps.prep.models import PlanFormat, ResearchTopic
from apps.reminders import services as reminders
from apps.reminders.models import Kind, Reminder, ReminderSettings, Status


@dataclass
class RichAccount:
    user: User
    applications: list[Application]
    past_interview: Interview
    next_interview: Interview


def build_rich_account(user: User, *, label: str = "Acme") -> RichAccount:
    """Applications with history, interviews, a reflection with lessons, people, prep, reminders.

    `label` goes into names, so two accounts built here can be told apart.
    """
    now = timezone.now()
    ReminderSettings.objects.get_or_create(
        owner=user, defaults={"kinds_off": [Kind.NUDGE], "thank_you_delay_hours": 3}
    )
    main = pipeline.application_create(
        owner=user,
        company_name=f"{label} Analytics",
        role_title="Data Engineer <senior>",
        stage=Stage.APPLIED,
        created_at=now - dt.timedelta(days=20),
        job_url="https://jobs.example.com/data-engineer",
        source="Referral from Priya",
        location="Zürich",
        work_mode="hybrid",
        salary_min=90_000,
        salary_max=110_000,
        salary_currency="CHF",
        excitement=5,
        notes="Team of six.\nThey use Postgres and dbt — “modern stack”.",
        decision_expected_on=(now + dt.timedelta(days=10)).date(),
    )
    pipeline.application_move_stage(
        application=main, to_stage=Stage.SCREENING, note="Recruiter call went well"
    )
    pipeline.application_move_stage(application=main, to_stage=Stage.FIRST_INTERVIEW)
    second = pipeline.application_create(
        owner=user, company_name=f"{label} Analytics", role_title="Analytics Engineer", stage=Stage.INTERESTED
    )
    closed = pipeline.application_create(
        owner=user, company_name=f"{label} Foods", role_title="Platform Engineer", notes="=SUM(A1:A3)"
    )
    pipeline.application_move_stage(
        application=closed, to_stage=Stage.REJECTED, note="Went with someone internal"
    )
    pipeline.application_set_archived(application=closed, archived=True)

    past = pipeline.interview_schedule(
        application=main,
        starts_at=now - dt.timedelta(days=1, hours=3),
        ends_at=now - dt.timedelta(days=1, hours=2),
        format=InterviewFormat.VIDEO,
        location="https://meet.example.com/abc",
    )
    pipeline.interview_update(
        interview=past,
        starts_at=past.starts_at,
        ends_at=past.ends_at,
        round_number=1,
        format=InterviewFormat.VIDEO,
        location=past.location,
        outcome=InterviewOutcome.PASSED,
        notes="Two engineers, one hour.",
    )
    pipeline.application_move_stage(application=main, to_stage=Stage.SECOND_INTERVIEW)
    upcoming = pipeline.interview_schedule(
        application=main,
        starts_at=now + dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=5, hours=2),
        format=InterviewFormat.PANEL,
        location="Bahnhofstrasse 1, Zürich",
    )
    cancelled = pipeline.interview_schedule(
        application=second, starts_at=now + dt.timedelta(days=9), ends_at=now + dt.timedelta(days=9, hours=1)
    )
    pipeline.interview_cancel(interview=cancelled)

    reflection = journal.reflection_save(
        interview=past,
        fields={
            "account": "Arrived early. The lobby was quiet; the first question was about pipelines.",
            "went_well": "Explaining the backfill project.",
            "to_improve": "Shorter answers.",
            "questions_asked": "Why leave now?\nHow do you test data?",
            "mistakes": ["rambled", "other"],
            "mistakes_other": "Forgot the manager's name",
            "good_signs": ["ran_long", "spoke_of_me_in_role"],
            "warning_signs": ["awkward_close"],
            "confidence": 4,
            "job_score": 5,
            "job_note": "Exactly the stack I want.",
            "company_score": 4,
            "gut_score": 4,
        },
        base_version=0,
        finalise=True,
    )
    journal.lesson_create(owner=user, text="Answer in two minutes, then stop.", reflection=reflection)
    practised = journal.lesson_create(owner=user, text="Learn names before the call", reflection=reflection)
    journal.lesson_set_practised(lesson=practised, practised=True)
    journal.lesson_create(owner=user, text="Keep a list of questions in my notes app")

    recruiter = contacts.contact_create(
        owner=user,
        name=f"Rita {label} Recruiter",
        kind=ContactKind.RECRUITER_AGENCY,
        company="Hire Partners",
        email=f"rita.{label.lower()}@hire.example.com",
        phone="+41 44 000 00 00",
        linkedin_url="https://www.linkedin.com/in/rita-example",
        notes="Prefers WhatsApp.",
    )
    manager = contacts.contact_create(
        owner=user, name=f"Max {label} Manager", kind=ContactKind.HIRING_MANAGER, job_title="Head of Data"
    )
    referee = contacts.contact_create(owner=user, name=f"Rosa {label} Referee", kind=ContactKind.REFEREE)
    contacts.application_add_contact(application=main, contact=recruiter)
    participant = contacts.interview_add_participant(interview=past, contact=manager)
    InterviewParticipant.objects.create(interview=upcoming, name="Someone from finance", role="senior_leader")
    contacts.interview_add_participant(interview=upcoming, contact=manager)
    contacts.interaction_log(
        owner=user,
        summary="Debrief after round one",
        contact=recruiter,
        application=main,
        channel="call",
        direction="outgoing",
        feedback="They liked the backfill story.",
        is_debrief=True,
        interview=past,
    )
    contacts.interaction_log(
        owner=user, summary="Coffee with an old colleague about the market", channel="meeting"
    )
    reference = contacts.reference_add(application=main, referee=referee, what_to_stress="The migration.")
    contacts.reference_advance(reference=reference, to_status="given")

    story = prep.story_save(
        owner=user,
        title=f"{label}: the migration weekend",
        situation="Billing had to move databases.",
        task="I owned the cut-over.",
        action="Rehearsed twice.",
        result="Forty minutes, nothing lost.",
        competencies=["deadline", "leadership"],
    )
    prep.story_save(owner=user, title="A failure I learnt from", competencies=["failure"])
    plan = prep.plan_for(interview=upcoming)
    upcoming_people = list(upcoming.participants.order_by("pk"))
    prep.plan_update(
        plan=plan,
        recruiter_checks=["format", "who"],
        areas={
            "interest": {"notes": "Why Zürich, why now.", "ready": True},
            "skills": {"notes": "", "ready": False},
        },
        panel_notes={
            str(upcoming_people[1].pk): "Ask about the roadmap",
            str(upcoming_people[0].pk): "Numbers",
        },
        format=PlanFormat.PANEL,
        people_count=3,
        duration_minutes=120,
        availability="Three months' notice",
        salary_expectation="105k",
    )
    prep.plan_add_story(plan=plan, story=story)
    # Round one's reflection says the story was told there, to the manager.
    journal.reflection_save(
        interview=past, fields={}, base_version=reflection.version, told={story.pk: [participant.pk]}
    )
    prep.plan_add_question(
        plan=plan, text="What would success look like after six months?", suggestion_key=""
    )
    prep.plan_add_research(
        plan=plan, topic=ResearchTopic.NEWS, url="https://news.example.com/a", note="Funding"
    )
    prep.plan_add_research(plan=plan, topic=ResearchTopic.CULTURE, note="Glassdoor says: quiet, thoughtful.")
    prep.practice_answer_save(
        owner=user, question="Tell me about yourself", answer="Nine years in data…", practised=True
    )
    pipeline.application_follow_up_now(application=second)
    assert participant.pk  # the participant made above is the one met at round one
    _close_what_fell_due(user, timezone.now())
    return RichAccount(
        user=user, applications=[main, second, closed], past_interview=past, next_interview=upcoming
    )


def _close_what_fell_due(user: User, now: dt.datetime) -> None:
    """Reminders already due are marked done, as a person would have by now; the rest still wait."""
    for reminder in Reminder.objects.for_user(user).filter(status=Status.PENDING, due_at__lte=now):
        reminders.reminder_mark_done(reminder=reminder, now=now)


NOTE = (
    "Met the team lead for coffee; they want someone who can own the data platform end to end. "
    "Salary band confirmed, hybrid three days a week, interview loop of four rounds. "
) * 3


def build_heavy_account(user: User, *, applications: int) -> None:
    """Many applications, each with history, two interviews, a reflection and reminders.

    Made with bulk inserts, since only the amount matters here, not how each row came about.
    """
    now = timezone.now()
    companies = Company.objects.bulk_create(
        [Company(owner=user, name=f"Heavy Company {number}") for number in range(max(1, applications // 10))]
    )
    made = Application.objects.bulk_create(
        [
            Application(
                owner=user,
                company=companies[number % len(companies)],
                role_title=f"Engineer {number}",
                stage=Stage.SECOND_INTERVIEW,
                notes=NOTE,
                created_at=now - dt.timedelta(days=30),
            )
            for number in range(applications)
        ]
    )
    StageChange.objects.bulk_create(
        [
            StageChange(
                application=application, from_stage=before, to_stage=after, changed_at=now, note="On track"
            )
            for application in made
            for before, after in (
                ("", "applied"),
                ("applied", "first_interview"),
                ("first_interview", "second_interview"),
            )
        ]
    )
    interviews = Interview.objects.bulk_create(
        [
            Interview(
                application=application,
                round_number=round_number,
                starts_at=now + dt.timedelta(days=round_number * 7 - 10),
                ends_at=now + dt.timedelta(days=round_number * 7 - 10, hours=1),
                notes=NOTE,
            )
            for application in made
            for round_number in (1, 2)
        ]
    )
    Reflection.objects.bulk_create(
        [
            Reflection(
                interview=interview, account=NOTE, went_well="The design question.", good_signs=["ran_long"]
            )
            for interview in interviews
            if interview.round_number == 1
        ]
    )
    Reminder.objects.bulk_create(
        [
            Reminder(
                owner=user,
                kind=kind,
                due_at=interview.ends_at,
                next_try_at=interview.ends_at,
                application=interview.application,
                interview=interview,
                status=Status.DONE if interview.round_number == 1 else Status.PENDING,
                dedupe_key=f"{kind}:interview:{interview.pk}",
            )
            for interview in interviews
            for kind in (Kind.THANK_YOU, Kind.RECRUITER_DEBRIEF, Kind.REFLECTION_PROMPT)
        ]
    )
