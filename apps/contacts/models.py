"""The people of a job search: who they are, where they appear, what passed between you."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from apps.pipeline.models import Application, Interview


class ContactKind(models.TextChoices):
    RECRUITER_AGENCY = "recruiter_agency", "Recruiter (agency)"
    RECRUITER_IN_HOUSE = "recruiter_in_house", "Recruiter (in-house)"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    COLLEAGUE = "colleague", "Potential colleague"
    REFEREE = "referee", "Referee"
    OTHER = "other", "Other"

    @classmethod
    def recruiters(cls) -> list[str]:
        return [cls.RECRUITER_AGENCY, cls.RECRUITER_IN_HOUSE]


class ContactQuerySet(models.QuerySet):
    def for_user(self, user) -> ContactQuerySet:
        return self.filter(owner=user)


class Contact(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        "who they are", max_length=20, choices=ContactKind.choices, default=ContactKind.OTHER
    )
    company = models.CharField(max_length=200, blank=True, help_text="Where they work.")
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    linkedin_url = models.URLField("LinkedIn", max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        indexes = [
            models.Index(fields=["owner", "kind"]),
            models.Index(Lower("email"), "owner", name="contact_email_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_recruiter(self) -> bool:
        return self.kind in ContactKind.recruiters()


class ApplicationContact(models.Model):
    """A person involved in an application, and their part in it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contact_links")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="application_links")
    role = models.CharField(max_length=20, choices=ContactKind.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "contact"], name="contact_once_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()}) on {self.application_id}"


class InterviewParticipant(models.Model):
    """Someone met at an interview. The interview keeps their name if the contact is deleted."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="participants")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="interview_appearances"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=ContactKind.choices, default=ContactKind.INTERVIEWER)
    # Their thank-you note as the person edited it; empty means the draft made from the reflection.
    thank_you_note = models.TextField(blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "contact"],
                condition=models.Q(contact__isnull=False),
                name="met_once_per_interview",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    MESSAGE = "message", "Message"


class Direction(models.TextChoices):
    OUTGOING = "outgoing", "From me"
    INCOMING = "incoming", "To me"


class InteractionQuerySet(models.QuerySet):
    def for_user(self, user) -> InteractionQuerySet:
        return self.filter(owner=user)


class Interaction(models.Model):
    """Something that passed between you and a contact: a call, an email, feedback."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="interactions"
    )
    happened_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.CALL)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.OUTGOING)
    summary = models.TextField()
    feedback = models.TextField("feedback received", blank=True)
    # Set when the interaction is a recruiter debrief prepared in the app.
    is_debrief = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_at", "-pk"]
        indexes = [
            models.Index(fields=["contact", "-happened_at"]),
            models.Index(fields=["application", "-happened_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.happened_at:%Y-%m-%d}"


class ReferenceStatus(models.TextChoices):
    ASKED = "asked", "Asked to be a referee"
    HEADS_UP_SENT = "heads_up_sent", "Heads-up sent"
    GIVEN = "given", "Reference given"
    THANKED = "thanked", "Thanked"


REFERENCE_ORDER = list(ReferenceStatus.values)


class ApplicationReferenceQuerySet(models.QuerySet):
    def for_user(self, user) -> ApplicationReferenceQuerySet:
        return self.filter(application__owner=user)


class ApplicationReference(models.Model):
    """A referee given for an application, and how far their part has gone."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="references")
    referee = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="references_given")
    status = models.CharField(max_length=15, choices=ReferenceStatus.choices, default=ReferenceStatus.ASKED)
    what_to_stress = models.TextField(
        blank=True, help_text="What the role is and what you would like them to mention."
    )
    asked_at = models.DateTimeField(default=timezone.now)
    heads_up_at = models.DateTimeField(null=True, blank=True)
    given_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "referee"], name="referee_once_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.referee} for {self.application_id}: {self.get_status_display()}"

    @property
    def next_status(self) -> str | None:
        index = REFERENCE_ORDER.index(self.status)
        return REFERENCE_ORDER[index + 1] if index + 1 < len(REFERENCE_ORDER) else None
