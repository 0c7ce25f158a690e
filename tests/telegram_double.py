"""A local Bot API server for tests: speaks the HTTP protocol python-telegram-bot uses
(`POST /bot<token>/<method>`, form-encoded parameters with JSON-encoded values, `{"ok": ..., "result": ...}`
answers), serves injected updates through long-polling getUpdates, records every call, and can answer
with Telegram's errors: 429 with retry_after, 403 for a user who blocked the bot, 400 for HTML that
Telegram could not parse. Runs in a thread; stdlib only."""
from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs

# Parameters PTB sends as plain strings; everything else is JSON-encoded.
STRING_PARAMS = {"text", "caption", "parse_mode", "callback_query_id", "inline_query_id", "url", "action",
                 "language_code", "secret_token", "description", "short_description", "name",
                 "message_text", "next_offset", "inline_message_id", "drop_pending_updates"}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def html_error(text: str) -> str | None:
    """What Telegram's HTML parser would reject: unknown tags, stray '<' or '&', unbalanced tags."""
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = TAG.match(text, pos)
            if not match or match.group(2).lower() not in ALLOWED_TAGS:
                return f"Can't parse entities: unsupported start tag at byte offset {pos}"
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                if not stack or stack.pop() != name:
                    return f"Can't parse entities: unmatched end tag at byte offset {pos}"
            else:
                stack.append(name)
            pos = match.end()
        elif char == "&":
            if not ENTITY.match(text, pos):
                return f"Can't parse entities: unsupported entity at byte offset {pos}"
            pos = text.index(";", pos) + 1
        elif char == ">":
            return f"Can't parse entities: stray '>' at byte offset {pos}"
        else:
            pos += 1
    return f"Can't parse entities: unclosed tag {stack[-1]}" if stack else None


def strip_html(text: str) -> str:
    text = TAG.sub("", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)
    seq: int = 0

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def buttons(self) -> list[dict]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Failure:
    status: int
    description: str
    parameters: dict | None = None
    chat_id: Any = None


class BotApiDouble:
    def __init__(self, token: str = "123:TEST", username: str = "WegweiserTestBot"):
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.username = username
        self.calls: list[Call] = []
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._seq = itertools.count(1)
        self._failures: dict[str, list[Failure]] = {}
        self._forbidden: set[int] = set()
        self._chats: dict[int, dict] = {}
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> "BotApiDouble":
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                double._serve(self)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a client hung up mid long-poll: normal
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        with self._cond:
            self._cond.notify_all()

    def __enter__(self) -> "BotApiDouble":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def me(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Wegweiser", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}

    # --- test controls ---------------------------------------------------------------------------
    def inject(self, update: dict) -> int:
        """Queue an update (its update_id is assigned here) for the bot's next getUpdates."""
        with self._cond:
            update = dict(update, update_id=next(self._update_ids))
            for key in ("message", "edited_message", "my_chat_member"):
                chat = (update.get(key) or {}).get("chat")
                if chat:
                    self._chats[chat["id"]] = chat
            callback_chat = ((update.get("callback_query") or {}).get("message") or {}).get("chat")
            if callback_chat:
                self._chats[callback_chat["id"]] = callback_chat
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def fail_next(self, method: str, status: int = 429, *, retry_after: int = 1, chat_id: Any = None,
                  description: str | None = None) -> None:
        """Answer the next call of `method` (to `chat_id`, if given) with an error."""
        parameters = {"retry_after": retry_after} if status == 429 else None
        description = description or ({429: f"Too Many Requests: retry after {retry_after}",
                                       403: "Forbidden: bot was blocked by the user"}.get(status, "Bad Request"))
        with self._cond:
            self._failures.setdefault(method, []).append(Failure(status, description, parameters, chat_id))

    def forbid_chat(self, chat_id: int) -> None:
        """From now on, the user of this private chat has blocked the bot."""
        with self._cond:
            self._forbidden.add(chat_id)

    def mark(self) -> int:
        """A position in the call log, for `wait_for(since=...)`."""
        with self._cond:
            return len(self.calls)

    def calls_of(self, method: str, *, since: int = 0, chat_id: Any = None, ok: bool | None = True) -> list[Call]:
        with self._cond:
            calls = self.calls[since:]
        return [c for c in calls if c.method == method and (chat_id is None or c.chat_id == chat_id)
                and (ok is None or c.ok == ok)]

    def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None, *, since: int = 0,
                 chat_id: Any = None, ok: bool | None = True, timeout: float = 90.0, count: int = 1) -> list[Call]:
        """Block until `count` matching calls were recorded; returns them (raises AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls[since:] if c.method == method
                         and (chat_id is None or c.chat_id == chat_id) and (ok is None or c.ok == ok)
                         and (predicate is None or predicate(c))]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.status, c.chat_id) for c in self.calls[since:]][-20:]
                    raise AssertionError(f"timed out waiting for {count} x {method}; recent calls: {seen}")
                self._cond.wait(min(remaining, 0.5))

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    # --- protocol ----------------------------------------------------------------------------------
    def _parse(self, request: BaseHTTPRequestHandler) -> dict[str, Any]:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        ctype = request.headers.get("Content-Type", "")
        if "json" in ctype:
            return json.loads(body or b"{}")
        if "multipart" in ctype:
            raise ValueError("file uploads are not supported by the double")
        params: dict[str, Any] = {}
        for name, values in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
            value = values[-1]
            if name not in STRING_PARAMS:
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[name] = value
        return params

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        match = re.match(r"^/bot([^/]+)/(\w+)$", request.path.split("?")[0])
        if not match or match.group(1) != self.token:
            return self._reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = match.group(2)
        try:
            params = self._parse(request)
        except ValueError as exc:
            return self._reply(request, 400, {"ok": False, "error_code": 400, "description": str(exc)})
        if method.lower() == "getupdates":
            with self._cond:
                self.calls.append(Call(method, params, 200, seq=next(self._seq)))
                self._cond.notify_all()
            return self._reply(request, 200, {"ok": True, "result": self._get_updates(params)})
        status, answer = self._answer(method, params)
        with self._cond:
            self.calls.append(Call(method, params, status, seq=next(self._seq)))
            self._cond.notify_all()
        self._reply(request, status, answer)

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), 5.0)
        deadline = time.monotonic() + timeout
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed ones are gone
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return self._updates[:limit]

    def _take_failure(self, method: str, params: dict) -> Failure | None:
        with self._cond:
            queue = self._failures.get(method, [])
            for failure in queue:
                if failure.chat_id is None or failure.chat_id == params.get("chat_id"):
                    queue.remove(failure)
                    return failure
        return None

    def _error(self, failure: Failure) -> tuple[int, dict]:
        body = {"ok": False, "error_code": failure.status, "description": failure.description}
        if failure.parameters:
            body["parameters"] = failure.parameters
        return failure.status, body

    def _message(self, chat_id: Any, text: str, params: dict) -> dict:
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"}
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.me, "text": text}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        return message

    def _answer(self, method: str, params: dict) -> tuple[int, dict]:
        failure = self._take_failure(method, params)
        if failure:
            return self._error(failure)
        chat_id = params.get("chat_id")
        if chat_id in self._forbidden and method in ("sendMessage", "sendChatAction", "editMessageText"):
            return self._error(Failure(403, "Forbidden: bot was blocked by the user"))
        if params.get("parse_mode") == "HTML":
            for field_name in ("text",):
                if field_name in params and (problem := html_error(str(params[field_name]))):
                    return self._error(Failure(400, f"Bad Request: {problem}"))
        if method == "answerInlineQuery":
            for result in params.get("results", []):
                content = result.get("input_message_content", {})
                if content.get("parse_mode") == "HTML" and (problem := html_error(content.get("message_text", ""))):
                    return self._error(Failure(400, f"Bad Request: {problem}"))
        if method == "sendMessage":
            text = str(params.get("text", ""))
            if not text.strip():
                return self._error(Failure(400, "Bad Request: message text is empty"))
            if len(strip_html(text).encode("utf-16-le")) // 2 > 4096:
                return self._error(Failure(400, "Bad Request: message is too long"))
            for button in (params.get("reply_markup") or {}).get("inline_keyboard", [[]])[0:]:
                for b in button:
                    if "callback_data" in b and len(b["callback_data"].encode()) > 64:
                        return self._error(Failure(400, "Bad Request: BUTTON_DATA_INVALID"))
            return 200, {"ok": True, "result": self._message(chat_id, strip_html(text), params)}
        if method == "createForumTopic":
            thread_id = next(self._message_ids)
            return 200, {"ok": True, "result": {"message_thread_id": thread_id, "name": params.get("name", ""),
                                                "icon_color": 7322096}}
        if method in ("copyMessage", "forwardMessage"):
            return 200, {"ok": True, "result": {"message_id": next(self._message_ids)}
                         if method == "copyMessage" else self._message(chat_id, "", params)}
        if method in ("sendPhoto", "sendDocument", "sendVoice"):
            return 200, {"ok": True, "result": self._message(chat_id, str(params.get("caption", "")), params)}
        if method == "getChatMember":
            return 200, {"ok": True, "result": {"status": "member", "user": {"id": params.get("user_id"),
                                                                             "is_bot": False, "first_name": "X"}}}
        if method in ("closeForumTopic", "reopenForumTopic", "editForumTopic"):
            return 200, {"ok": True, "result": True}
        if method == "editMessageText":
            if "inline_message_id" in params:
                return 200, {"ok": True, "result": True}
            message = self._message(chat_id, strip_html(str(params.get("text", ""))), params)
            message["message_id"] = params.get("message_id", message["message_id"])
            message["edit_date"] = int(time.time())
            return 200, {"ok": True, "result": message}
        if method == "editMessageReplyMarkup":
            return 200, {"ok": True, "result": self._message(chat_id, "", params)}
        if method == "getMe":
            return 200, {"ok": True, "result": self.me}
        if method == "getWebhookInfo":
            return 200, {"ok": True, "result": {"url": "", "has_custom_certificate": False, "pending_update_count": 0}}
        if method in ("answerCallbackQuery", "answerInlineQuery", "sendChatAction", "setMyCommands",
                      "deleteMyCommands", "deleteWebhook", "setWebhook", "close", "logOut",
                      "setMyDescription", "setMyShortDescription", "deleteMessage"):
            return 200, {"ok": True, "result": True}
        if method == "getMyCommands":
            return 200, {"ok": True, "result": []}
        return 404, {"ok": False, "error_code": 404, "description": f"Not Found: method {method} not found"}

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, body: dict) -> None:
        data = json.dumps(body).encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


# --- update builders -------------------------------------------------------------------------------
_message_ids = itertools.count(1)


def user(user_id: int, lang: str | None = "en", first_name: str = "Test") -> dict:
    data = {"id": user_id, "is_bot": False, "first_name": first_name}
    if lang:
        data["language_code"] = lang
    return data


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def message(chat: dict, sender: dict, text: str | None = None, **extra) -> dict:
    data = {"message_id": next(_message_ids), "date": int(time.time()), "chat": chat, "from": sender, **extra}
    if text is not None:
        data["text"] = text
        entities = list(extra.get("entities", []))
        if text.startswith("/"):
            command = text.split()[0]
            entities.insert(0, {"type": "bot_command", "offset": 0, "length": utf16(command)})
        for found in re.finditer(r"@\w+", text):
            entities.append({"type": "mention", "offset": utf16(text[:found.start()]), "length": utf16(found.group())})
        if entities:
            data["entities"] = entities
    return data


def private_chat(user_id: int) -> dict:
    return {"id": user_id, "type": "private", "first_name": "Test"}


def group_chat(chat_id: int, title: str = "Community") -> dict:
    return {"id": chat_id, "type": "supergroup", "title": title}


def private_text(user_id: int, text: str, lang: str | None = "en") -> dict:
    return {"message": message(private_chat(user_id), user(user_id, lang), text)}


def private_content(user_id: int, lang: str | None = "en", **content) -> dict:
    return {"message": message(private_chat(user_id), user(user_id, lang), None, **content)}


def edited_text(user_id: int, text: str, lang: str | None = "en") -> dict:
    data = message(private_chat(user_id), user(user_id, lang), text)
    data["edit_date"] = int(time.time())
    return {"edited_message": data}


def staff_chat(chat_id: int, title: str = "Staff") -> dict:
    return {"id": chat_id, "type": "supergroup", "title": title, "is_forum": True}


def topic_text(chat_id: int, thread_id: int, user_id: int, text: str, lang: str | None = "de") -> dict:
    """A message inside a forum topic of a staff supergroup."""
    return {"message": message(staff_chat(chat_id), user(user_id, lang), text, message_thread_id=thread_id,
                               is_topic_message=True)}


def group_text(chat_id: int, user_id: int, text: str, lang: str | None = "en", reply_to: dict | None = None) -> dict:
    extra = {"reply_to_message": reply_to} if reply_to else {}
    return {"message": message(group_chat(chat_id), user(user_id, lang), text, **extra)}


def callback(user_id: int, data: str, chat: dict, message_id: int = 1, lang: str | None = "en") -> dict:
    return {"callback_query": {"id": f"cb{time.monotonic_ns()}", "from": user(user_id, lang), "chat_instance": "ci",
                               "data": data,
                               "message": {"message_id": message_id, "date": int(time.time()), "chat": chat,
                                           "from": {"id": 123, "is_bot": True, "first_name": "Wegweiser"},
                                           "text": "..."}}}


def inline_query(user_id: int, query: str, lang: str | None = "en") -> dict:
    return {"inline_query": {"id": f"iq{time.monotonic_ns()}", "from": user(user_id, lang), "query": query,
                             "offset": ""}}


def bot_added_to_group(chat_id: int, by_user_id: int, bot_id: int, lang: str | None = "en") -> dict:
    bot_user = {"id": bot_id, "is_bot": True, "first_name": "Wegweiser", "username": "WegweiserTestBot"}
    return {"my_chat_member": {
        "chat": group_chat(chat_id), "from": user(by_user_id, lang), "date": int(time.time()),
        "old_chat_member": {"status": "left", "user": bot_user},
        "new_chat_member": {"status": "member", "user": bot_user},
    }}
