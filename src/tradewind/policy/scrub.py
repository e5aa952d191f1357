"""Anonymisation at the source: text is cleaned before it can reach any analytics table.

Finder queries may contain whatever people type — an e-mail address, a phone number, an
order or tax number.  :func:`scrub` removes e-mail addresses, phone-like sequences, numbers
longer than 4 digits and IP addresses; what remains is cut to 200 characters.  HS codes
typed with dots (``0901.21``) survive because every group has at most 4 digits.
Feedback text is never stored: :func:`barrier_topic` keeps only a topic word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
_IPV6 = re.compile(r"\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b", re.IGNORECASE)
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
# A phone number: optional +, then digits with spaces, dots, dashes or brackets, 7+ digits.
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_LONG_NUMBER = re.compile(r"\d{5,}")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
MAX_TEXT = 200
REDACTED = "…"


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def scrub(text: str) -> str:
    """The text without personal data (see module docstring), whitespace collapsed."""
    out = unicodedata.normalize("NFKC", text)
    out = _URL.sub(REDACTED, out)
    out = _EMAIL.sub(REDACTED, out)
    out = _IPV6.sub(lambda m: REDACTED if _digits(m.group()) + m.group().count(":") >= 4
                    else m.group(), out)
    out = _IPV4.sub(REDACTED, out)
    out = _PHONE.sub(lambda m: REDACTED if _digits(m.group()) >= 7 else m.group(), out)
    out = _LONG_NUMBER.sub(REDACTED, out)
    out = _SPACES.sub(" ", out).strip()
    return out[:MAX_TEXT]


def query_hash(text: str) -> str:
    """A short stable key for a (scrubbed, normalised) question, to count repeats."""
    normal = " ".join(scrub(text).casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


# Barrier topics for feedback: a few words per topic in English, French and Spanish.
BARRIER_TOPICS: dict[str, tuple[str, ...]] = {
    "customs": ("customs", "clearance", "border", "douane", "dédouanement", "frontière",
                "aduana", "despacho", "frontera"),
    "tariffs": ("tariff", "duty", "duties", "tarif", "droit de douane", "arancel", "derecho"),
    "standards": ("standard", "certificat", "certificate", "sps", "tbt", "label", "étiquet",
                  "norme", "norma", "etiquet", "inspection", "sanitary", "sanitaire",
                  "sanitario"),
    "rules_of_origin": ("origin", "origine", "origen"),
    "logistics": ("transport", "shipping", "freight", "logistic", "port", "fret", "envío",
                  "flete", "logístic", "logistique"),
    "finance": ("finance", "payment", "bank", "credit", "crédit", "paiement", "banque",
                "pago", "banco", "crédito", "financ"),
    "information": ("information", "find", "unclear", "trouver", "información", "encontrar",
                    "website", "site"),
    "digital": ("online", "digital", "e-commerce", "numérique", "en línea", "electronic",
                "électronique", "electrónic"),
}


def barrier_topic(text: str) -> str:
    """The first barrier topic whose words appear in ``text``, else ``"other"``."""
    lowered = text.casefold()
    for topic, words in BARRIER_TOPICS.items():
        if any(word in lowered for word in words):
            return topic
    return "other"
