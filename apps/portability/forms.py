from __future__ import annotations

from django import forms

from apps.accounts.models import User

# The largest export we accept: twice a heavy account's file (23 MB for 2,000
# applications, 5,000 interviews and reflections and 20,000 reminders). The
# whole file is read into memory to be checked before anything is written.
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your export file",
        help_text="The .json file from “Download everything”, on this site or another Second Round.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                "This file is larger than 50 MB, too large to be an export from here."
            )
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password
