"""Build alert messages (plain text + HTML, RFC 8058 one-click unsubscribe) and send via SMTP."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from html import escape
from typing import Any
from urllib.parse import quote

from tradewind.i18n import _, current_language
from tradewind.settings import Settings

SMTP_POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class AlertLine:
    title: str
    kind: str
    market: str | None
    hs_code: str | None
    effective_date: Any
    old_value: str | None
    new_value: str | None


def unsubscribe_url(settings: Settings, token: str) -> str:
    return f"{str(settings.public_url).rstrip('/')}/watch/unsubscribe?token={quote(token)}"


def _line_text(line: AlertLine) -> str:
    parts = [line.title]
    where = " ".join(filter(None, (line.market, line.hs_code)))
    if where:
        parts.append(f"[{where}]")
    if line.old_value is not None or line.new_value is not None:
        parts.append(f"{line.old_value or '—'} → {line.new_value or '—'}")
    if line.effective_date:
        parts.append(_("from %(date)s", date=str(line.effective_date)))
    return " ".join(parts)


def build_message(settings: Settings, *, to: str, language: str, token: str,
                  lines: Sequence[AlertLine]) -> EmailMessage:
    """One message for one subscriber, in their language."""
    reset = current_language.set(language)
    try:
        url = unsubscribe_url(settings, token)
        subject = _("Tradewind: %(count)s change(s) you watch", count=len(lines))
        intro = _("These changes match your Tradewind watch list:")
        footer = _("Unsubscribe:")
        text = "\n".join([intro, "", *(f"- {_line_text(x)}" for x in lines), "",
                          f"{footer} {url}", ""])
        items = "".join(f"<li>{escape(_line_text(x))}</li>" for x in lines)
        html = (f'<!doctype html><html lang="{language}"><body><p>{escape(intro)}</p>'
                f'<ul>{items}</ul><p><a href="{escape(url)}">{escape(footer)}</a></p>'
                "</body></html>")
    finally:
        current_language.reset(reset)
    # Long lines allowed (RFC 5322: 998) so the unsubscribe URL is never RFC 2047-encoded.
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Subject"] = subject
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain="tradewind")
    msg["List-Unsubscribe"] = f"<{url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg["Content-Language"] = language  # after add_alternative, which moves Content-*
    return msg


def send(settings: Settings, message: EmailMessage) -> None:
    """Send over SMTP; raises smtplib.SMTPException or OSError on failure."""
    with smtplib.SMTP(settings.smtp_host, int(settings.smtp_port), timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


def build_confirmation(settings: Settings, *, to: str, language: str,
                       token: str) -> EmailMessage:
    url = f"{str(settings.public_url).rstrip('/')}/watch/confirm?token={quote(token)}"
    reset = current_language.set(language)
    try:
        subject = _("Confirm your Tradewind watch list")
        intro = _("Open this link to start receiving alerts:")
    finally:
        current_language.reset(reset)
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Subject"] = subject
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain="tradewind")
    msg.set_content(f"{intro}\n\n{url}\n")
    msg.add_alternative(f'<p>{escape(intro)}</p><p><a href="{escape(url)}">{escape(url)}</a>'
                        "</p>", subtype="html")
    msg["Content-Language"] = language
    return msg
