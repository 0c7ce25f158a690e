import pytest

from bot.language_detection import script_of


@pytest.mark.parametrize("text, lang", [
    ("Мене звільнили вчора, що мені робити?", "uk"),
    ("Меня уволили вчера, что мне делать?", "ru"),
    ("Ich wurde gestern gekündigt, was soll ich tun?", "de"),
    ("My boss has not paid me for two months", "en"),
    ("صاحب العمل لم يدفع راتبي منذ شهرين", "ar"),
    ("کارفرما دو ماه است حقوق مرا نداده", "fa"),
    ("Patronum iki aydır maaşımı ödemedi", "tr"),
    ("Patronul nu mi-a plătit salariul de două luni", "ro"),
    ("Шефът не ми е платил заплатата от два месеца", "bg"),
    ("Szef nie zapłacił mi od dwóch miesięcy", "pl"),
    ("Mon patron ne m'a pas payé depuis deux mois", "fr"),
    ("3andi mushkila ma3 el shoghl, ma dafa3li", "ar"),
])
def test_detects_each_curated_language(detector, text, lang):
    assert detector.detect(text).lang == lang


def test_german_legal_words_inside_another_language_do_not_make_it_german(detector):
    assert detector.detect("avec la duldung je peux avoir une beschäftigungserlaubnis ?").lang == "fr"
    assert detector.detect("z duldung dostanę beschäftigungserlaubnis czy nie").lang == "pl"


def test_short_message_keeps_the_conversation_language(detector):
    assert detector.detect("ok", current="uk").lang == "uk"
    assert detector.detect("Kündigung?", current="ar").lang == "ar"
    assert detector.detect("danke", hint="fa").lang == "fa"


def test_a_new_script_switches_even_when_short(detector):
    assert detector.detect("привіт", current="de").lang == "uk"


def test_telegram_hint_decides_when_text_says_nothing(detector):
    assert detector.detect("👍👍", hint="tr").lang == "tr"
    assert detector.detect("12345").lang == "en"  # no hint, no history: the default


def test_confident_other_language_is_reported_as_such(detector):
    detection = detector.detect("Ciao, il mio capo non mi paga lo stipendio da due mesi")
    assert detection.lang == "it" and not detection.curated


def test_script_of():
    assert script_of("abc") == "latin" and script_of("абв") == "cyrillic" and script_of("سلام") == "arabic"
    assert script_of("123 !!") is None
