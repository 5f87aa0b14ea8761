from django.urls import path

from mantianxing.honours import views

app_name = "honours"
urlpatterns = [
    path("", views.building_list, name="building_list"),
    path("buildings.xlsx", views.building_download, name="building_download"),
    path("shangxing/", views.shangxing_list, name="shangxing_list"),
    path("shangxing.xlsx", views.shangxing_download, name="shangxing_download"),
    path("criteria/", views.criteria, name="criteria"),
]
