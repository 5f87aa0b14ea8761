from django.urls import path

from mantianxing.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("open/", views.report_open, name="report_open"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/amend/", views.report_amend, name="report_amend"),
    path("<int:pk>/deadline/", views.report_deadline, name="report_deadline"),
]
