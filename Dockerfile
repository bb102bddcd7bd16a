# The bot in a small image: slim Python, the package and its content, a user of its own.
# docker build -t gutskin-bot . && docker run -e TELEGRAM_BOT_TOKEN=... -v bot-data:/data gutskin-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The package and its dependencies (Sentry's optional one too), then the cards and templates:
# an edit to content/ alone rebuilds only that last layer.
# Exactly the locked versions, hashes checked (requirements/run.txt: Sentry's extra included),
# then the package itself with nothing more fetched.
COPY requirements/run.txt ./requirements/run.txt
RUN pip install --require-hashes -r requirements/run.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-deps --no-build-isolation .
COPY content ./content

# Not root: the bot needs to write only its SQLite file, in /data (a volume).
RUN useradd --create-home --uid 10001 bot && mkdir /data && chown bot /data
USER bot

# The content is read from /app (the installed package has no content/ beside it); the SQLite
# file lives in the volume unless DATABASE_URL names a PostgreSQL. /healthz answers on 8080 in
# both modes: the webhook's PORT, and BOT_HEALTH_PORT while long polling.
ENV BOT_CONTENT_DIR=/app/content \
    BOT_DATABASE=/data/bot.sqlite3 \
    PORT=8080 \
    BOT_HEALTH_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=8)"]

# Long polling by default; `python -m bot webhook` (or BOT_WEBHOOK_URL) for webhook mode.
CMD ["python", "-m", "bot"]
