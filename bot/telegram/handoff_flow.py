"""Human handoff in Telegram: consent, the case and its forum topic in the organisation's staff group,
and the relay both ways (translated when languages differ; the original always kept and shown to the
counsellor; a failed translation sends the original with a note). Logs ids, never message text."""
from __future__ import annotations

import logging
import time

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, User
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.handoff_cases.relay import (build_summary, counsellor_message, header_card, in_office_hours,
                                     office_hours_text, organisation, route, st, translate_cached)
from bot.handoff_cases.store import CaseView
from bot.knowledge.catalogue import t
from bot.telegram.callback_data import CONSENT, STAFF, local
from bot.telegram.profiles import Profile
from bot.telegram.sending import send_markdown
from bot.telegram.services import Services, ui_lang

log = logging.getLogger(__name__)
OUT_OF_HOURS_EVERY = 3600.0  # tell a waiting user about office hours at most once an hour
STAFF_ACTIONS = {"c": "claim", "x": "close", "b": "back", "t": "translate"}


def consent_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("btn_consent_yes", lang), callback_data=local(CONSENT, "y"))],
                                 [InlineKeyboardButton(t("btn_consent_no", lang), callback_data=local(CONSENT, "n"))]])


def staff_keyboard(case_id: int) -> InlineKeyboardMarkup:
    def button(key: str, code: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(st(key), callback_data=local(STAFF, f"{code}:{case_id}"))
    return InlineKeyboardMarkup([[button("btn_claim", "c"), button("btn_close", "x")],
                                 [button("btn_back", "b"), button("btn_translate", "t")]])


def plain(text: str) -> str:
    """Counsellor-facing text is sent without parse mode (no escaping issues with user text)."""
    return text[:4000]


async def offer_consent(bot: Bot, services: Services, chat_id: int, key: str, user: User,
                        profile: Profile | None) -> None:
    lang = ui_lang(profile, user)
    if await services.cases.run("open_for_user", key):
        await send_markdown(bot, services, chat_id, t("handoff_already_open", lang), user_key=key)
        return
    meta = dict(services.last_meta.get(key) or {})
    slots = await services.rasa.slots(key)
    topic = meta.get("topic") or slots.get("last_topic") or "other"
    bundesland = (profile.bundesland if profile else None) or slots.get("bundesland")
    org = route(topic, bundesland)
    services.pending_consent[key] = {"topic": topic, "bundesland": bundesland, "org": org.id, "meta": meta,
                                     "lang": lang}
    text = t("handoff_consent", lang, organisation=org.name, hours=office_hours_text(services.settings),
             reply_hours=services.settings.handoff_reply_hours)
    await send_markdown(bot, services, chat_id, text, keyboard=consent_keyboard(lang), user_key=key)
    log.info("handoff offered user=%s org=%s topic=%s", key[:10], org.id, topic)


async def consent_answer(bot: Bot, services: Services, chat_id: int, key: str, user: User, profile: Profile | None,
                         answer: str) -> CaseView | None:
    lang = ui_lang(profile, user)
    pending = services.pending_consent.pop(key, None)
    if answer != "y":
        await send_markdown(bot, services, chat_id, t("handoff_declined", lang), user_key=key)
        log.info("handoff declined user=%s", key[:10])
        return None
    if await services.cases.run("open_for_user", key):
        await send_markdown(bot, services, chat_id, t("handoff_already_open", lang), user_key=key)
        return None
    if pending is None:  # the bot restarted between offer and answer: work it out again
        slots = await services.rasa.slots(key)
        topic = (services.last_meta.get(key) or {}).get("topic") or slots.get("last_topic") or "other"
        bundesland = (profile.bundesland if profile else None) or slots.get("bundesland")
        pending = {"topic": topic, "bundesland": bundesland, "org": route(topic, bundesland).id,
                   "meta": services.last_meta.get(key) or {}, "lang": lang}
    slots = await services.rasa.slots(key)
    meta = pending["meta"]
    urgent = bool(meta.get("urgent")) or "livelihood_at_risk" in (slots.get("seen_signals") or [])
    case = await services.cases.run("create", user_key=key, chat_id=chat_id, language=lang, topic=pending["topic"],
                                    bundesland=pending["bundesland"], organisation_id=pending["org"], urgent=urgent,
                                    summary=build_summary(pending["topic"], meta, slots))
    log.info("case opened case=%d user=%s org=%s urgent=%s", case.id, key[:10], case.organisation_id, urgent)
    await open_staff_topic(bot, services, case)
    org = organisation(case.organisation_id)
    await send_markdown(bot, services, chat_id, t("handoff_waiting", lang, organisation=org.name if org else ""),
                        user_key=key)
    await maybe_out_of_hours(bot, services, case)
    return case


async def open_staff_topic(bot: Bot, services: Services, case: CaseView) -> None:
    staff_chat = services.settings.staff_groups.get(case.organisation_id)
    if not staff_chat:
        log.warning("no staff group for org=%s; case %d is in the web console only", case.organisation_id, case.id)
        return
    thread_id = None
    try:
        topic = await bot.create_forum_topic(staff_chat, st("topic_name", id=case.id, topic=case.topic,
                                                            bundesland=case.bundesland or "", language=case.language))
        thread_id = topic.message_thread_id
    except TelegramError as exc:  # not a forum: the header goes to the group itself
        log.warning("could not create a forum topic for case %d: %s", case.id, type(exc).__name__)
    await services.cases.run("set_thread", case.id, staff_chat, thread_id)
    await bot.send_message(staff_chat, plain(header_card(case, services.settings)), message_thread_id=thread_id,
                           reply_markup=staff_keyboard(case.id))


async def maybe_out_of_hours(bot: Bot, services: Services, case: CaseView) -> None:
    if in_office_hours(services.settings):
        return
    last = services.out_of_hours_told.get(case.id, 0.0)
    if time.monotonic() - last < OUT_OF_HOURS_EVERY:
        return
    services.out_of_hours_told[case.id] = time.monotonic()
    await send_markdown(bot, services, case.chat_id, t("handoff_out_of_hours", case.language,
                                                       hours=office_hours_text(services.settings)),
                        user_key=case.user_key)


async def to_staff(bot: Bot, services: Services, case: CaseView, text: str, **kwargs) -> None:
    if not case.staff_chat_id:
        return
    try:
        await bot.send_message(case.staff_chat_id, plain(text), message_thread_id=case.staff_thread_id, **kwargs)
    except TelegramError as exc:
        log.warning("could not post to the staff topic of case %d: %s", case.id, type(exc).__name__)


async def close_staff_topic(bot: Bot, case: CaseView) -> None:
    """A finished case's forum topic is closed as well, so the staff group's topic list shows open cases."""
    if not (case.staff_chat_id and case.staff_thread_id):
        return
    try:
        await bot.close_forum_topic(case.staff_chat_id, case.staff_thread_id)
    except TelegramError as exc:  # missing "manage topics" right, or the topic was deleted by hand
        log.warning("could not close the staff topic of case %d: %s", case.id, type(exc).__name__)


async def relay_user_text(bot: Bot, services: Services, case: CaseView, text: str) -> None:
    target = services.settings.staff_language
    translated = await translate_cached(services.cases, services.translator, text, case.language, target)
    await services.cases.run("add_message", case.id, "in", text, case.language, translation=translated.text,
                             translation_failed=translated.failed)
    if translated.text is not None:
        card = st("user_message_translated", language=case.language, original=text, target=target,
                  translation=translated.text)
    else:
        card = st("user_message", language=case.language, original=text)
        if translated.failed:
            card += "\n\n" + st("translation_failed")
    await to_staff(bot, services, case, card)
    log.info("relayed user->staff case=%d translated=%s failed=%s", case.id, translated.text is not None,
             translated.failed)
    await maybe_out_of_hours(bot, services, case)


async def relay_user_media(bot: Bot, services: Services, case: CaseView, message: Message) -> None:
    """Photos, documents, voice notes: copied to the staff topic, never downloaded or stored."""
    await services.cases.run("add_message", case.id, "in", "[media]", case.language)
    if case.staff_chat_id:
        try:
            await bot.copy_message(case.staff_chat_id, message.chat_id, message.message_id,
                                   message_thread_id=case.staff_thread_id)
        except TelegramError as exc:
            log.warning("could not forward media of case %d: %s", case.id, type(exc).__name__)
        await to_staff(bot, services, case, st("user_media"))
    log.info("relayed media user->staff case=%d", case.id)


async def relay_counsellor_text(bot: Bot, services: Services, case: CaseView, text: str, who: str) -> bool:
    """A counsellor's reply (Telegram topic or web console) to the user, in the user's language."""
    source = services.settings.staff_language
    translated = await translate_cached(services.cases, services.translator, text, source, case.language)
    await services.cases.run("add_message", case.id, "out", text, source, translation=translated.text,
                             translation_failed=translated.failed, author=who)
    await send_markdown(bot, services, case.chat_id, counsellor_message(text, translated, case.language),
                        user_key=case.user_key)
    log.info("relayed staff->user case=%d translated=%s failed=%s", case.id, translated.text is not None,
             translated.failed)
    return True


async def end_by_user(bot: Bot, services: Services, case: CaseView) -> None:
    await services.cases.run("close", case.id)
    await services.cases.run("add_message", case.id, "system", "ended by user", case.language)
    await to_staff(bot, services, case, st("ended_by_user", id=case.id))
    await close_staff_topic(bot, case)
    await send_markdown(bot, services, case.chat_id, t("handoff_ended", case.language), user_key=case.user_key)
    log.info("case closed by user case=%d", case.id)


async def close_by_counsellor(bot: Bot, services: Services, case: CaseView, who: str, back: bool) -> bool:
    if not await services.cases.run("close", case.id):
        return False
    await services.cases.run("add_message", case.id, "system", "handed back" if back else "closed",
                             services.settings.staff_language, author=who)
    await to_staff(bot, services, case, st("handed_back" if back else "closed", id=case.id))
    await close_staff_topic(bot, case)
    await send_markdown(bot, services, case.chat_id, t("handoff_ended", case.language), user_key=case.user_key)
    log.info("case closed by counsellor case=%d back=%s", case.id, back)
    return True


async def withdraw_cases(bot: Bot, services: Services, key: str) -> int:
    """/delete_my_data: remove the user's cases and tell each organisation in its staff topic."""
    removed = await services.cases.run("delete_for_user", key)
    for case in removed:
        await to_staff(bot, services, case, st("withdrawn", id=case.id))
        await close_staff_topic(bot, case)
    return len(removed)


def is_counsellor(services: Services, org_id: str, user_id: int) -> bool:
    return user_id in set(services.settings.staff_counsellors.get(org_id, []))


async def staff_button(bot: Bot, services: Services, query, arg: str) -> None:
    """Claim / close / hand back / translate from the header card. Anyone not registered for the case's
    organisation, or pressing outside its staff group, gets nothing."""
    code, _, case_id = arg.partition(":")
    if code not in STAFF_ACTIONS or not case_id.isdigit():
        return
    case = await services.cases.run("get", int(case_id))
    user_id = query.from_user.id
    if (case is None or query.message is None or query.message.chat.id != case.staff_chat_id
            or not is_counsellor(services, case.organisation_id, user_id)):
        log.info("staff button refused case=%s", case_id)
        return
    who = f"tg:{user_id}"
    action = STAFF_ACTIONS[code]
    if action == "claim":
        if await services.cases.run("claim", case.id, who):
            name = query.from_user.full_name or who
            await to_staff(bot, services, case, st("claimed_by", who=name))
        else:
            await to_staff(bot, services, case, st("already_claimed"))
    elif action in ("close", "back"):
        await close_by_counsellor(bot, services, case, who, back=action == "back")
    elif action == "translate":
        inbound = [m for m in await services.cases.run("messages", case.id) if m.direction == "in"
                   and m.original != "[media]"]
        if not inbound:
            await to_staff(bot, services, case, st("no_translation"))
            return
        last = inbound[-1]
        translated = await translate_cached(services.cases, services.translator, last.original, last.language,
                                            services.settings.staff_language)
        if translated.text is None:
            await to_staff(bot, services, case, st("no_translation"))
        else:
            await to_staff(bot, services, case, st("user_message_translated", language=last.language,
                                                   original=last.original, target=services.settings.staff_language,
                                                   translation=translated.text))
