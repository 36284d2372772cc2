"""The same code on the embedded default and on PostgreSQL, Redis and Elasticsearch.

Settings are read at start-up, so each configuration is loaded in a fresh interpreter with its
own environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.cache import caches
print(json.dumps({
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "search_urls": settings.WAGTAILSEARCH_BACKENDS["default"].get("URLS"),
    "email": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", None),
    "tasks": settings.TASKS["default"]["BACKEND"],
    "language": settings.LANGUAGE_CODE,
}))
"""
CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_URL",
    "TASKS_BACKEND",
    "CHANNEL_LAYER",
)


def run_python(code: str, settings_module: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(settings_module: str = "comptoir.settings.dev", **env: str) -> dict:
    result = run_python(PROBE, settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_service(tmp_path):
    config = probe(COMPTOIR_VAR_DIR=str(tmp_path))

    assert config["db_engine"] == "django.db.backends.sqlite3"
    assert config["db_name"] == str(tmp_path / "comptoir.sqlite3")
    assert config["layer"] == "channels.layers.InMemoryChannelLayer"
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["search"] == "wagtail.search.backends.database"
    assert config["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert config["language"] == "fr"


def test_services_come_from_the_environment():
    config = probe(
        DATABASE_URL="postgres://comptoir@db.internal:5432/comptoir",
        REDIS_URL="redis://cache.internal:6379/1",
        ELASTICSEARCH_URL="http://search.internal:9200",
        EMAIL_URL="submission://relay:secret@smtp.internal:587",
        TASKS_BACKEND="database",
    )

    assert config["db_engine"] == "django.db.backends.postgresql"
    assert config["db_name"] == "comptoir"
    assert config["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert config["layer_hosts"][0]["address"] == "redis://cache.internal:6379/1"
    assert config["layer_hosts"][0]["max_connections"] >= 200
    assert config["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert config["search"] == "wagtail.search.backends.elasticsearch8"
    assert config["search_urls"] == ["http://search.internal:9200"]
    assert config["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["email_host"] == "smtp.internal"
    assert config["tasks"] == "django_tasks_db.DatabaseBackend"


def test_channel_layer_core_on_demand():
    config = probe(REDIS_URL="redis://cache.internal:6379/1", CHANNEL_LAYER="core")

    assert config["layer"] == "channels_redis.core.RedisChannelLayer"
    assert config["layer_hosts"][0]["address"] == "redis://cache.internal:6379/1"


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7!kq2m#v9p$w4z8r1t6y3u0i5o2a9s8d7f6g5h4j3k2l1z0x9c8v7b6n5m4",
    "DJANGO_ALLOWED_HOSTS": "comptoir.example.org",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"), ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without_its_secrets(missing, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = run_python(PROBE, "comptoir.settings.production", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_the_demo_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "django-insecure-" + "x" * 50}

    result = run_python(PROBE, "comptoir.settings.production", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES},
            "DJANGO_SETTINGS_MODULE": "comptoir.settings.production",
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_the_suite_runs_on_the_configured_database():
    """CI runs the whole suite once with DATABASE_URL (PostgreSQL), once without (SQLite)."""
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
