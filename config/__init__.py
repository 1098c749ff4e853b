# Load the Celery app whenever Django starts, so tasks enqueued from web
# requests use the configured broker.
from config.celery import app as celery_app

__all__ = ["celery_app"]
