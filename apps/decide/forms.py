from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from apps.decide.models import WEIGHT_MAX
from apps.decide.selectors import TOPICS, Weights
from apps.journal import checklists

WEIGHT_ERROR = f"Give a whole number from 0 to {WEIGHT_MAX}."
# Longer than any id a bigint holds: a value past it names nothing.
ID_MAX_DIGITS = 18


def _weight_field(key: str) -> forms.IntegerField:
    # Drawn by templates/decide/_weights.html, which keeps a refused value exactly as it was typed.
    return forms.IntegerField(
        label=TOPICS[key].capitalize(),
        min_value=0,
        max_value=WEIGHT_MAX,
        error_messages={
            "required": f"Give a weight for {TOPICS[key]}, from 0 to {WEIGHT_MAX}.",
            "invalid": WEIGHT_ERROR,
            "min_value": WEIGHT_ERROR,
            "max_value": WEIGHT_ERROR,
        },
    )


def readable_ids(values: Iterable[str]) -> list[int]:
    """The values that can be application ids (whole numbers of sane length); the rest dropped."""
    return [int(text) for text in values if text.isascii() and text.isdigit() and len(text) <= ID_MAX_DIGITS]


class ApplicationIdsField(forms.Field):
    """The ids of the ticked applications. Whose they are is checked where they are read."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for item in values:
            text = str(item)
            if not (text.isascii() and text.isdigit()) or len(text) > ID_MAX_DIGITS:
                raise ValidationError("Tick the applications from the list.")
            ids.append(int(text))
        return ids


class WeightsForm(forms.Form):
    """The person's weights for the four questions, and which applications to put side by side."""

    job = _weight_field("job")
    company = _weight_field("company")
    manager = _weight_field("manager")
    gut = _weight_field("gut")
    compare = ApplicationIdsField(required=False)
    # Sent only when the page offered a choice: then ticking none is a mistake, not "all".
    choosing = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_weights(cls, weights: Weights, *, chosen: Iterable[int] = ()) -> WeightsForm:
        return cls(initial={**weights.as_dict(), "compare": sorted(chosen)})

    def clean(self) -> dict:
        data = super().clean()
        if data.get("choosing") and "compare" in data and not data["compare"]:
            self.add_error("compare", "Tick at least one application to compare.")
        return data

    def weights(self) -> dict[str, int]:
        return {question.key: self.cleaned_data[question.key] for question in checklists.RIGHT_JOB_QUESTIONS}

    def ticked_ids(self) -> list[int]:
        """The applications to show ticked: as sent (as far as they can be read, so a refused form
        keeps its ticks), or as given to start with."""
        if not self.is_bound:
            return list(self.initial.get("compare", []))
        return readable_ids(self.data.getlist("compare") if hasattr(self.data, "getlist") else [])
