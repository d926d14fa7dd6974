"""No log line carries a private link or an address."""

from __future__ import annotations

import logging

import pytest
from django.core import signing

from cities.log_redaction import redacted
from cities.messaging import opt_out_url


def test_addresses_and_signed_tokens_are_replaced() -> None:
    token = signing.dumps({"placement": 12, "position": 3}, salt="any")

    line = redacted(f"sent to jane.doe@example.org and +13145550123 or (314) 555-0123: /offers/{token}/")

    assert line == "sent to [email] and [phone] or [phone]: /offers/[private-link]/"
    assert redacted("ingestion run 16 of stl-courts: succeeded, read=14 created=14") == (
        "ingestion run 16 of stl-courts: succeeded, read=14 created=14"
    )


@pytest.mark.django_db
def test_a_refused_private_link_is_logged_without_its_token(client, caplog) -> None:
    stop_link = opt_out_url(channel="sms", digest="0" * 64)
    path = stop_link.removeprefix("http://127.0.0.1:8000")
    forged_offer = signing.dumps({"placement": 999999, "position": 1}, salt="forged")
    offer_path = f"/cities/boston/summer-jobs/offers/{forged_offer}/"
    damaged = path[:-3] + "xx/"

    with caplog.at_level(logging.INFO):
        unknown_offer = client.get(offer_path)
        bad_stop = client.post(damaged)

    assert unknown_offer.status_code == 404 and bad_stop.status_code == 400
    assert "[private-link]" in caplog.text
    token = path.split("/")[-2]
    for secret in (forged_offer, token[:-2], token.split(":")[0]):
        assert secret not in caplog.text
