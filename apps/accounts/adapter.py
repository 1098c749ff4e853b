from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth, speaking in Second Round's voice where people read it most."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email and password do not match an account. Check both and try again."
        ),
        "too_many_login_attempts": (
            "Too many failed login attempts. Wait a few minutes, or reset your password."
        ),
        "email_taken": "An account with this email address already exists. Log in instead?",
    }
