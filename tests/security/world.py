"""One of every kind of object a person can own, for the URL walk and the fuzz suite.

Every object carries the owner's marker in a field its pages show, so a page
that leaks someone else's data gives itself away by containing that marker.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import User
from apps.contacts.models import (
    ApplicationContact,
    ApplicationReference,
    Contact,
    ContactKind,
    Interaction,
    InterviewParticipant,
)
from apps.core import trash
from apps.core.models import DeletedItem, SavedView
from apps.inbox.models import InboundMessage
from apps.journal.models import Lesson, Reflection
from apps.pipeline.models import Application, ApplicationImport, Company, Interview, Stage
from apps.prep.models import PlanStory, PracticeAnswer, PrepPlan, QuestionToAsk, ResearchNote, Story
from apps.reminders.models import Kind, Reminder
from tests.contacts.factories import ContactFactory
from tests.journal.factories import LessonFactory, ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory
from tests.prep.factories import PrepPlanFactory, StoryFactory


@dataclass
class World:
    """Everything one person owns, each object named after `marker`."""

    user: User
    marker: str
    company: Company
    application: Application
    interview: Interview
    reflection: Reflection
    lesson: Lesson
    contact: Contact
    participant: InterviewParticipant
    interaction: Interaction
    reference: ApplicationReference
    plan: PrepPlan
    question: QuestionToAsk
    research: ResearchNote
    story: Story
    practice_answer: PracticeAnswer
    application_import: ApplicationImport
    reminder: Reminder
    saved_view: SavedView
    deleted_item: DeletedItem
    inbound: InboundMessage


def build_world(user: User, marker: str) -> World:
    now = timezone.now()
    company = CompanyFactory(owner=user, name=f"{marker} Industries")
    application = ApplicationFactory(
        owner=user, company=company, role_title=f"{marker} Engineer", stage=Stage.FIRST_INTERVIEW
    )
    # Yesterday's interview: it has a reflection, lessons, a debrief and a prep plan.
    interview = InterviewFactory(
        application=application,
        starts_at=now - dt.timedelta(days=1),
        ends_at=now - dt.timedelta(days=1) + dt.timedelta(hours=1),
        location=f"{marker} House, 1 High Street",
    )
    reflection = ReflectionFactory(
        interview=interview, account=f"{marker}: the panel asked about queues.", to_improve=f"{marker} pacing"
    )
    lesson = LessonFactory(owner=user, reflection=reflection, text=f"{marker} lesson: slow down")
    contact = ContactFactory(
        owner=user, name=f"{marker} Recruiter", kind=ContactKind.RECRUITER_AGENCY, notes=f"{marker} notes"
    )
    ApplicationContact.objects.create(application=application, contact=contact, role=contact.kind)
    participant = InterviewParticipant.objects.create(
        interview=interview, contact=contact, name=contact.name, role=ContactKind.INTERVIEWER
    )
    interaction = Interaction.objects.create(
        owner=user,
        contact=contact,
        application=application,
        happened_at=now - dt.timedelta(hours=3),
        summary=f"{marker} called about the offer",
    )
    reference = ApplicationReference.objects.create(
        application=application, referee=contact, what_to_stress=f"{marker} leadership"
    )
    plan = PrepPlanFactory(interview=interview, availability=f"{marker} one month")
    question = QuestionToAsk.objects.create(plan=plan, text=f"{marker}: how is success measured?")
    research = ResearchNote.objects.create(plan=plan, note=f"{marker} raised a series B")
    story = StoryFactory(owner=user, title=f"{marker} story: the migration weekend")
    PlanStory.objects.create(plan=plan, story=story)
    practice_answer = PracticeAnswer.objects.create(
        owner=user, question=f"{marker}: why this company?", answer=f"{marker} answer"
    )
    application_import = ApplicationImport.objects.create(
        owner=user,
        file_name=f"{marker}.csv",
        content=f"Company,Role\n{marker} Imports,Analyst\n",
        mapping={"company": "Company", "role_title": "Role"},
    )
    reminder = Reminder.objects.create(
        owner=user,
        kind=Kind.THANK_YOU,
        due_at=now - dt.timedelta(hours=2),
        next_try_at=now - dt.timedelta(hours=2),
        application=application,
        interview=interview,
        dedupe_key=f"walk:{uuid.uuid4()}",
    )
    saved_view = SavedView.objects.create(
        user=user, page="applications", name=f"{marker} view", query=f"q={marker}+Industries"
    )
    thrown_away = ApplicationFactory(owner=user, company=company, role_title=f"{marker} Deleted Role")
    deleted_item = trash.throw_away(user=user, instance=thrown_away, label=f"{marker} Deleted Role")
    inbound = InboundMessage.objects.create(
        owner=user,
        subject=f"{marker} invitation",
        raw=f"Subject: {marker} invitation\r\n\r\n{marker}".encode(),
        status=InboundMessage.Status.FAILED,
        outcome=f"{marker} could not be read",
    )
    return World(
        user=user,
        marker=marker,
        company=company,
        application=application,
        interview=interview,
        reflection=reflection,
        lesson=lesson,
        contact=contact,
        participant=participant,
        interaction=interaction,
        reference=reference,
        plan=plan,
        question=question,
        research=research,
        story=story,
        practice_answer=practice_answer,
        application_import=application_import,
        reminder=reminder,
        saved_view=saved_view,
        deleted_item=deleted_item,
        inbound=inbound,
    )
