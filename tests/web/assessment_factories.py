"""Assessments made through the services, for the web tests (the flow itself is tested through the pages)."""

from __future__ import annotations

from clusterobs.web.assessments import services
from clusterobs.web.assessments.models import Assessment
from clusterobs.web.assessments.selectors import questionnaire_current


def completed(key: str = "stress_test", level: str = "2", **subject: str) -> Assessment:
    version = questionnaire_current(key)
    if not subject:
        subject = ({"region": "DE11", "region_name": "Stuttgart", "country": "DE"} if key == "stress_test" else
                   {"size_class": "small", "country": "DE", "country_group": "north_west", "name": "Org"})
    a = services.assessment_start(version=version, **subject)
    q = a.questionnaire_def()
    services.assessment_save_answers(assessment=a, answers={x.id: level for x in q.questions if x.kind == "choice"})
    return services.assessment_complete(assessment=a)
