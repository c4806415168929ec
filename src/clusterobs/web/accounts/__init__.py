"""User accounts: sign-up with e-mail confirmation, login (throttled), logout, password change and reset, the account
page and personal API tokens."""
