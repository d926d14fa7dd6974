"""The one rate limit (`cities.rate_limits`), on the real cache, without a request: fixed
windows, subjects counted apart, attempts given back, and counting that stays within the
limit however many attempts arrive at once (the root conftest empties the cache before each
test)."""

from __future__ import annotations

import threading

import pytest

from cities.rate_limits import Limit, rate_limit_give_back, rate_limit_take

WINDOW = 900
NOW = 1_800_000_000.0  # the start of a window: 1_800_000_000 is a multiple of 900


def test_counting_allows_the_limit_then_refuses_until_the_window_ends():
    three = Limit(scope="t", attempts=3, window_seconds=WINDOW)
    answers = [rate_limit_take(limit=three, subject="a", now=NOW).allowed for _ in range(5)]
    refused = rate_limit_take(limit=three, subject="a", now=NOW + 10)
    next_window = rate_limit_take(limit=three, subject="a", now=NOW + WINDOW)

    assert answers == [True, True, True, False, False] and next_window.allowed
    assert refused.retry_after_seconds == WINDOW - 10 + 1 and refused.retry_after_minutes == 15


def test_an_attempt_given_back_frees_its_place_but_a_refused_one_changes_nothing():
    one = Limit(scope="t", attempts=1, window_seconds=WINDOW)
    first = rate_limit_take(limit=one, subject="a", now=NOW)
    rate_limit_give_back(first)
    second = rate_limit_take(limit=one, subject="a", now=NOW)
    refused = rate_limit_take(limit=one, subject="a", now=NOW)
    rate_limit_give_back(refused)

    assert first.allowed and second.allowed and not refused.allowed
    assert not rate_limit_take(limit=one, subject="a", now=NOW).allowed


def test_subjects_and_scopes_are_counted_apart():
    one = Limit(scope="t", attempts=1, window_seconds=WINDOW)
    rate_limit_take(limit=one, subject="a", now=NOW)

    assert rate_limit_take(limit=one, subject="b", now=NOW).allowed
    assert rate_limit_take(limit=Limit(scope="u", attempts=1, window_seconds=WINDOW), subject="a", now=NOW).allowed


def test_the_subject_is_never_kept_as_itself():
    taken = rate_limit_take(limit=Limit(scope="t", attempts=1, window_seconds=WINDOW), subject="203.0.113.9", now=NOW)

    assert "203.0.113.9" not in taken.counter


@pytest.mark.parametrize("attempts_at_once", [12])
def test_attempts_at_once_never_go_over_the_limit(attempts_at_once):
    limit = Limit(scope="race", attempts=5, window_seconds=WINDOW)
    start = threading.Barrier(attempts_at_once)
    answers: list[bool] = []

    def attempt() -> None:
        start.wait()
        answers.append(rate_limit_take(limit=limit, subject="a", now=NOW).allowed)

    threads = [threading.Thread(target=attempt) for _ in range(attempts_at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers.count(True) == 5 and len(answers) == attempts_at_once
