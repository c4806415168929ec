"""The admin's login goes through the login throttle; API tokens are listed (read-only) for curators."""

from django.contrib import admin

from clusterobs.web.accounts.forms import ThrottledAdminLoginForm
from clusterobs.web.accounts.models import ApiToken

admin.site.login_form = ThrottledAdminLoginForm  # the admin's login is throttled like the site's (accounts.throttle)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created")
    readonly_fields = ("prefix", "digest", "user", "created")
