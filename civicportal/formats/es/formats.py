"""Spanish as read in the United States: the US way of writing numbers and dollars
("$1,234.56"), as on a ticket, a court's fine schedule or a bank statement, rather than
Spain's "1.234,56". Everything else (dates: "7 de marzo de 2015") is Django's Spanish, which
Django reads when a format is not named here."""

from __future__ import annotations

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
