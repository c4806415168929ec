from django.apps import AppConfig
from django.db.models.signals import post_migrate

CURATOR_GROUP = "curator"


def ensure_curator_group(sender: AppConfig, **kwargs: object) -> None:
    """The ``curator`` group: may add, change and view questionnaire versions (not read anyone's answers)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
    codenames = ["add_questionnaireversion", "change_questionnaireversion", "view_questionnaireversion"]
    perms = Permission.objects.filter(content_type__app_label="assessments", codename__in=codenames)
    group.permissions.add(*perms)


class AssessmentsConfig(AppConfig):
    name = "clusterobs.web.assessments"
    label = "assessments"
    verbose_name = "Self-assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clusterobs.web import api
        from clusterobs.web.assessments import api as assessments_api

        post_migrate.connect(ensure_curator_group, sender=self)
        api.add_router(assessments_api.router)
