"""The email confirming an account is gone: a subject, a text body and an HTML body."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "portability/email"


def account_deleted_email(*, email: str, name: str) -> EmailMultiAlternatives:
    context = {"name": name, "email": email, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"{TEMPLATE_DIR}/account_deleted_subject.txt", context).split())
    context["subject"] = subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{TEMPLATE_DIR}/account_deleted.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{TEMPLATE_DIR}/account_deleted.html", context), "text/html")
    return message


def send_account_deleted(*, email: str, name: str) -> None:
    """Send the confirmation. The account is already gone, so a mail failure is logged, not raised."""
    try:
        account_deleted_email(email=email, name=name).send()
    except (smtplib.SMTPException, OSError):
        logger.warning("Could not send the account-deleted email to %s", email, exc_info=True)
