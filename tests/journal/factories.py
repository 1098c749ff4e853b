import factory

from apps.journal.models import Lesson, Reflection
from tests.accounts.factories import UserFactory
from tests.pipeline.factories import InterviewFactory


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    interview = factory.SubFactory(InterviewFactory)
    account = "Arrived early, waited in a bright lobby, then an hour with two engineers."
    went_well = "The system design question."
    to_improve = "Have questions ready for the end."
    version = 1


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    owner = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Lesson {n}: prepare three questions to ask")
