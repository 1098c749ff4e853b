"""Deleting that can be undone: the rows a delete removes are kept, and can be put back.

A delete in Django cascades: an application takes its history, interviews, reflections,
reminders and more with it, and leaves some rows elsewhere pointing at nothing. Before
deleting, the collector Django deletes with is asked what it will remove; those rows are
kept as the serializer writes them, with the links it will empty. Bringing the item back
writes them again with their own ids (ids are never reused) in one transaction, whose
foreign keys Postgres and SQLite both check only at commit, so the order does not matter.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from apps.core.models import DeletedItem

# How long a deleted thing can be brought back; older ones are let go at the next delete.
KEPT_FOR = dt.timedelta(days=30)


def _rows_and_links(instances: list[models.Model]) -> tuple[list[models.Model], list[list]]:
    collector = Collector(using=DEFAULT_DB_ALIAS)
    collector.collect(instances)
    found = [row for instances in collector.data.values() for row in instances]
    # Rows the collector deletes with one query rather than one by one: read them now.
    for queryset in collector.fast_deletes:
        found.extend(queryset)
    # A row reached by two paths (a reminder about an application and one of its interviews) once.
    rows = list({(row._meta.label, row.pk): row for row in found}.values())
    links = []
    for (field, _value), targets in collector.field_updates.items():
        for target in targets:
            for pk, pointed_at in (
                target.values_list("pk", field.attname)
                if hasattr(target, "values_list")
                else ((row.pk, getattr(row, field.attname)) for row in target)
            ):
                links.append([field.model._meta.label, pk, field.attname, pointed_at])
    return rows, links


def _exact(value: object) -> str:
    """Times and dates to the microsecond, as the database holds them."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    raise TypeError(f"cannot keep {type(value).__name__} in the trash")


def throw_away(*, user, instance: models.Model, label: str) -> DeletedItem:
    """Delete `instance` and all it takes with it, keeping what is needed to bring it back."""
    return _throw_away(user=user, instances=[instance], label=label, object_id=instance.pk)


def throw_away_many(*, user, instances: list[models.Model], label: str) -> DeletedItem:
    """Delete several rows of one model at once, to be brought back together (object_id 0)."""
    return _throw_away(user=user, instances=instances, label=label, object_id=0)


def _throw_away(*, user, instances: list[models.Model], label: str, object_id: int) -> DeletedItem:
    model = type(instances[0])
    with transaction.atomic():
        # Kept as the database holds them, not as these copies may have last seen them.
        fresh = list(model._base_manager.select_for_update().filter(pk__in=[row.pk for row in instances]))
        rows, links = _rows_and_links(fresh)
        item = DeletedItem.objects.create(
            user=user,
            label=label[:300],
            model_label=model._meta.label_lower,
            object_id=object_id,
            # The python form, turned to JSON here: the json serializer cuts times to milliseconds.
            rows=json.loads(json.dumps(serializers.serialize("python", rows), default=_exact)),
            links=links,
        )
        for row in fresh:
            row.delete()
        DeletedItem.objects.filter(user=user, deleted_at__lt=timezone.now() - KEPT_FOR).delete()
    return item


def bring_back(*, item: DeletedItem) -> None:
    """Put back every row the delete removed, and the links it emptied; then forget the item.

    Refused (ValidationError) when something made since takes the place of a row (say, the
    same application added again by hand), rather than half of it coming back."""
    try:
        with transaction.atomic():
            for restored in serializers.deserialize("python", item.rows):
                # Written as new rows: one already under that id means something took its place.
                restored.save(force_insert=True)
            for label, pk, attname, pointed_at in item.links:
                model = apps.get_model(label)
                model.objects.filter(pk=pk, **{f"{attname}__isnull": True}).update(**{attname: pointed_at})
            item.delete()
    except IntegrityError as error:
        raise ValidationError(
            "It cannot come back as it was: something added since takes its place. Nothing was changed."
        ) from error
