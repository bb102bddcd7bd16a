"""An in-process Bot API: answers PTB's requests without a network.

The local shell runs the real application on it, and the tests use it to see exactly what
a chat would receive. Failures can be scripted per method to exercise error paths.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.telegram.html import to_plain

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Gut Skin Guide",
    "username": "gutskin_guide_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText",
                          "editMessageCaption"})


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    result: Any = None  # what the fake Telegram answered
    files: dict[str, bytes] = field(default_factory=dict)  # uploads: a photo's PNG, by field
    file_names: dict[str, str] = field(default_factory=dict)  # each upload's file name

    @property
    def chat_id(self) -> int | None:
        raw = self.params.get("chat_id")
        return int(raw) if raw is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def plain(self) -> str:
        """The text as the person reads it (tags dropped, entities decoded)."""
        return to_plain(self.text)

    @property
    def markup(self) -> dict[str, Any]:
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        return dict(markup or {})

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        return list(self.markup.get("inline_keyboard", []))

    @property
    def keys(self) -> list[dict[str, Any]]:
        """The reply keyboard's buttons (under the typing field), row after row."""
        return [key for row in self.markup.get("keyboard", []) for key in row]

    @property
    def removes_keys(self) -> bool:
        return bool(self.markup.get("remove_keyboard"))

    @property
    def button_labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None
    times: int


class OfflineBotAPI(BaseRequest):
    """Records every Bot API call and answers it the way Telegram would."""

    def __init__(self, on_call: Callable[[ApiCall], None] | None = None) -> None:
        self.on_call = on_call
        self.calls: list[ApiCall] = []
        self.chat_types: dict[int, str] = {}
        self.administrators: dict[int, set[int]] = {}  # chat id -> ids of its administrators
        # Supergroups with topics on, and their topics: chat id -> thread id -> the topic
        # ({"name", "closed"}), as createForumTopic made and the other topic methods left them.
        self.forums: set[int] = set()
        self.topics: dict[int, dict[int, dict[str, Any]]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._ids = itertools.count(1000)

    # --- BaseRequest ---------------------------------------------------------------------
    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if api_method == "getUpdates":
            # Nobody polls the shell; sleep like a long poll with nothing to report.
            await asyncio.sleep(min(float(str(params.get("timeout") or 0)), 1.0))
            return 200, _ok([])
        uploads = {name: (str(part[0]), part[1]) for name, part in
                   (request_data.multipart_data if request_data else {}).items()
                   if isinstance(part[1], bytes)}
        call = ApiCall(api_method, params,
                       files={name: content for name, (_, content) in uploads.items()},
                       file_names={name: file_name for name, (file_name, _) in uploads.items()})
        failure = self._take_failure(api_method)
        if failure is not None:
            self.calls.append(call)
            body = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            return failure.status, json.dumps(body).encode()
        self.calls.append(call)
        try:
            call.result = self._answer(api_method, params)
        except _Refused as refused:
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {refused}"}
            return 400, json.dumps(body).encode()
        if self.on_call is not None:
            self.on_call(call)
        return 200, _ok(call.result)

    # --- scripting ---------------------------------------------------------------------
    def fail(self, method: str, status: int, description: str, *, times: int = 1,
             parameters: dict[str, Any] | None = None) -> None:
        """Make the next `times` calls of `method` fail as Telegram would."""
        self._failures.setdefault(method, []).append(
            _Failure(status, description, parameters, times)
        )

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        """Messages that landed in chats (sent or edited), optionally for one chat."""
        return [c for c in self.calls
                if c.method in SEND_METHODS and (chat_id is None or c.chat_id == chat_id)]

    def clear(self) -> None:
        self.calls.clear()

    # --- answers -----------------------------------------------------------------------
    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in SEND_METHODS:
            return self._message(method, params)
        if method == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            status = "administrator" if user_id in self.administrators.get(chat_id, set()) \
                else "member"
            member: dict[str, Any] = {"status": status, "user": _user(user_id)}
            if status == "administrator":
                member.update(_ADMIN_RIGHTS)
            return member
        if method == "getChat":
            chat_id = int(params["chat_id"])
            return {"id": chat_id, "type": self._chat_type(chat_id)}
        if method in _TOPIC_METHODS:
            return self._topic(method, params)
        return True  # setMyCommands, answerCallbackQuery, answerInlineQuery, deleteWebhook...

    def _chat_type(self, chat_id: int) -> str:
        return self.chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")

    def _topic(self, method: str, params: dict[str, Any]) -> Any:
        """Forum topics, as Telegram keeps them: created in a supergroup with topics on,
        renamed, closed, reopened and deleted by their thread id."""
        chat_id = int(params["chat_id"])
        if chat_id not in self.forums:
            raise _Refused("the chat is not a forum")
        topics = self.topics.setdefault(chat_id, {})
        if method == "createForumTopic":
            thread = next(self._ids)
            topics[thread] = {"name": str(params["name"]), "closed": False}
            return {"message_thread_id": thread, "name": str(params["name"]),
                    "icon_color": 7322096}
        topic = topics.get(int(params.get("message_thread_id") or 0))
        if topic is None:
            raise _Refused("TOPIC_ID_INVALID")
        if method == "editForumTopic":
            topic["name"] = str(params.get("name") or topic["name"])
        elif method in ("closeForumTopic", "reopenForumTopic"):
            closing = method == "closeForumTopic"
            if topic["closed"] == closing:
                raise _Refused("TOPIC_NOT_MODIFIED")
            topic["closed"] = closing
        else:  # deleteForumTopic: the topic and every message in it
            del topics[int(params["message_thread_id"])]
        return True

    def _message(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params.get("chat_id") or 0)
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or next(self._ids)),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self._chat_type(chat_id)},
            "from": BOT_USER,
        }
        thread = params.get("message_thread_id")
        if thread is not None and chat_id in self.forums:
            if int(thread) not in self.topics.get(chat_id, {}):
                raise _Refused("message thread not found")
            message.update(message_thread_id=int(thread), is_topic_message=True)
            message["chat"]["is_forum"] = True
        if method == "sendPhoto":
            message["photo"] = [{"file_id": "photo", "file_unique_id": "photo",
                                 "width": 800, "height": 400}]
            message["caption"] = to_plain(str(params.get("caption") or ""))
        elif method == "sendDocument":
            message["document"] = {"file_id": "document", "file_unique_id": "document"}
            message["caption"] = to_plain(str(params.get("caption") or ""))
        else:
            message["text"] = to_plain(str(params.get("text") or ""))
        if method.startswith("edit"):
            message["edit_date"] = int(time.time())
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if markup and "inline_keyboard" in markup:  # Telegram returns inline buttons only
            message["reply_markup"] = markup
        return message


class _Refused(Exception):
    """A request Telegram answers with 400 and this description."""


_TOPIC_METHODS = frozenset({"createForumTopic", "editForumTopic", "closeForumTopic",
                            "reopenForumTopic", "deleteForumTopic"})
_ADMIN_RIGHTS = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
    "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
    "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
    "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
}


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}


def _ok(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()
