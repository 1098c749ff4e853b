import pytest
from django.core.exceptions import ValidationError

from apps.decide.models import DecisionWeights
from apps.decide.services import decision_weights_save

pytestmark = pytest.mark.django_db


def test_the_first_save_keeps_the_weights_and_the_next_one_changes_them(owner):
    decision_weights_save(owner=owner, job=5, company=2, manager=4, gut=0)
    decision_weights_save(owner=owner, job=1, company=1, manager=5, gut=3)

    saved = DecisionWeights.objects.get(owner=owner)
    assert (saved.job, saved.company, saved.manager, saved.gut) == (1, 1, 5, 3)


@pytest.mark.parametrize("bad", [-1, 6, 100, "3", None, True])
def test_a_weight_outside_0_to_5_is_refused_with_the_field_named(owner, bad):
    with pytest.raises(ValidationError) as refused:
        decision_weights_save(owner=owner, job=3, company=bad, manager=3, gut=3)

    assert refused.value.message_dict == {"company": ["Give a whole number from 0 to 5."]}
    assert not DecisionWeights.objects.exists()


def test_every_weight_at_zero_is_refused_because_nothing_would_count(owner):
    decision_weights_save(owner=owner, job=2, company=2, manager=2, gut=2)

    with pytest.raises(ValidationError) as refused:
        decision_weights_save(owner=owner, job=0, company=0, manager=0, gut=0)

    assert "Give at least one question a weight of 1 or more" in refused.value.messages[0]
    assert DecisionWeights.objects.get(owner=owner).job == 2


def test_one_persons_weights_leave_anothers_alone(owner, stranger):
    decision_weights_save(owner=owner, job=5, company=0, manager=0, gut=0)
    decision_weights_save(owner=stranger, job=0, company=0, manager=0, gut=5)

    assert DecisionWeights.objects.get(owner=owner).job == 5
    assert DecisionWeights.objects.get(owner=stranger).gut == 5
