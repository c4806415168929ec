"""URLs of the self-assessments, included at the site root under the ``assessments`` namespace.

Private pages carry the assessment's token (``a/<token>/``); the public summary of a benchmark its separate public
token (``public/<token>/``). Nothing is reachable by a numeric id.
"""

from django.urls import path

from clusterobs.web.assessments import views

app_name = "assessments"
urlpatterns = [
    path("self-assessment/", views.index, name="index"),
    path("self-assessment/start/<slug:key>/", views.start, name="start"),
    path("self-assessment/a/<str:token>/", views.overview, name="overview"),
    path("self-assessment/a/<str:token>/step/<int:n>/", views.step, name="step"),
    path("self-assessment/a/<str:token>/step/<int:n>/autosave/", views.autosave, name="autosave"),
    path("self-assessment/a/<str:token>/finish/", views.finish, name="finish"),
    path("self-assessment/a/<str:token>/result/", views.result, name="result"),
    path("self-assessment/a/<str:token>/result.pdf", views.result_pdf, name="result_pdf"),
    path("self-assessment/a/<str:token>/answers.csv", views.answers_csv, name="answers_csv"),
    path("self-assessment/a/<str:token>/radar.<str:fmt>", views.radar, name="radar"),
    path("self-assessment/a/<str:token>/publish/", views.publish, name="publish"),
    path("self-assessment/a/<str:token>/delete/", views.delete, name="delete"),
    path("self-assessment/public/<str:public_token>/", views.public, name="public"),
    path("self-assessment/public/<str:public_token>/radar.<str:fmt>", views.public_radar, name="public_radar"),
]
