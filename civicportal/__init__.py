"""The Civic Portal project; loading it loads the Celery app, so `shared_task` binds to it."""

from civicportal.celery import app as celery_app

__all__ = ("celery_app",)
