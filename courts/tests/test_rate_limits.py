"""The counters behind the courts' rate limits, on the real cache, without a request: a
check that counts nothing, fixed windows, and subjects counted apart (the root conftest
empties the cache before each test)."""

from __future__ import annotations

from datetime import date

from courts.lookup import LookupKind, LookupRequest, lookup_failure_record, lookup_identity, lookup_identity_check
from courts.rate_limits import attempt_count, attempts_left

WINDOW = 900
NOW = 1_800_000_000.0  # the start of a window: 1_800_000_000 is a multiple of 900


def test_counting_allows_the_limit_then_refuses_until_the_window_ends():
    answers = [
        attempt_count(scope="t", subject="a", attempts=3, window_seconds=WINDOW, now=NOW).allowed for _ in range(5)
    ]
    next_window = attempt_count(scope="t", subject="a", attempts=3, window_seconds=WINDOW, now=NOW + WINDOW)

    assert answers == [True, True, True, False, False] and next_window.allowed


def test_a_check_counts_nothing():
    checks = [attempts_left(scope="t", subject="a", attempts=1, window_seconds=WINDOW, now=NOW) for _ in range(10)]
    attempt_count(scope="t", subject="a", attempts=1, window_seconds=WINDOW, now=NOW)
    after = attempts_left(scope="t", subject="a", attempts=1, window_seconds=WINDOW, now=NOW + 10)

    assert all(check.allowed for check in checks)
    assert not after.allowed and after.retry_after_seconds == WINDOW - 10 + 1


def test_subjects_and_scopes_are_counted_apart():
    attempt_count(scope="t", subject="a", attempts=1, window_seconds=WINDOW, now=NOW)

    assert attempts_left(scope="t", subject="b", attempts=1, window_seconds=WINDOW, now=NOW).allowed
    assert attempts_left(scope="u", subject="a", attempts=1, window_seconds=WINDOW, now=NOW).allowed


def test_one_ticket_typed_two_ways_is_one_identity_and_the_birth_date_is_not_part_of_it(settings):
    settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY = 2
    typed = [
        LookupRequest(kind=LookupKind.CITATION, date_of_birth=date(1985, 4, day), citation_number=number)
        for day, number in ((1, "747199692"), (2, "747-199 692"))
    ]

    for request in typed:
        lookup_failure_record(request=request, now=NOW)

    assert lookup_identity(typed[0]) == lookup_identity(typed[1])
    assert not lookup_identity_check(request=typed[0], now=NOW).allowed
    other = LookupRequest(kind=LookupKind.CITATION, date_of_birth=date(1985, 4, 1), citation_number="747199693")
    assert lookup_identity_check(request=other, now=NOW).allowed
