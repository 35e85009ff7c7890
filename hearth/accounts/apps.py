from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hearth.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from hearth.accounts import signals  # noqa: F401
        from hearth.accounts.admin_sign_in import admin_sign_in

        # The admin signs in through allauth (MFA, throttle, audit): see admin_sign_in.
        admin.site.login = admin_sign_in  # type: ignore[method-assign]
