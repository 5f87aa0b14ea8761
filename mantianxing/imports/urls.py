from django.urls import path

from mantianxing.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("recheck/", views.recheck, name="recheck"),
    path("confirm/", views.confirm, name="confirm"),
    path("template/<str:ledger>.xlsx", views.template, name="template"),
    path("export/<str:ledger>.xlsx", views.export, name="export"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
]
