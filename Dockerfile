# One image for the web server, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml requirements.lock ./
RUN pip install --no-cache-dir -c requirements.lock .

COPY . .

# Static files are collected into the image; whitenoise serves them.
RUN DEBUG=false SECRET_KEY=only-for-collectstatic python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 secondround \
    && mkdir -p /app/var \
    && chown -R secondround /app/var

USER secondround
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--timeout", "300", "--access-logfile", "-"]
