"""API tokens: made with a key shown once, checked by digest, refused once expired."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from cities.models import ApiToken

PREFIX_LENGTH = 8


def api_token_digest(key: str) -> str:
    # The key is 256 random bits: a plain hash cannot be reversed by guessing.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: Any, created_by: Any = None, expires_at: datetime | None = None, label: str = ""
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it and its key, which is not kept and cannot be shown
    again. The audit trail records the creation (ApiToken is registered, without the digest)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        prefix=key[:PREFIX_LENGTH],
        digest=api_token_digest(key),
        label=label,
        created_by=created_by,
        expires_at=expires_at,
    )
    return token, key


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>` scheme over ApiToken: one query, by the key's digest;
    an unknown, expired or disabled account's token is answered 401."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.is_expired(now=timezone.now()):
            raise exceptions.AuthenticationFailed("Token expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token
