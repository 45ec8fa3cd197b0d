from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts: invitations, passwords, second factors and single sign-on"

    def ready(self):
        from allauth.account.signals import (
            authentication_step_completed,
            password_changed,
            password_reset,
            password_set,
        )
        from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset

        from accounts import (
            checks,  # noqa: F401 - registers the deploy checks
            receivers,
        )

        password_changed.connect(receivers.password_changed, dispatch_uid="accounts.password_changed")
        password_set.connect(receivers.password_changed, dispatch_uid="accounts.password_set")
        password_reset.connect(receivers.password_reset, dispatch_uid="accounts.password_reset")
        authenticator_removed.connect(receivers.factor_removed, dispatch_uid="accounts.factor_removed")
        authentication_step_completed.connect(receivers.reauthenticated, dispatch_uid="accounts.reauthenticated")
        for signal in (authenticator_added, authenticator_removed, authenticator_reset):
            signal.connect(receivers.end_other_sessions, dispatch_uid=f"accounts.end_other_sessions.{id(signal)}")
