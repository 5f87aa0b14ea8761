from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mantianxing.core import views as core_views
from mantianxing.core.api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("rules/", core_views.rules, name="rules"),
    path("verification/", core_views.verification, name="verification"),
    path("rules/vocabularies/", include("mantianxing.vocabularies.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("mantianxing.accounts.urls")),
    path("geo/", include("mantianxing.geo.urls")),
    path("buildings/", include("mantianxing.carriers.urls")),
    path("enterprises/", include("mantianxing.enterprises.urls")),
    path("people/", include("mantianxing.people.urls")),
    path("statistics/", include("mantianxing.stats.urls")),
    path("imports/", include("mantianxing.imports.urls")),
    path("monitoring/", include("mantianxing.monitoring.urls")),
    path("reports/", include("mantianxing.reporting.urls")),
    path("evaluation/", include("mantianxing.evaluation.urls")),
    path("honours/", include("mantianxing.honours.urls")),
    path("bulletins/", include("mantianxing.bulletins.urls")),
    path("audit/", include("mantianxing.audit.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
