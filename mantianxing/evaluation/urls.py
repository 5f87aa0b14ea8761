from django.urls import path

from mantianxing.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>.json", views.run_json, name="run_json"),
    path("runs/<int:pk>.xlsx", views.run_xlsx, name="run_xlsx"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>.yaml", views.scheme_yaml, name="scheme_yaml"),
]
