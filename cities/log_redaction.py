"""No log line carries a private link or an address.

Django logs the path of every 4xx answer ("Not Found: /messages/stop/<token>/"), the
development server every request line, and a message or task may mention whom it was for.
This filter, on those loggers and on the console handler (settings.LOGGING), rewrites each
record before any handler sees it: signed tokens (private links: offers, stop links),
email addresses and phone numbers become placeholders.
"""

from __future__ import annotations

import logging
import re

# django.core.signing's output: base64url payload (a leading "." when compressed), then the
# timestamp and the signature, joined by ":" (or its percent-encoding in a logged URL).
_SIGNED_TOKEN = re.compile(r"\.?[A-Za-z0-9_-]{8,}(?::|%3[Aa])[A-Za-z0-9_-]{4,}(?::|%3[Aa])[A-Za-z0-9_-]{20,}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# E.164 (+13145550123) and North American numbers written with separators: (314) 555-0123.
_PHONE = re.compile(r"\+\d{8,15}\b|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")


def redacted(text: str) -> str:
    """`text` with private tokens, email addresses and phone numbers replaced."""
    text = _SIGNED_TOKEN.sub("[private-link]", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)


class PrivateDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redacted(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True
