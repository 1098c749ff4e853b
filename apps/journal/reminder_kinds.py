"""The journal's reminder kind (the reflection prompt) and what reflections say to other kinds' emails.

The reminders kernel calls the context function named in its registry
(`apps/reminders/kinds.py`); the templates are in templates/journal/email/.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from apps.journal.models import Reflection
from apps.pipeline.models import Interview
from apps.reminders.emails import Context, absolute

# --- What the reflection says ----------------------------------------------------


def reflection_of(interview: Interview | None) -> Reflection | None:
    if interview is None:
        return None
    try:
        return interview.reflection
    except Reflection.DoesNotExist:
        return None


def went_badly(reflection: Reflection | None) -> bool:
    """The person's own view: low confidence, or more warning signs than good ones.

    Not a verdict on the outcome, only which wording fits how they feel.
    """
    if reflection is None:
        return False
    low_confidence = reflection.confidence is not None and reflection.confidence <= 2
    return low_confidence or len(reflection.warning_signs) > len(reflection.good_signs)


# Words that start a sentence about oneself ("I explained..."): such a line
# does not fit "our conversation about ...", so the note leaves it out.
_SENTENCE_STARTS = {"i", "i'm", "i've", "we", "they", "he", "she", "it", "you", "there", "felt", "was"}
# Words that start a topic ("The design question"): lowered to fit mid-sentence.
_TOPIC_STARTS = {"the", "a", "an", "our", "my", "their", "his", "her", "how", "what", "why", "this", "that"}
# Verbs that make a line a verdict ("the migration story landed well"), not a topic to
# talk about: "our conversation about the migration story landed well" reads wrong.
_VERDICT = re.compile(
    r"""\b(?: went | landed | was | were | is | are | felt | seemed | liked | loved | enjoyed | got
         | did | had | made | asked | said | answered | explained | showed | clicked | worked
         | impressed | nailed | laughed | agreed | smiled | responded )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_HIGHLIGHT_MAX = 100


def highlight_from(went_well: str) -> str:
    """A topic from "what went well" that the thank-you note can mention, or ""."""
    lines = (line.strip(" -*•\t") for line in went_well.splitlines())
    first = next((line for line in lines if line), "")
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].rstrip(".!?;:, ")
    if not first or len(first) > _HIGHLIGHT_MAX:
        return ""
    opening = first.split()[0].lower()
    if opening in _SENTENCE_STARTS or _VERDICT.search(first):
        return ""
    if opening in _TOPIC_STARTS:
        first = first[0].lower() + first[1:]
    return first


# --- The reflection prompt ----------------------------------------------------------


def reflection_prompt(reminder: Any, context: Context) -> Context:
    return {"reflect_url": absolute(reverse("journal:reflect", args=[reminder.interview_id]))}
