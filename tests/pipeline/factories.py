import datetime as dt

import factory
from django.utils import timezone

from apps.pipeline.models import Application, Company, Interview, InterviewFormat, Stage, StageChange
from tests.accounts.factories import UserFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Company {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application with the first line of its history, as the service makes it."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    company = factory.LazyAttribute(lambda o: CompanyFactory(owner=o.owner))
    role_title = factory.Sequence(lambda n: f"Engineer {n}")
    stage = Stage.APPLIED
    stage_changed_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyAttribute(lambda o: o.stage_changed_at)

    @factory.post_generation
    def history(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            StageChange.objects.create(
                application=self, from_stage="", to_stage=self.stage, changed_at=self.stage_changed_at
            )


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    application = factory.SubFactory(ApplicationFactory)
    round_number = 1
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    format = InterviewFormat.VIDEO
