"""Kept apart from forms.py: allauth's forms import our sign-up extras from
there (ACCOUNT_SIGNUP_FORM_CLASS), so importing allauth's forms in it is circular."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login form, worded for Second Round (the page links to password reset)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
