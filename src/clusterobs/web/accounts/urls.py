"""URLs of the account pages, included at the site root under the ``accounts`` namespace."""

from django.urls import path

from clusterobs.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/", views.account, name="account"),
    path("accounts/tokens/new/", views.token_new, name="token_new"),
    path("accounts/tokens/<int:pk>/delete/", views.token_delete, name="token_delete"),
]
