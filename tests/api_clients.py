"""API clients as partners and staff hold them: one with a fresh token of a user."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from cities.tokens import api_token_create


def token_client(user: Any) -> APIClient:
    """An API client that sends a new token of `user` with every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client
