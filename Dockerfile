# quoteapi: gunicorn serving the API; the data directory is a volume, filled from
# seeds/ on first start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY README.md LICENSE ./
COPY quoteapi ./quoteapi
COPY seeds ./seeds
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 quoteapi \
    && mkdir /data && chown quoteapi /data

USER quoteapi
ENV QUOTEAPI_DATA_DIR=/data \
    QUOTEAPI_SEEDS_DIR=/app/seeds \
    QUOTEAPI_BIND=0.0.0.0:8000
VOLUME /data
EXPOSE 8000
CMD ["gunicorn", "--config", "python:quoteapi.serving", "quoteapi:create_app()"]
