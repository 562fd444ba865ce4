"""A fake Bot API at python-telegram-bot's request layer: records calls, answers like Telegram.

Plug it in with `ApplicationBuilder().request(fake).get_updates_request(fake)`; every answer then
goes through PTB's real deserialisation and error mapping (429 → RetryAfter, 403 → Forbidden,
`migrate_to_chat_id` → ChatMigrated). It checks what Telegram checks and tests rely on: HTML
entities must parse, text must fit in 4096 UTF-16 code units (captions 1024), callback data in
64 bytes.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000001
BOT_USERNAME = "berita_test_bot"
BOT_TOKEN = "7000001:AAE_fake-token-for-tests-only-xyz012"

# The HTML tags Telegram's parse_mode=HTML accepts.
_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Call:
    """One Bot API call the code under test made."""

    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | str | None:
        """The call's target chat, when it has one."""
        value = self.params.get("chat_id")
        if isinstance(value, int | str) and str(value).lstrip("-").isdigit():
            return int(value)
        return value if isinstance(value, str) else None

    @property
    def text(self) -> str:
        """The text or caption sent."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    def buttons(self) -> list[dict[str, Any]]:
        """Every inline button of the call's keyboard, row by row flattened."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard") or []
        return [button for row in rows for button in row]


@dataclass(frozen=True, slots=True)
class Failure:
    """An error answer: HTTP status, description and optional response parameters."""

    status: int
    description: str
    parameters: dict[str, Any] | None = None


def retry_after(seconds: int) -> Failure:
    """Flood control: 429 with `retry_after`."""
    return Failure(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def blocked() -> Failure:
    """The user blocked the bot."""
    return Failure(403, "Forbidden: bot was blocked by the user")


def kicked() -> Failure:
    """The bot was removed from the group."""
    return Failure(403, "Forbidden: bot was kicked from the group chat")


def chat_not_found() -> Failure:
    """The chat does not exist (any more)."""
    return Failure(400, "Bad Request: chat not found")


def migrated(new_chat_id: int) -> Failure:
    """The group became a supergroup with a new id."""
    return Failure(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


def server_error() -> Failure:
    """A transient failure on Telegram's side."""
    return Failure(502, "Bad Gateway")


@dataclass(slots=True)
class _Rule:
    failure: Failure
    method: str | None
    chat_id: int | None
    times: int


@dataclass(slots=True)
class FakeBotAPI(BaseRequest):
    """Records every call and answers like the Bot API, with errors on demand."""

    calls: list[Call] = field(default_factory=list)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    chat_types: dict[int, str] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    clock: Callable[[], float] = time.time
    _rules: list[_Rule] = field(default_factory=list)
    _next_message_id: int = 100
    _next_update_id: int = 1
    _called: asyncio.Event = field(default_factory=asyncio.Event)

    # -- what tests arrange -------------------------------------------------------------
    def fail(
        self,
        failure: Failure,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching calls with `failure`."""
        self._rules.append(_Rule(failure, method, chat_id, times))

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """Make getChatMember answer `status` (creator, administrator, member, left…)."""
        self.members[(chat_id, user_id)] = status

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (its update_id is assigned here)."""
        self.updates.append({**update, "update_id": self._next_update_id})
        self._next_update_id += 1

    # -- what tests read ----------------------------------------------------------------
    def of(self, method: str, chat_id: int | None = None) -> list[Call]:
        """The calls of one method (optionally to one chat), oldest first."""
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Messages sent (sendMessage, sendPhoto), oldest first."""
        return [
            c
            for c in self.calls
            if c.method in ("sendMessage", "sendPhoto", "sendDocument")
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def last(self, chat_id: int | None = None) -> Call:
        """The last message sent or edited (to a chat)."""
        for call in reversed(self.calls):
            if call.method in ("sendMessage", "sendPhoto", "editMessageText") and (
                chat_id is None or call.chat_id == chat_id
            ):
                return call
        raise AssertionError(f"nothing was sent to {chat_id}")

    async def wait_until(self, check: Callable[[], bool], what: str, seconds: float = 60) -> None:
        """Wait until the recorded calls satisfy `check` (for code running on its own)."""
        try:
            async with asyncio.timeout(seconds):
                while not check():
                    self._called.clear()
                    await self._called.wait()
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what}") from None

    def clear(self) -> None:
        """Forget the calls recorded so far."""
        self.calls.clear()

    # -- BaseRequest ---------------------------------------------------------------------
    @property
    def read_timeout(self) -> float | None:
        """No network: reads never wait."""
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call."""
        name = url.rstrip("/").rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        if request_data is not None and request_data.contains_files:
            # Uploaded files as (file name, bytes), for tests to read what was sent.
            files = request_data.multipart_data
            params["_files"] = {k: (v[0], v[1]) for k, v in files.items()}
        return await self.answer(name, params)

    async def answer(self, name: str, params: dict[str, Any]) -> tuple[int, bytes]:
        """HTTP status and JSON body for one call (also used by the loopback HTTP server)."""
        call = Call(name, params)
        if name != "getUpdates":
            self.calls.append(call)
            self._called.set()
        failure = self._take_failure(call)
        if failure is None:
            failure = _validate(call)
        if failure is not None:
            return failure.status, _error_body(failure)
        if name == "getUpdates":
            return 200, _ok(await self._get_updates(params))
        handler = getattr(self, f"_m_{name}", None)
        if handler is None:
            return 404, _error_body(Failure(404, "Not Found: method not in FakeBotAPI"))
        result = handler(params)
        if isinstance(result, Failure):
            return result.status, _error_body(result)
        return 200, _ok(result)

    def _take_failure(self, call: Call) -> Failure | None:
        for rule in self._rules:
            if rule.method not in (None, call.method):
                continue
            if rule.chat_id is not None and call.chat_id != rule.chat_id:
                continue
            rule.times -= 1
            if rule.times <= 0:
                self._rules.remove(rule)
            return rule.failure
        return None

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if allowed:
            # As Telegram does: kinds the bot did not ask for are never delivered.
            self.updates = [u for u in self.updates if _kind(u) in allowed]
        if not self.updates:
            # Long polling: hold the call a moment instead of spinning.
            await asyncio.sleep(0.02)
        return list(self.updates)

    # -- methods -------------------------------------------------------------------------
    def _me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Berita",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _chat(self, chat_id: int) -> dict[str, Any]:
        kind = self.chat_types.get(chat_id)
        if kind is None:
            kind = "private" if chat_id > 0 else "group"
            if str(chat_id).startswith("-100"):
                kind = "supergroup"
        chat: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind != "private":
            chat["title"] = f"Chat {chat_id}"
        else:
            chat["first_name"] = "Reader"
        return chat

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        self._next_message_id += 1
        chat = self._chat(int(params["chat_id"]))
        message: dict[str, Any] = {
            "message_id": self._next_message_id,
            "date": int(self.clock()),
            "chat": chat,
            **extra,
        }
        if chat["type"] == "channel":
            message["sender_chat"] = chat  # channel posts are sent on behalf of the channel
        else:
            message["from"] = self._me()
        if params.get("message_thread_id"):
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_getMe(self, params: dict[str, Any]) -> Any:
        return self._me()

    def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._message(params, text=_plain(params))

    def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 640, "height": 360}]
        return self._message(params, caption=_plain(params), photo=photo)

    def _m_sendDocument(self, params: dict[str, Any]) -> Any:
        document = {"file_id": "d1", "file_unique_id": "u2", "file_name": "file"}
        return self._message(params, caption=_plain(params), document=document)

    def _m_copyMessage(self, params: dict[str, Any]) -> Any:
        self._next_message_id += 1
        return {"message_id": self._next_message_id}

    def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        message = self._message(params, text=_plain(params))
        message["message_id"] = int(params["message_id"])
        message["edit_date"] = int(self.clock())
        return message

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._message(params, text="")
        message["message_id"] = int(params["message_id"])
        return message

    def _m_getChatMember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id))
        if status is None:
            status = "administrator" if user_id == BOT_ID else "member"
        user = {"id": user_id, "is_bot": user_id == BOT_ID, "first_name": "U"}
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member.update(_ADMIN_RIGHTS)
        elif status == "creator":
            member["is_anonymous"] = False
        return member

    def _m_getChat(self, params: dict[str, Any]) -> Any:
        chat_id = params["chat_id"]
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for known, kind in self.chat_types.items():
                if kind == "channel":
                    return {**self._chat(known), "username": chat_id[1:], **_CHAT_FULL}
            return chat_not_found()
        return {**self._chat(int(chat_id)), **_CHAT_FULL}

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    def _m_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        return _check_inline_answer(params) or True

    def _m_setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    def _m_setChatMenuButton(self, params: dict[str, Any]) -> Any:
        return True

    def _m_deleteMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        return True

    def _m_deleteMessage(self, params: dict[str, Any]) -> Any:
        return True

    def _m_leaveChat(self, params: dict[str, Any]) -> Any:
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    def _m_close(self, params: dict[str, Any]) -> Any:
        return True


_CHAT_FULL = {"accent_color_id": 0, "max_reaction_count": 11}

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_messages": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}


def _ok(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


def _error_body(failure: Failure) -> bytes:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": failure.status,
        "description": failure.description,
    }
    if failure.parameters:
        body["parameters"] = failure.parameters
    return json.dumps(body).encode()


class _EntityChecker(HTMLParser):
    """Parse Telegram HTML the way the Bot API does: known tags, balanced, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = f'Can\'t find end tag corresponding to start tag "{tag}"'
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)


def _plain(params: dict[str, Any]) -> str:
    text = str(params.get("text") or params.get("caption") or "")
    if params.get("parse_mode") != "HTML":
        return text
    checker = _EntityChecker()
    checker.feed(text)
    checker.close()
    return "".join(checker.plain)


def _kind(update: dict[str, Any]) -> str:
    """An update's kind: `message`, `inline_query`, … (its one key besides update_id)."""
    return next((k for k in update if k != "update_id"), "")


def inline_results(call: Call) -> list[dict[str, Any]]:
    """The results of an answerInlineQuery call, as Telegram received them."""
    results = call.params.get("results") or []
    return list(json.loads(results) if isinstance(results, str) else results)


def _check_inline_answer(params: dict[str, Any]) -> Failure | None:
    """What Telegram refuses in answerInlineQuery: too many results, bad ids, bad messages."""
    results = inline_results(Call("answerInlineQuery", params))
    if len(results) > 50:
        return Failure(400, "Bad Request: RESULTS_TOO_MUCH")
    ids = [str(r.get("id", "")) for r in results]
    if len(set(ids)) != len(ids) or not all(1 <= len(i.encode()) <= 64 for i in ids):
        return Failure(400, "Bad Request: RESULT_ID_INVALID")
    if len(str(params.get("next_offset") or "").encode()) > 64:
        return Failure(400, "Bad Request: NEXT_OFFSET_INVALID")
    button = params.get("button")
    if isinstance(button, str):
        button = json.loads(button)
    if button and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(button.get("start_parameter"))):
        return Failure(400, "Bad Request: START_PARAM_INVALID")
    for result in results:
        if result.get("type") != "article" or not str(result.get("title") or "").strip():
            return Failure(400, "Bad Request: RESULT_TITLE_EMPTY")
        thumb = result.get("thumbnail_url")
        if thumb is not None and not str(thumb).startswith(("http://", "https://")):
            return Failure(400, "Bad Request: THUMBNAIL_URL_INVALID")
        content = dict(result.get("input_message_content") or {})
        failure = _validate(Call("sendMessage", {**content, "text": content.get("message_text")}))
        if failure is not None:
            return failure
        markup = {"reply_markup": result.get("reply_markup")} if result.get("reply_markup") else {}
        for key in Call("answerInlineQuery", markup).buttons():
            if "callback_data" not in key and "url" not in key:
                return Failure(400, "Bad Request: BUTTON_TYPE_INVALID")
    return None


def _validate(call: Call) -> Failure | None:
    params = call.params
    if "text" in params or "caption" in params:
        raw = str(params.get("text") or params.get("caption") or "")
        if params.get("parse_mode") == "HTML":
            checker = _EntityChecker()
            checker.feed(raw)
            checker.close()
            if checker.error or checker.stack:
                problem = checker.error or f'Can\'t find end tag for "{checker.stack[-1]}"'
                return Failure(400, f"Bad Request: can't parse entities: {problem}")
            plain = "".join(checker.plain)
        else:
            plain = raw
        limit = 4096 if "text" in params else 1024
        if "text" in params and not plain.strip():
            return Failure(400, "Bad Request: message text is empty")
        if len(plain.encode("utf-16-le")) // 2 > limit:  # Telegram counts UTF-16 units
            what = "message is too long" if "text" in params else "message caption is too long"
            return Failure(400, f"Bad Request: {what}")
    for button in Call(call.method, params).buttons():
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            return Failure(400, "Bad Request: BUTTON_DATA_INVALID")
        # Telegram takes web_app buttons only in private chats (positive ids in this fake).
        chat = Call(call.method, params).chat_id
        if "web_app" in button and not (isinstance(chat, int) and chat > 0):
            return Failure(400, "Bad Request: BUTTON_TYPE_INVALID")
    return None
