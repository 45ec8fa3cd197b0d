"""The rate limits in Redis (REDIS_URL), as production keeps them: every server process counts the same failures.

Skips without a Redis server on 127.0.0.1:6379 (CI treats a skip as a failure)."""

import socket

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache():
    if not _redis_running():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(CACHES=cache):
        yield server
    server.flushdb()


def test_failed_sign_ins_are_counted_in_redis_where_every_process_sees_them(redis_cache, make_person, password):
    person = make_person()
    for _ in range(10):
        Client().post(reverse("account_login"), {"login": person.user.username, "password": "wrong-guess-123"})
    keys = [key.decode() for key in redis_cache.keys("*login_failed*")]
    assert keys, "the failures are in Redis"
    # Another process: nothing of this one's memory, only Redis.
    from django.core.cache import caches

    caches["default"].close()
    response = Client().post(reverse("account_login"), {"login": person.user.username, "password": password})
    assert "Too many failed attempts to sign in" in response.content.decode()
    assert Client().post(
        reverse("account_login"), {"login": person.user.username, "password": password}, REMOTE_ADDR="203.0.113.20"
    )["Location"] == reverse("home")


def test_an_authenticator_code_spent_is_remembered_in_redis(redis_cache, make_person, password):
    from tests import second_factor

    chair = make_person()
    second_factor.enrol(chair.user)
    code = second_factor.code()
    first = Client()
    first.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert redis_cache.keys("*allauth.mfa.totp.used*")
    replay = Client()
    replay.post(reverse("account_login"), {"login": chair.user.username, "password": password})
    assert replay.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
