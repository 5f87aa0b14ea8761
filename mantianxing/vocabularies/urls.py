from django.urls import path

from mantianxing.vocabularies import views

app_name = "vocabularies"
urlpatterns = [path("", views.vocabulary_list, name="vocabulary_list")]
