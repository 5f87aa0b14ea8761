from django.urls import path

from mantianxing.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rows/", views.value_rows, name="rows"),
    path("progress.xlsx", views.download, name="download"),
    path("targets/", views.targets, name="targets"),
]
