from django.urls import path

from mantianxing.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.issue_token, name="issue_token"),
]
