"""How much each "is this the right job?" question counts for one person when choosing between offers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

# Weights run from 0 (leave this question out) to 5 (it matters most).
WEIGHT_MAX = 5
# Every question counts the same until the person says otherwise; the middle of the scale
# leaves room to turn one up or down.
WEIGHT_DEFAULT = 3


def _weight(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, default=WEIGHT_DEFAULT, validators=[MaxValueValidator(WEIGHT_MAX)]
    )


class DecisionWeights(models.Model):
    """One person's weights for the four questions, named by the questions' keys in journal.checklists."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decision_weights"
    )
    job = _weight("the job")
    company = _weight("the company")
    manager = _weight("the manager")
    gut = _weight("your gut")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "decision weights"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(job__lte=WEIGHT_MAX)
                & models.Q(company__lte=WEIGHT_MAX)
                & models.Q(manager__lte=WEIGHT_MAX)
                & models.Q(gut__lte=WEIGHT_MAX),
                name="decision_weights_at_most_five",
            ),
            # All four at 0 would leave nothing to add up.
            models.CheckConstraint(
                condition=models.Q(job__gt=0)
                | models.Q(company__gt=0)
                | models.Q(manager__gt=0)
                | models.Q(gut__gt=0),
                name="decision_weights_not_all_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"Weights of {self.owner}"
