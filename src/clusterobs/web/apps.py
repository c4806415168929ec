"""The site kernel's app: the base templates, the static files, the template tags. It registers nothing: every
feature (the Cluster Mapping Tool among them) is an app of its own that registers its charts and API router into the
kernel from its ``AppConfig.ready()``."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clusterobs.web"
    label = "web"
