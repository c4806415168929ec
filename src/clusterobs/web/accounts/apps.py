"""The accounts app: user accounts and their API tokens. It imports no feature app; the registry adds to it through
``signals.user_confirmed`` and the account page's ``panels``."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clusterobs.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"
