"""The password of every account the tests' fixtures make (`_staff`'s and `member_of`'s in
conftest.py): a browser test types it at /admin/ as the person would."""

STAFF_PASSWORD = "a-staff-password-1"
