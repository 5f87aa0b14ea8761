from __future__ import annotations

from unittest import mock

from django.db import OperationalError
from django.test import TestCase


class HealthzTests(TestCase):
    def test_it_answers_200_with_the_database_reachable(self) -> None:
        response = self.client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    def test_it_answers_503_when_the_database_is_unreachable(self) -> None:
        with mock.patch(
            "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
        ):
            response = self.client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["database"] == "unreachable"

    def test_it_needs_no_login(self) -> None:
        assert self.client.get("/healthz").status_code == 200
