FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput
RUN useradd --create-home lianxin && mkdir -p /app/var/media && chown -R lianxin /app/var
USER lianxin
EXPOSE 8000
CMD ["gunicorn", "congress.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
