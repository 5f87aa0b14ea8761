from django.urls import path

from mantianxing.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.StatisticsListView.as_view(), name="statistics_list"),
    path("new/", views.StatisticsCreateView.as_view(), name="statistics_add"),
    path("<int:pk>/", views.StatisticsDetailView.as_view(), name="statistics_detail"),
    path("<int:pk>/edit/", views.StatisticsUpdateView.as_view(), name="statistics_edit"),
]
