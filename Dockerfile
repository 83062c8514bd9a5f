# syntax=docker/dockerfile:1
# Multi-stage build: front-end packages from npm, Python wheels, then a slim non-root runtime.

FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=gamefactory.settings \
    VAR_DIR=/app/var \
    DEBUG=0 \
    WEB_HOST=0.0.0.0 \
    TRUSTED_PROXIES=0 \
    FORWARDED_ALLOW_IPS=""
# git: the factory's local repository backend; chromium-headless-shell: the playtests (chromium: the
# fallback, and the pages' screenshots).
RUN apt-get update \
    && apt-get install -y --no-install-recommends git chromium chromium-headless-shell fonts-dejavu-core libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system app && useradd --system --gid app --home /app app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=frontend /app/node_modules /app/node_modules
COPY --chown=app:app . /app
# collectstatic imports settings, which need a key: a random one, used for nothing and not kept
# (without it a key file would be baked into the image and shared by every container).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R app:app /app/var
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz'); sys.exit(0)"
# HTTP and websockets: gunicorn managing uvicorn workers on the ASGI app. gunicorn reads
# FORWARDED_ALLOW_IPS as settings do: behind a proxy set it to the proxy's address and TRUSTED_PROXIES=1.
CMD ["gunicorn", "gamefactory.asgi:application", "-k", "uvicorn_worker.UvicornWorker", "-w", "4", "-b", "0.0.0.0:8000", "--access-logfile", "-"]
