"""Reads about people, shared by pages. Every one starts from the user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from apps.accounts.models import User
from apps.contacts.models import Contact, ContactKind, Interaction


def contact_search(*, user: User, query: str = "", kind: str = "") -> QuerySet[Contact]:
    contacts = Contact.objects.for_user(user).annotate(
        applications_count=Count("application_links", distinct=True)
    )
    if kind == "recruiters":
        contacts = contacts.filter(kind__in=ContactKind.recruiters())
    elif kind:
        contacts = contacts.filter(kind=kind)
    for word in query.split():
        contacts = contacts.filter(
            Q(name__icontains=word)
            | Q(company__icontains=word)
            | Q(email__icontains=word)
            | Q(notes__icontains=word)
        )
    return contacts.order_by(Lower("name"), "pk")


def contact_history(*, contact: Contact) -> dict[str, list]:
    """Everything that involves one person: applications, interviews, interactions (newest first)."""
    return {
        "applications": list(
            contact.application_links.select_related("application__company").order_by("-added_at")
        ),
        "interviews": list(
            contact.interview_appearances.select_related("interview__application__company").order_by(
                "-interview__starts_at"
            )
        ),
        "interactions": list(
            Interaction.objects.filter(contact=contact)
            .select_related("application__company")
            .order_by("-happened_at")
        ),
    }


def recruiters(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.for_user(user).filter(kind__in=ContactKind.recruiters())
