from django.urls import path

from mantianxing.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/tokens/", views.issue_token, name="issue_token"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("locks/", views.locks, name="locks"),
]
