"""Point 12: Content-Security-Policy, X-Frame-Options, HSTS and `mtx check --deploy` with production settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from mantianxing.core.testing import PersonaTestCase

TEMPLATES = Path(settings.BASE_DIR) / "mantianxing" / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


class HeaderTests(PersonaTestCase):
    def test_it_sends_a_policy_of_own_assets_only(self) -> None:
        self.client.force_login(self.city_officer)
        for path in ("/", "/buildings/", "/accounts/me/", "/admin/", "/api/docs", "/login/"):
            response = self.client.get(path, follow=True)
            policy = directives(response["Content-Security-Policy"])
            self.assertEqual(policy["default-src"], ["'self'"], path)
            self.assertNotIn("'unsafe-inline'", policy["script-src"], path)
            self.assertEqual(policy["frame-ancestors"], ["'none'"], path)
            self.assertEqual(policy["object-src"], ["'none'"], path)
            for sources in policy.values():
                self.assertFalse([s for s in sources if s.startswith(("http", "*"))], path)

    def test_it_forbids_framing(self) -> None:
        self.assertEqual(self.client.get("/login/")["X-Frame-Options"], "DENY")

    def test_it_serves_pages_whose_scripts_all_come_from_files(self) -> None:
        # What the browser would block under script-src 'self': an inline <script> with code,
        # an on…= handler attribute, a javascript: link.
        self.client.force_login(self.city_officer)
        pages = ["/", "/monitoring/", "/admin/", "/admin/accounts/user/", "/api/docs", "/accounts/me/"]
        pages += [f"/admin/accounts/user/{self.operator.pk}/change/", "/admin/accounts/user/add/"]
        pages += [f"/admin/accounts/user/{self.operator.pk}/password/", "/accounts/locks/"]
        for path in pages:
            html = self.client.get(path, follow=True).content.decode()
            for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
                attributes, body = script
                if "src=" in attributes or 'type="application/json"' in attributes:
                    continue
                self.assertFalse(body.strip(), f"inline script on {path}: {body[:80]}")
            self.assertFalse(re.findall(r"\son[a-z]+=\"", html), path)
            self.assertNotIn("javascript:", html, path)


def test_it_keeps_inline_handlers_out_of_our_templates() -> None:
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+=[\"']|javascript:|<script>(?!\s*</script>)", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_it_passes_the_deploy_checks_with_production_settings(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MTX_", "DJANGO_"))}
    env |= {
        "MTX_SECRET_KEY": secrets.token_urlsafe(50),
        "MTX_PII_KEY": secrets.token_urlsafe(50),
        "MTX_ALLOWED_HOSTS": "mtx.example.gov.cn",
        "MTX_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "mantianxing", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_sends_hsts_and_redirects_to_https_when_cookies_are_secure(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MTX_", "DJANGO_"))}
    env |= {
        "MTX_SECRET_KEY": secrets.token_urlsafe(50),
        "MTX_PII_KEY": secrets.token_urlsafe(50),
        "MTX_ALLOWED_HOSTS": "testserver",
        "MTX_VAR_DIR": str(tmp_path),
        "MTX_SECURE_COOKIES": "1",
        "MTX_STATIC_MANIFEST": "0",
    }
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "plain = c.get('/login/')\n"
        "tls = c.get('/login/', secure=True)\n"
        "print(plain.status_code, plain.get('Location'))\n"
        "print(tls.status_code, tls.get('Strict-Transport-Security'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=env | {"DJANGO_SETTINGS_MODULE": "mantianxing.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    plain, tls = result.stdout.strip().splitlines()
    assert plain == "301 https://testserver/login/"
    assert tls == "200 max-age=31536000; includeSubDomains; preload"
