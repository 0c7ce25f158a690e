"""The counsellor web console: login (argon2, lockout), signed-cookie sessions, a CSRF token on every
POST, roles scoped to organisation and Bundesland; queue (urgent first, then longest waiting), claim
(atomic), transcript with originals and translations, reply (relayed to the user through the Bot API like
a reply in the staff topic), internal notes, close/reopen, statistics with inline-SVG charts, and the
unanswered questions for curators. Server-rendered; works on a phone."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from pathlib import Path

import httpx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import StaffUser, Users
from bot.db.models import UnansweredQuestion
from bot.db.session import make_engine
from bot.handoff_cases.relay import (counsellor_message, median_first_reply_minutes, organisation, st,
                                     translate_cached)
from bot.handoff_cases.store import CaseStore, CaseView
from bot.knowledge.catalogue import t
from bot.settings import Settings
from bot.telegram.rendering import render_chunks
from bot.translation import Translator

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"


class TelegramRelay:
    """The console's own Bot API client (settings.telegram_base_url): replies to users, notes to topics."""

    def __init__(self, settings: Settings):
        self.url = settings.telegram_base_url.replace("{token}", settings.telegram_bot_token) \
            if "{token}" in settings.telegram_base_url else settings.telegram_base_url + settings.telegram_bot_token
        self.enabled = bool(settings.telegram_bot_token)

    async def call(self, method: str, **params) -> bool:
        if not self.enabled:
            return False
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                response = await client.post(f"{self.url}/{method}", json=params)
            return response.status_code == 200
        except httpx.HTTPError as exc:
            log.warning("Bot API call %s failed: %s", method, type(exc).__name__)
            return False

    async def to_user(self, chat_id: int, markdown: str) -> bool:
        ok = True
        for chunk in render_chunks(markdown):
            ok = await self.call("sendMessage", chat_id=chat_id, text=chunk, parse_mode="HTML",
                                 link_preview_options={"is_disabled": True}) and ok
        return ok

    async def to_topic(self, case: CaseView, text: str) -> None:
        if case.staff_chat_id:
            params = {"chat_id": case.staff_chat_id, "text": text[:4000]}
            if case.staff_thread_id:
                params["message_thread_id"] = case.staff_thread_id
            await self.call("sendMessage", **params)

    async def set_topic_open(self, case: CaseView, is_open: bool) -> None:
        """Close a finished case's forum topic (reopen it with the case) like the bot does."""
        if case.staff_chat_id and case.staff_thread_id:
            await self.call("reopenForumTopic" if is_open else "closeForumTopic", chat_id=case.staff_chat_id,
                            message_thread_id=case.staff_thread_id)


class Console:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.cases = CaseStore(self.engine)
        self.users = Users(self.engine, settings.console_max_failed_logins, settings.console_lockout_minutes)
        self.translator = Translator(settings) if settings.translator_provider != "none" else None
        self.telegram = TelegramRelay(settings)
        self.jinja = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
        self.jinja.globals.update(organisation=organisation)
        self._sessions = sessionmaker(self.engine)

    # --- helpers -----------------------------------------------------------------------------------
    def render(self, request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        context.update(request=request, csrf=self.csrf_token(request), me=context.get("me"))
        return HTMLResponse(self.jinja.get_template(name).render(**context), status_code=status,
                            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                     "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"})

    @staticmethod
    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    async def form(self, request: Request) -> dict:
        """The POSTed form, after checking its CSRF token against the session's."""
        form = dict(await request.form())
        expected = request.session.get("csrf")
        if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
            raise HTTPException(403, "CSRF token missing or wrong")
        return form

    def me(self, request: Request) -> StaffUser | None:
        user_id = request.session.get("user_id")
        return self.users.get(int(user_id)) if user_id else None

    @staticmethod
    def can_see(me: StaffUser, case: CaseView) -> bool:
        return case.organisation_id == me.organisation_id and (not me.bundeslaender or case.bundesland in me.bundeslaender)

    def visible_case(self, me: StaffUser, case_id: str) -> CaseView:
        case = self.cases.get(int(case_id)) if case_id.isdigit() else None
        if case is None or not self.can_see(me, case):
            raise HTTPException(404, "no such case")
        return case

    # --- pages -------------------------------------------------------------------------------------
    async def login_page(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "login.html")
        form = await self.form(request)
        user, problem = self.users.authenticate(str(form.get("username", "")), str(form.get("password", "")))
        if user is None:
            log.info("console login refused (%s)", problem)
            message = "Zu viele Fehlversuche – Konto vorübergehend gesperrt." if problem == "locked" \
                else "Benutzername oder Passwort falsch."
            return self.render(request, "login.html", status=401 if problem == "invalid" else 429, error=message)
        request.session.clear()
        request.session.update(user_id=user.id, csrf=secrets.token_urlsafe(32))
        return RedirectResponse("/", status_code=303)

    async def logout(self, request: Request) -> Response:
        await self.form(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    async def queue(self, request: Request, me: StaffUser) -> Response:
        statuses = ("waiting", "claimed", "closed") if request.query_params.get("all") else ("waiting", "claimed")
        cases = self.cases.queue([me.organisation_id], list(me.bundeslaender) or None, statuses)
        now = dt.datetime.now(dt.timezone.utc)
        return self.render(request, "queue.html", me=me, cases=cases, now=now, show_all=bool(request.query_params.get("all")))

    async def case_page(self, request: Request, me: StaffUser) -> Response:
        case = self.visible_case(me, request.path_params["case_id"])
        return self.render(request, "case.html", me=me, case=case, messages=self.cases.messages(case.id),
                           staff_language=self.settings.staff_language)

    async def case_action(self, request: Request, me: StaffUser) -> Response:
        case = self.visible_case(me, request.path_params["case_id"])
        form = await self.form(request)
        action = request.path_params["action"]
        who = f"console:{me.username}"
        if action == "claim":
            if not self.cases.claim(case.id, who):
                return self.render(request, "case.html", status=409, me=me, case=self.cases.get(case.id),
                                   messages=self.cases.messages(case.id), staff_language=self.settings.staff_language,
                                   error="Der Fall ist schon übernommen.")
            await self.telegram.to_topic(case, st("claimed_by", who=me.username))
        elif action == "reply":
            text = str(form.get("text", "")).strip()
            if text and case.open:
                if case.status == "waiting":
                    self.cases.claim(case.id, who)
                await self.reply(case, text, who)
        elif action == "note":
            text = str(form.get("text", "")).strip()
            if text:
                self.cases.add_message(case.id, "note", text, self.settings.staff_language, author=who)
        elif action == "close":
            if self.cases.close(case.id):
                self.cases.add_message(case.id, "system", "closed", self.settings.staff_language, author=who)
                await self.telegram.to_topic(case, st("closed", id=case.id))
                await self.telegram.set_topic_open(case, False)
                await self.telegram.to_user(case.chat_id, t("handoff_ended", case.language))
        elif action == "reopen":
            if self.cases.reopen(case.id):
                await self.telegram.set_topic_open(case, True)
        else:
            raise HTTPException(404)
        return RedirectResponse(f"/cases/{case.id}", status_code=303)

    async def reply(self, case: CaseView, text: str, who: str) -> None:
        source = self.settings.staff_language
        translated = await translate_cached(self.cases, self.translator, text, source, case.language)
        self.cases.add_message(case.id, "out", text, source, translation=translated.text,
                               translation_failed=translated.failed, author=who)
        await self.telegram.to_user(case.chat_id, counsellor_message(text, translated, case.language))
        await self.telegram.to_topic(case, f"[Konsole {who.split(':', 1)[1]}] {text}")
        log.info("console reply relayed case=%d translated=%s", case.id, translated.text is not None)

    async def stats(self, request: Request, me: StaffUser) -> Response:
        cases = [c for c in self.cases.all_cases() if self.can_see(me, c) or (me.coordinator and
                                                                               c.organisation_id == me.organisation_id)]
        def count(attr: str) -> list[tuple[str, int]]:
            totals: dict[str, int] = {}
            for case in cases:
                value = getattr(case, attr) or "-"
                totals[value] = totals.get(value, 0) + 1
            return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        charts = [("Fälle nach Thema", count("topic")), ("Fälle nach Sprache", count("language")),
                  ("Fälle nach Organisation", count("organisation_id")), ("Fälle nach Status", count("status"))]
        return self.render(request, "stats.html", me=me, charts=charts, total=len(cases),
                           median=median_first_reply_minutes(cases))

    async def unanswered(self, request: Request, me: StaffUser) -> Response:
        if not me.coordinator:
            raise HTTPException(403, "coordinators only")
        with self._sessions() as session:
            rows = list(session.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id.desc()).limit(500)))
        return self.render(request, "unanswered.html", me=me, rows=rows)


def create_app(settings: Settings) -> Starlette:
    console = Console(settings)

    def page(handler, methods=("GET",)):
        async def endpoint(request: Request) -> Response:
            me = console.me(request)
            if me is None:
                if request.method == "POST":
                    raise HTTPException(403, "not logged in")
                return RedirectResponse("/login", status_code=303)
            return await handler(request, me)
        return endpoint

    async def error_page(request: Request, exc: HTTPException) -> Response:
        return HTMLResponse(f"<!doctype html><title>{exc.status_code}</title><p>{exc.status_code}</p>",
                            status_code=exc.status_code)

    async def health(request: Request) -> Response:
        return Response("ok")

    routes = [
        Route("/login", console.login_page, methods=["GET", "POST"]),
        Route("/logout", console.logout, methods=["POST"]),
        Route("/healthz", health),
        Route("/", page(console.queue)),
        Route("/cases/{case_id}", page(console.case_page)),
        Route("/cases/{case_id}/{action}", page(console.case_action), methods=["POST"]),
        Route("/stats", page(console.stats)),
        Route("/unanswered", page(console.unanswered)),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: error_page},
                    middleware=[Middleware(SessionMiddleware, secret_key=settings.console_secret_key,
                                           session_cookie="wegweiser_console", same_site="strict",
                                           max_age=8 * 3600)])
    app.state.console = console
    return app
