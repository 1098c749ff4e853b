import factory

from apps.contacts.models import Contact, ContactKind
from tests.accounts.factories import UserFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    kind = ContactKind.RECRUITER_AGENCY
    company = "Hire Partners"
    email = factory.Sequence(lambda n: f"person{n}@recruiters.example.com")
