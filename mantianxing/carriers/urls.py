from django.urls import path

from mantianxing.carriers import views

app_name = "carriers"
urlpatterns = [
    path("", views.BuildingListView.as_view(), name="building_list"),
    path("new/", views.BuildingCreateView.as_view(), name="building_add"),
    path("<int:pk>/", views.BuildingDetailView.as_view(), name="building_detail"),
    path("<int:pk>/edit/", views.BuildingUpdateView.as_view(), name="building_edit"),
    path("occupancy/", views.OccupancyListView.as_view(), name="occupancy_list"),
    path("occupancy/new/", views.OccupancyCreateView.as_view(), name="occupancy_add"),
    path("occupancy/<int:pk>/", views.OccupancyDetailView.as_view(), name="occupancy_detail"),
    path("occupancy/<int:pk>/edit/", views.OccupancyUpdateView.as_view(), name="occupancy_edit"),
]
