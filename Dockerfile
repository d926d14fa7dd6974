# syntax=docker/dockerfile:1
# One image for every role of the portal: docker-compose.yml runs it as web (gunicorn),
# worker and beat (Celery) and as the one-shot migration.

# Base images are pinned by version and by digest (the multi-architecture index), so a
# rebuild starts from the same bytes; moving to a newer one is a reviewed change here.

# Browser libraries come from npm in their own stage, so the runtime image carries no Node.js.
FROM node:20.19.5-bookworm-slim@sha256:9e70124bd00f47dd023e349cd587132ae61892acc0e47ed641416c3e18f401c3 AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error


FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    WEB_CONCURRENCY=3 \
    MEDIA_ROOT=/app/media \
    CIVIC_DATA_DIR=/data

WORKDIR /app

# Requirements first, so a code change does not reinstall every package. Only the runtime's
# (no test, lint or type-checking tools), each file checked against its locked hash.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY --from=assets /build/node_modules ./node_modules
COPY . .

# Static files are collected with the production storage (hashed names, gzip) at build
# time; the values here exist only so settings load and are not those of any deployment.
RUN DEBUG=false SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --no-input

# The code stays root-owned and read-only to the process; only uploaded files are writable.
# MEDIA_ROOT exists, owned by the user, so a new named volume mounted there inherits that.
RUN groupadd --system --gid 10001 civic \
    && useradd --system --uid 10001 --gid civic --home-dir /app --no-create-home civic \
    && mkdir -p /app/media /data \
    && chown civic:civic /app/media
# Numeric, so an orchestrator can verify the image does not run as root.
USER 10001:10001

EXPOSE 8000

# gunicorn binds 0.0.0.0:$PORT and starts $WEB_CONCURRENCY workers. Long timeouts let a
# partner upload a large file through a slow link; the file is ingested by the worker.
CMD ["gunicorn", "civicportal.wsgi:application", "--access-logfile", "-", "--timeout", "120", "--max-requests", "1000", "--max-requests-jitter", "100"]
