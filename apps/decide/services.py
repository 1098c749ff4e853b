"""Writes of the decide app: the person's weights for the four questions."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.decide.models import WEIGHT_MAX, DecisionWeights

WEIGHT_FIELDS = ("job", "company", "manager", "gut")


def decision_weights_save(*, owner: User, job: int, company: int, manager: int, gut: int) -> DecisionWeights:
    """Keep the person's weights, each a whole number from 0 to 5, at least one above 0."""
    values = {"job": job, "company": company, "manager": manager, "gut": gut}
    errors = {
        name: f"Give a whole number from 0 to {WEIGHT_MAX}."
        for name, value in values.items()
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= WEIGHT_MAX
    }
    if errors:
        raise ValidationError(errors)
    if not any(values.values()):
        raise ValidationError(
            "With every weight at 0 nothing would count. Give at least one question a weight of 1 or more."
        )
    weights, _ = DecisionWeights.objects.update_or_create(owner=owner, defaults=values)
    return weights
