"""Reads about the person's own account, shared by pages."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from apps.accounts.models import User


def confirmed_addresses(user: User) -> set[str]:
    """Every address the person has confirmed, lower-cased: mail from these is theirs."""
    confirmed = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {address.lower() for address in confirmed}


def email_confirmed(user: User) -> bool:
    """Whether the address reminders go to is one the person has confirmed: we email no other."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
