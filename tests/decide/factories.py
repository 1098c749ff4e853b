"""Applications at the last steps of a search, with reflections on their interviews."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from apps.accounts.models import User
from apps.decide.models import DecisionWeights
from apps.pipeline.models import Application, Stage
from tests.accounts.factories import UserFactory
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory


class DecisionWeightsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionWeights

    owner = factory.SubFactory(UserFactory)


def candidate(
    owner: User,
    company: str,
    *reflections: dict,
    stage: str = Stage.OFFER,
    **fields: object,
) -> Application:
    """An application at `company`, one interview per reflection given (round 1 first, a week apart,
    all in the past), each reflected on with those answers."""
    application = ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name=company), stage=stage, **fields
    )
    first = timezone.now() - dt.timedelta(days=7 * len(reflections) + 1)
    for round_number, answers in enumerate(reflections, start=1):
        starts_at = first + dt.timedelta(days=7 * (round_number - 1))
        interview = InterviewFactory(
            application=application,
            round_number=round_number,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=1),
        )
        ReflectionFactory(interview=interview, **answers)
    return application
