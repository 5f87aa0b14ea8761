from django.urls import path

from mantianxing.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("new/", views.EnterpriseCreateView.as_view(), name="enterprise_add"),
    path("disputes/", views.DisputeListView.as_view(), name="dispute_list"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_edit"),
    path("<int:pk>/honours/new/", views.HonourCreateView.as_view(), name="honour_add"),
    path("honours/<int:pk>/edit/", views.HonourUpdateView.as_view(), name="honour_edit"),
]
