"""The upload form, and the review page's one form of choices (columns, dates, stages, duplicates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from apps.pipeline.csv import dates, stages
from apps.pipeline.csv.checking import ImportPreview
from apps.pipeline.csv.columns import COLUMNS
from apps.pipeline.csv.reading import MAX_UPLOAD_BYTES, CsvFileError, ReadFile
from apps.pipeline.csv.uploads import read_file
from apps.pipeline.models import Stage

ACCEPTED = ".csv,.tsv,.txt,.xlsx,.ods,text/csv,text/tab-separated-values"


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="Your file",
        help_text=(
            "CSV (commas, semicolons or tabs), Excel (.xlsx) or OpenDocument (.ods); up to 5 MB "
            "and 20,000 applications. The first row must hold the column names."
        ),
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "This file is empty. Choose the file with your applications in it.",
        },
        widget=forms.FileInput(attrs={"accept": ACCEPTED}),
    )
    # Set by clean_file: the file read once, for the view.
    read: ReadFile

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("This file is larger than 5 MB. Split it into smaller files and try again.")
        try:
            self.read = read_file(upload.read(), upload.name or "")
        except CsvFileError as error:
            raise ValidationError(str(error)) from None
        return upload


NOT_IMPORTED = "— not imported —"
STAGE_FIELD_PREFIX = "stage-for-"


class ColumnMappingForm(forms.Form):
    """Every choice the review page offers, in one form, so no button loses what another part had set.

    For each of our columns, which of the file's columns it is read from; then,
    when the file calls for them, how its dates read, whose stage names it uses,
    what its unknown stages are, and whether rows already here come in again.
    """

    def __init__(
        self, headers: list[str], *args: Any, preview: ImportPreview | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IMPORTED), *((header, header) for header in headers if header)]
        for column in COLUMNS:
            self.fields[column.field] = forms.ChoiceField(
                label=column.header,
                choices=choices,
                required=column.required,
                error_messages={"required": f"Choose the column that holds the {column.header.lower()}."},
            )
        self.stage_fields: list[str] = []
        if preview is None:
            return
        if preview.dates:
            # Carried along, so a button elsewhere on the page keeps the reading; the page switches it.
            self.fields["date_order"] = forms.ChoiceField(
                choices=[(order, label) for order, label in dates.ORDER_LABELS.items()],
                widget=forms.HiddenInput,
                required=False,
            )
        if preview.stages and preview.stages.names:
            self.fields["stage_preset"] = forms.ChoiceField(
                label="Stage names are", choices=stages.PRESET_CHOICES, required=False
            )
            self.initial.setdefault("stage_preset", preview.stages.preset)
            # The names we don't know, and those already chosen here, so a choice can be changed.
            for name in preview.stages.names:
                if name.stage and not name.chosen:
                    continue
                rows = f"{name.rows} row{'' if name.rows == 1 else 's'}"
                field_name = f"{STAGE_FIELD_PREFIX}{name.key}"
                self.fields[field_name] = forms.ChoiceField(
                    label=f"“{name.written}” ({rows})",
                    choices=[("", "— choose a stage —"), *Stage.choices],
                    required=False,
                )
                self.initial.setdefault(field_name, name.stage)
                self.stage_fields.append(field_name)
        if preview.duplicates:
            self.fields["import_duplicates"] = forms.BooleanField(label="Import them anyway", required=False)

    def mapping(self) -> dict[str, str]:
        return {
            column.field: self.cleaned_data[column.field]
            for column in COLUMNS
            if self.cleaned_data.get(column.field)
        }

    def choices(self) -> dict[str, Any]:
        """The keyword arguments of services' application_import_configure, but the import."""
        # An empty choice is sent too: it clears a choice made before.
        stage_choices = {
            name.removeprefix(STAGE_FIELD_PREFIX): self.cleaned_data.get(name, "")
            for name in self.stage_fields
        }
        return {
            "mapping": self.mapping(),
            "date_order": self.cleaned_data.get("date_order", ""),
            "stage_preset": self.cleaned_data.get("stage_preset", ""),
            "stage_choices": stage_choices,
            "import_duplicates": bool(self.cleaned_data.get("import_duplicates")),
        }

    def column_fields(self) -> list[forms.BoundField]:
        return [self[column.field] for column in COLUMNS]

    def stage_choice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.stage_fields]
