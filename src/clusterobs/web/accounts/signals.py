"""What the accounts tell other apps, without importing them."""

from django.dispatch import Signal

#: sent with ``user`` when a sign-up's confirmation link has activated the account (the registry makes it a member)
user_confirmed = Signal()
