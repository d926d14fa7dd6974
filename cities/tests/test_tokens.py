"""API tokens as staff make them and partners use them: the key shown once, then only its
first characters; an expired token answered 401."""

from __future__ import annotations

import re
from datetime import timedelta

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cities.models import ApiToken
from cities.tokens import api_token_create, api_token_digest


def test_staff_make_a_token_whose_key_is_shown_once_then_only_its_prefix(admin_client, admin_user, partner) -> None:
    expires_on = timezone.localdate() + timedelta(days=30)

    created = admin_client.post(
        reverse("admin:cities_apitoken_add"),
        {"user": partner.pk, "label": "Partner dashboard", "expires_on": expires_on.isoformat()},
    ).content.decode()
    key = re.search(r'id="token-key" type="text" readonly size="50" value="([^"]+)"', created).group(1)
    token = ApiToken.objects.get()
    listing = admin_client.get(reverse("admin:cities_apitoken_changelist")).content.decode()
    page = admin_client.get(reverse("admin:cities_apitoken_change", args=[token.pk])).content.decode()
    history = admin_client.get(reverse("admin:cities_apitoken_history", args=[token.pk])).content.decode()

    assert "not be shown again" in created
    assert token.digest == api_token_digest(key) and token.prefix == key[:8]
    assert timezone.localdate(token.expires_at) == expires_on + timedelta(days=1)
    assert (token.user, token.created_by, token.label) == (partner, admin_user, "Partner dashboard")
    assert token.prefix in listing and key not in listing and key not in page and key not in history
    entry = LogEntry.objects.get_for_object(token).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == admin_user
    assert "digest" not in entry.changes_dict and token.digest not in str(entry.changes)


def test_a_token_may_not_expire_in_the_past(admin_client, partner) -> None:
    response = admin_client.post(
        reverse("admin:cities_apitoken_add"),
        {"user": partner.pk, "expires_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )

    assert "Choose today or a later day." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_partners_token_works_until_it_expires_then_is_answered_401(demo_data, boston_staff) -> None:
    token, key = api_token_create(user=boston_staff, expires_at=timezone.now() + timedelta(hours=1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get("/api/v1/youthjobs/applicants/").status_code == 200
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    expired = api.get("/api/v1/youthjobs/applicants/")

    assert expired.status_code == 401
    assert expired.json() == {"detail": "Token expired."} and expired["WWW-Authenticate"] == "Token"
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_wrong_key_is_answered_401(db) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + "x" * 43)

    assert api.get("/api/v1/youthjobs/applicants/").status_code == 401
