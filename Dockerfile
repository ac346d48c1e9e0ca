# One image for every role (worker, beat, flower); the command picks the role.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 ingest
WORKDIR /app

COPY pyproject.toml README.md ./
COPY worker ./worker
COPY config ./config
RUN pip install --no-cache-dir '.[postgres,flower]'

USER ingest
ENV INGEST_CONFIG_DIR=/app/config
CMD ["ingest", "worker"]
