import json
from django.test import Client
from mantianxing.core.testing import PersonaTestCase
from mantianxing.accounts.models import User
from mantianxing.accounts.choices import Role


class ExploreTests(PersonaTestCase):
    def test_it_explores(self) -> None:
        h = self.bearer(self.yuzhong_officer)
        r = self.client.get("/api/buildings", headers=h); print("LIST", r.status_code, r.json())
        r = self.client.get(f"/api/buildings/{self.building_na.pk}", headers=h); print("GET other", r.status_code, r.json())
        r = self.client.patch(f"/api/buildings/{self.building_yz.pk}", {"unit": "500108"}, content_type="application/json", headers=h); print("PATCH move", r.status_code, r.json())
        r = self.client.post("/api/buildings", {"code": "NA-9", "name": "n", "unit": "500108"}, content_type="application/json", headers=h); print("POST other", r.status_code, r.json())
        r = self.client.post("/api/buildings", {"code": "YZ-9", "name": "n", "unit": "500103"}, content_type="application/json", headers=h); print("POST own", r.status_code, r.json())
        r = self.client.get("/api/buildings"); print("NOAUTH", r.status_code, r.json())
        r = self.client.get("/api/buildings", headers={"Authorization": "Bearer nope"}); print("BAD", r.status_code, r.json())
        r = self.client.post("/api/auth/token", {"username": "yuzhong", "password": "pw-yuzhong"}, content_type="application/json"); print("TOK", r.status_code, r.json())
        r = self.client.post("/api/auth/token", {"username": "yuzhong", "password": "x"}, content_type="application/json"); print("TOKBAD", r.status_code, r.json())
        ha = self.bearer(self.auditor)
        r = self.client.delete(f"/api/buildings/{self.building_yz.pk}", headers=ha); print("AUD DEL", r.status_code, r.json())
        r = self.client.post("/api/buildings", {"code": "YZ-8", "name": "n", "unit": "500103"}, content_type="application/json", headers=ha); print("AUD POST", r.status_code, r.json())
        c = Client(enforce_csrf_checks=True); c.force_login(self.yuzhong_officer)
        r = c.get("/api/buildings"); print("SESS GET", r.status_code, r.json()["count"])
        r = c.post("/api/buildings", {"code": "YZ-7", "name": "n", "unit": "500103"}, content_type="application/json"); print("SESS POST", r.status_code, r.content[:300])
        r = c.patch(f"/api/buildings/{self.building_yz.pk}", {"name": "n"}, content_type="application/json"); print("SESS PATCH", r.status_code, r.content[:300])
        c.get("/login/")
        tok = c.cookies.get("csrftoken")
        print("cookie", tok)
        if tok:
            r = c.post("/api/buildings", {"code": "YZ-6", "name": "n", "unit": "500103"}, content_type="application/json", headers={"X-CSRFToken": tok.value}); print("SESS POST tok", r.status_code, r.content[:300])
