"""References on pages: the four steps of a reference, and the card on the application page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template

from apps.contacts.models import REFERENCE_ORDER, ApplicationReference, ReferenceStatus
from apps.pipeline.models import Application

register = template.Library()


@dataclass(frozen=True)
class NextStep:
    """A step the person can mark next: what the button says, and why it matters."""

    status: str
    button: str
    hint: str


# Short names for the progress row; the model's labels are written for sentences.
STEP_NAMES = {
    ReferenceStatus.ASKED: "Asked",
    ReferenceStatus.HEADS_UP_SENT: "Heads-up sent",
    ReferenceStatus.GIVEN: "Reference given",
    ReferenceStatus.THANKED: "Thanked",
}

# Keyed by the status a reference is at: what comes next, in the job seeker's words.
NEXT_STEPS = {
    ReferenceStatus.ASKED: NextStep(
        status=ReferenceStatus.HEADS_UP_SENT,
        button="I gave them a heads-up",
        hint=(
            "Before the employer calls, tell them the role, the company and what you would like "
            "them to stress, so the call does not take them by surprise."
        ),
    ),
    ReferenceStatus.HEADS_UP_SENT: NextStep(
        status=ReferenceStatus.GIVEN,
        button="They gave the reference",
        hint="Mark it once they tell you the employer has called or written to them.",
    ),
    ReferenceStatus.GIVEN: NextStep(
        status=ReferenceStatus.THANKED,
        button="I thanked them",
        hint="They did you a favour: a short thank-you now, and tell them how it turns out.",
    ),
}

# The employer sometimes calls before any heads-up went out: the step can be skipped.
CALLED_WITHOUT_HEADS_UP = NextStep(
    status=ReferenceStatus.GIVEN,
    button="They were already called",
    hint="",
)

_STEP_TIMES = {
    ReferenceStatus.ASKED: "asked_at",
    ReferenceStatus.HEADS_UP_SENT: "heads_up_at",
    ReferenceStatus.GIVEN: "given_at",
    ReferenceStatus.THANKED: "thanked_at",
}


@dataclass(frozen=True)
class Step:
    status: str
    name: str
    done: bool
    at: dt.datetime | None


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    number: int
    next: NextStep | None
    skip: NextStep | None

    @property
    def total(self) -> int:
        return len(self.steps)


@register.simple_tag
def reference_progress(reference: ApplicationReference) -> Progress:
    """Where a reference stands: each of the four steps with its date, and what comes next."""
    reached = REFERENCE_ORDER.index(reference.status)
    steps = [
        Step(
            status=status,
            name=STEP_NAMES[status],
            done=index <= reached,
            at=getattr(reference, _STEP_TIMES[status]),
        )
        for index, status in enumerate(REFERENCE_ORDER)
    ]
    return Progress(
        steps=steps,
        number=reached + 1,
        next=NEXT_STEPS.get(reference.status),
        skip=CALLED_WITHOUT_HEADS_UP if reference.status == ReferenceStatus.ASKED else None,
    )


@register.simple_tag
def application_references(application: Application) -> list[ApplicationReference]:
    """The referees given for an application (already fetched through its owner)."""
    return list(application.references.select_related("referee"))
