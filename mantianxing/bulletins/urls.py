from django.urls import re_path

from mantianxing.bulletins import views

app_name = "bulletins"

# A period is a month (2026-06), a half (2026H1) or a year (2026); gather() checks the rest.
PERIOD = r"(?P<period>\d{4}(?:-\d{1,2}|[Hh][12])?)"

urlpatterns = [
    re_path(r"^$", views.index, name="index"),
    re_path(rf"^{PERIOD}\.(?P<kind>docx|xlsx)$", views.download, name="download"),
]
