"""Update JSON as Telegram sends it: private, group, forum, channel, buttons, members."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tests.bot.fakeapi import BOT_ID, BOT_USERNAME

USER_ID = 4242
ADMIN_ID = 5151
GROUP_ID = -4001
SUPERGROUP_ID = -1002001
FORUM_ID = -1003001
CHANNEL_ID = -1004001


# The placeholder senders Telegram puts in `from` for messages sent on behalf of a chat.
ANONYMOUS_ADMIN_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


def user(user_id: int = USER_ID, *, lang: str | None = "id", name: str = "Ani") -> dict[str, Any]:
    """A Telegram user."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name}
    if lang is not None:
        data["language_code"] = lang
    return data


def bot_user() -> dict[str, Any]:
    """The bot itself as a user."""
    return {"id": BOT_ID, "is_bot": True, "first_name": "Berita", "username": BOT_USERNAME}


def chat(chat_id: int, kind: str, **extra: Any) -> dict[str, Any]:
    """A chat of a type: private, group, supergroup (forum with is_forum), channel."""
    data: dict[str, Any] = {"id": chat_id, "type": kind, **extra}
    if kind == "private":
        data.setdefault("first_name", "Ani")
    else:
        data.setdefault("title", f"Chat {chat_id}")
    return data


def _entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    length = len(text.split(maxsplit=1)[0])
    return [{"type": "bot_command", "offset": 0, "length": length}]


@dataclass(slots=True)
class Updates:
    """Builds updates with increasing ids, like one chat session's worth of traffic."""

    next_update: int = 1
    next_message: int = 1
    now: int = field(default_factory=lambda: int(time.time()))

    def _update(self, **body: Any) -> dict[str, Any]:
        self.next_update += 1
        return {"update_id": self.next_update, **body}

    def _message(
        self, text: str, chat_data: dict[str, Any], sender: dict[str, Any] | None
    ) -> dict[str, Any]:
        self.next_message += 1
        message: dict[str, Any] = {
            "message_id": self.next_message,
            "date": self.now,
            "chat": chat_data,
            "text": text,
        }
        if sender is not None:
            message["from"] = sender
        if entities := _entities(text):
            message["entities"] = entities
        return message

    def private(
        self, text: str, *, user_id: int = USER_ID, lang: str | None = "id"
    ) -> dict[str, Any]:
        """A message in the private chat with a user."""
        sender = user(user_id, lang=lang)
        return self._update(message=self._message(text, chat(user_id, "private"), sender))

    def group(
        self,
        text: str,
        *,
        chat_id: int = GROUP_ID,
        kind: str = "group",
        user_id: int = USER_ID,
        lang: str | None = "id",
        sender_chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A message in a basic group (or a supergroup with kind="supergroup").

        With `sender_chat` it is sent on behalf of a chat: the group itself for an anonymous
        admin, or a channel; `from` is then Telegram's placeholder user, as the Bot API does.
        """
        group_chat = chat(chat_id, kind)
        if sender_chat is None:
            return self._update(message=self._message(text, group_chat, user(user_id, lang=lang)))
        placeholder = ANONYMOUS_ADMIN_BOT if sender_chat["id"] == chat_id else CHANNEL_BOT
        message = self._message(text, group_chat, placeholder)
        message["sender_chat"] = sender_chat
        return self._update(message=message)

    def supergroup(self, text: str, **kw: Any) -> dict[str, Any]:
        """A message in a supergroup."""
        kw.setdefault("chat_id", SUPERGROUP_ID)
        return self.group(text, kind="supergroup", **kw)

    def forum(
        self,
        text: str,
        *,
        thread_id: int,
        chat_id: int = FORUM_ID,
        user_id: int = USER_ID,
        lang: str | None = "id",
    ) -> dict[str, Any]:
        """A message in one topic of a forum supergroup."""
        message = self._message(
            text, chat(chat_id, "supergroup", is_forum=True), user(user_id, lang=lang)
        )
        message["message_thread_id"] = thread_id
        message["is_topic_message"] = True
        return self._update(message=message)

    def channel_post(
        self, text: str, *, chat_id: int = CHANNEL_ID, username: str = "kanalberita"
    ) -> dict[str, Any]:
        """A post in a channel (no sender)."""
        message = self._message(text, chat(chat_id, "channel", username=username), None)
        message["sender_chat"] = chat(chat_id, "channel", username=username)
        return self._update(channel_post=message)

    def callback(
        self,
        data: str,
        *,
        chat_data: dict[str, Any] | None = None,
        message_id: int = 77,
        user_id: int = USER_ID,
        lang: str | None = "id",
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A tap on an inline button of a message the bot sent."""
        chat_data = chat_data or chat(user_id, "private")
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": self.now,
            "chat": chat_data,
            "text": "…",
        }
        if chat_data["type"] == "channel":
            # The bot's own post in a channel, as Telegram shows it: sent on behalf of the
            # channel, with no sender user. The tapping user is only in the query's "from".
            message["sender_chat"] = chat_data
        else:
            message["from"] = bot_user()
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        query = {
            "id": f"cq{self.next_update}",
            "from": user(user_id, lang=lang),
            "chat_instance": "ci1",
            "message": message,
            "data": data,
        }
        return self._update(callback_query=query)

    def inline_query(
        self,
        query: str,
        *,
        offset: str = "",
        user_id: int = USER_ID,
        lang: str | None = "id",
        chat_type: str | None = "sender",
    ) -> dict[str, Any]:
        """A reader typing `@bot <query>` in a chat (`chat_type`: where, as Telegram says it)."""
        body: dict[str, Any] = {
            "id": f"iq{self.next_update}",
            "from": user(user_id, lang=lang),
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            body["chat_type"] = chat_type
        return self._update(inline_query=body)

    def chosen_inline_result(
        self, result_id: str, *, query: str = "", user_id: int = USER_ID
    ) -> dict[str, Any]:
        """A reader sent one of the inline results into a chat (with inline feedback on)."""
        body = {"result_id": result_id, "from": user(user_id), "query": query}
        return self._update(chosen_inline_result=body)

    def my_chat_member(
        self,
        chat_data: dict[str, Any],
        *,
        old: str,
        new: str,
        by: int = USER_ID,
        lang: str | None = "id",
    ) -> dict[str, Any]:
        """The bot's own membership changed (added, removed, blocked, unblocked, promoted)."""

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": bot_user()}
            if status == "administrator":
                data.update(
                    can_be_edited=False,
                    is_anonymous=False,
                    can_manage_chat=True,
                    can_delete_messages=True,
                    can_manage_video_chats=True,
                    can_restrict_members=True,
                    can_promote_members=False,
                    can_change_info=True,
                    can_invite_users=True,
                    can_post_messages=True,
                    can_post_stories=False,
                    can_edit_stories=False,
                    can_delete_stories=False,
                )
            if status == "kicked":
                data["until_date"] = 0
            return data

        body = {
            "chat": chat_data,
            "from": user(by, lang=lang),
            "date": self.now,
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return self._update(my_chat_member=body)

    def migrated(self, old_chat_id: int, new_chat_id: int) -> dict[str, Any]:
        """The service message a basic group gets when it becomes a supergroup."""
        self.next_message += 1
        message = {
            "message_id": self.next_message,
            "date": self.now,
            "chat": chat(old_chat_id, "group"),
            "from": user(),
            "migrate_to_chat_id": new_chat_id,
        }
        return self._update(message=message)

    def migrated_from(self, new_chat_id: int, old_chat_id: int) -> dict[str, Any]:
        """The service message the new supergroup gets, naming the group it came from."""
        self.next_message += 1
        message = {
            "message_id": self.next_message,
            "date": self.now,
            "chat": chat(new_chat_id, "supergroup"),
            "from": user(),
            "migrate_from_chat_id": old_chat_id,
        }
        return self._update(message=message)
