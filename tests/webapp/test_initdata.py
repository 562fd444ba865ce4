"""initData: accepted only when Telegram signed it for this bot, recently, exactly as sent."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.webapp.initdata import InitDataError, sign, validate
from tests.bot.fakeapi import BOT_TOKEN
from tests.webapp.harness import OTHER_BOT_TOKEN, init_data

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def check(raw: str, token: str = BOT_TOKEN, max_age: timedelta = DAY) -> object:
    return validate(raw, token, max_age=max_age, now=NOW)


def test_telegrams_documented_example_of_the_scheme_validates() -> None:
    # Built by hand, step by step as Telegram's documentation words it, not with `sign`.
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": '{"id":279058397,"first_name":"Vladislav","language_code":"ru"}',
        "auth_date": str(int((NOW - timedelta(minutes=1)).timestamp())),
    }
    check_string = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", BOT_TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    found = check(urlencode({**fields, "hash": digest}))
    assert found.user.id == 279058397  # type: ignore[attr-defined]
    assert found.user.language_code == "ru"  # type: ignore[attr-defined]


def test_signed_init_data_gives_the_user_and_start_param() -> None:
    found = validate(
        init_data(4242, start_param="story-7", now=NOW), BOT_TOKEN, max_age=DAY, now=NOW
    )
    assert (found.user.id, found.user.first_name, found.start_param) == (4242, "Ani", "story-7")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "no initData"),
        ("user=%7B%7D&auth_date=1", "no hash"),
        ("%%%", "not a query string"),
    ],
)
def test_malformed_init_data_is_refused(raw: str, reason: str) -> None:
    with pytest.raises(InitDataError, match=reason):
        check(raw)


def test_init_data_signed_for_another_bot_is_refused() -> None:
    with pytest.raises(InitDataError, match="does not match"):
        check(init_data(4242, token=OTHER_BOT_TOKEN, now=NOW))


def test_a_changed_field_breaks_the_signature() -> None:
    fields = dict(parse_qsl(init_data(4242, now=NOW)))
    fields["user"] = fields["user"].replace("4242", "5151")  # claim to be the admin
    with pytest.raises(InitDataError, match="does not match"):
        check(urlencode(fields))


def test_a_forged_hash_of_the_right_shape_is_refused() -> None:
    fields = dict(parse_qsl(init_data(4242, now=NOW)))
    fields["hash"] = "0" * 64
    with pytest.raises(InitDataError, match="does not match"):
        check(urlencode(fields))


def test_stale_init_data_is_refused_and_the_age_is_configurable() -> None:
    old = init_data(4242, age=timedelta(hours=25), now=NOW)
    with pytest.raises(InitDataError, match="stale"):
        check(old)
    check(old, max_age=timedelta(hours=26))  # a longer WEBAPP_AUTH_MAX_AGE accepts it
    with pytest.raises(InitDataError, match="stale"):
        check(init_data(4242, age=timedelta(minutes=2), now=NOW), max_age=timedelta(minutes=1))


def test_init_data_from_the_future_is_refused() -> None:
    with pytest.raises(InitDataError, match="future"):
        check(init_data(4242, age=-timedelta(hours=1), now=NOW))


def test_a_field_given_twice_is_refused_even_when_one_copy_is_signed() -> None:
    raw = init_data(4242, now=NOW) + "&user=" + "%7B%22id%22%3A5151%7D"
    with pytest.raises(InitDataError, match="twice"):
        check(raw)


def test_signed_data_without_a_user_proves_no_one() -> None:
    raw = sign({"auth_date": str(int(NOW.timestamp())), "query_id": "x"}, BOT_TOKEN)
    with pytest.raises(InitDataError, match="no user"):
        check(raw)
    bad = sign({"auth_date": str(int(NOW.timestamp())), "user": '{"id": "4242"}'}, BOT_TOKEN)
    with pytest.raises(InitDataError, match="no user"):
        check(bad)
