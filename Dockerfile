# news-monitor as a container service. Build: docker build -t news-monitor .
# Run:   docker run -d -v news-monitor-state:/app/state -p 127.0.0.1:8080:8080 news-monitor
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY monitor ./monitor
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NEWS_MONITOR_RULES_DIR=/app/rules \
    NEWS_MONITOR_STATE_DIR=/app/state \
    NEWS_MONITOR_HEALTH_BIND=0.0.0.0:8080 \
    NEWS_MONITOR_LOG_FORMAT=json
RUN groupadd --system --gid 10001 monitor \
    && useradd --system --uid 10001 --gid monitor --home-dir /app --shell /usr/sbin/nologin monitor
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY rules ./rules
RUN mkdir -p /app/state && chown 10001:10001 /app/state
USER 10001:10001
VOLUME ["/app/state"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"]
CMD ["news-monitor", "run"]
