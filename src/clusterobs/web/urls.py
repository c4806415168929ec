"""URL map of the observatory: each installed app's pages, the image export, the API, the admin and the language
switcher. The kernel imports no app: it includes the ``urls`` module of every app of ``clusterobs.web`` in
``INSTALLED_APPS``, by name and in that order (the Cluster Mapping Tool's names unnamespaced, the others each a
namespace: linkages:…, scoreboard:…, assessments:…, registry:…, reports:…)."""

from importlib.util import find_spec

from django.apps import apps
from django.contrib import admin
from django.urls import include, path, re_path

from clusterobs.web import figures
from clusterobs.web.api import api

KERNEL = "clusterobs.web"


def feature_apps() -> list[str]:
    """The installed apps below the kernel that have pages (a ``urls`` module), in ``INSTALLED_APPS`` order."""
    return [config.name for config in apps.get_app_configs()
            if config.name.startswith(f"{KERNEL}.") and find_spec(f"{config.name}.urls") is not None]


urlpatterns = [
    *[path("", include(f"{app}.urls")) for app in feature_apps()],
    re_path(r"^api/figures/(?P<chart>[a-z0-9-]+)\.(?P<fmt>[a-z]+)$", figures.figure, name="figure"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "clusterobs.web.pages.handler404"
handler500 = "clusterobs.web.dbbusy.handler500"
