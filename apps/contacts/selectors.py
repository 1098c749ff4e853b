"""Reads about people, shared by pages. Every one starts from the user."""

from __future__ import annotations

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from apps.accounts.models import User
from apps.contacts.models import Contact, ContactKind, Interaction
from apps.pipeline.models import Interview


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


# A person knowing this many people picks from a menu; beyond it they type a name instead,
# so a page with several pickers never sends a thousand names for each.
PICKER_SHOWN = 50
SUGGESTIONS = 10


def contact_label(contact: Contact) -> str:
    """How a contact is named in a picker: the company tells two people of one name apart."""
    return f"{contact.name} ({contact.company})" if contact.company else contact.name


def contacts_for_picker(*, user: User) -> list[Contact] | None:
    """The person's contacts for a menu, or None when they know too many for one."""
    contacts = list(
        Contact.objects.for_user(user)
        .only("pk", "name", "company", "kind")
        .order_by(Lower("name"), "pk")[: PICKER_SHOWN + 1]
    )
    return contacts if len(contacts) <= PICKER_SHOWN else None


def contact_labels_like(*, user: User, typed: str) -> list[str]:
    """Up to SUGGESTIONS contacts whose name or company holds what was typed, names starting with it first."""
    typed = typed.strip()
    if not typed:
        return []
    starts = Case(When(name__istartswith=typed, then=Value(0)), default=Value(1))
    matching = (
        Contact.objects.for_user(user)
        .filter(Q(name__icontains=typed) | Q(company__icontains=typed))
        .only("name", "company")
        .order_by(starts, Lower("name"), "pk")[:SUGGESTIONS]
    )
    return [contact_label(contact) for contact in matching]


def contacts_named(*, user: User, typed: str) -> list[Contact]:
    """The contacts a typed name means: "Name (Company)" as suggested, or the name alone.

    At most two come back: enough to tell "nobody", "this one" and "which one?" apart."""
    typed = " ".join(typed.split())
    mine = Contact.objects.for_user(user)
    if typed.endswith(")") and " (" in typed:
        name, company = typed[:-1].rsplit(" (", 1)
        labelled = list(mine.filter(name__iexact=name, company__iexact=company)[:2])
        if labelled:
            return labelled
    return list(mine.filter(name__iexact=typed)[:2])


def interview_debriefs(*, interview: Interview) -> QuerySet[Interaction]:
    """The recruiter debriefs logged about an interview, newest first.

    An interaction does not record its interview, only its application, so a debrief
    belongs to the interview of its application held last before it: logged at or after
    this one began, and before the next one that is not cancelled began.
    """
    debriefs = Interaction.objects.filter(
        owner_id=interview.application.owner_id,
        application_id=interview.application_id,
        is_debrief=True,
        happened_at__gte=interview.starts_at,
    )
    next_start = (
        Interview.objects.filter(
            application_id=interview.application_id,
            starts_at__gt=interview.starts_at,
            cancelled_at__isnull=True,
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if next_start is not None:
        debriefs = debriefs.filter(happened_at__lt=next_start)
    return debriefs.select_related("contact").order_by("-happened_at", "-pk")
