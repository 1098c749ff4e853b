import factory

from apps.prep.models import PrepPlan, Story
from tests.accounts.factories import UserFactory
from tests.pipeline.factories import InterviewFactory


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Story {n}: the migration weekend")
    situation = "Our billing system had to move to a new database before the old licence ran out."
    task = "I owned the cut-over plan."
    action = "I rehearsed it twice on a copy and wrote a one-page rollback."
    result = "We switched in 40 minutes with no lost invoices."
    competencies = factory.LazyFunction(lambda: ["deadline", "leadership"])


class PrepPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrepPlan

    interview = factory.SubFactory(InterviewFactory, round_number=2)
