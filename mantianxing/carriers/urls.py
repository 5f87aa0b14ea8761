from django.urls import path

from mantianxing.carriers import views

app_name = "carriers"
urlpatterns = [
    path("", views.BuildingListView.as_view(), name="building_list"),
    path("new/", views.BuildingCreateView.as_view(), name="building_add"),
    path("<int:pk>/", views.BuildingDetailView.as_view(), name="building_detail"),
    path("<int:pk>/edit/", views.BuildingUpdateView.as_view(), name="building_edit"),
]
