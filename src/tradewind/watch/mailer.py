"""Build alert messages (plain text + HTML, RFC 8058 one-click unsubscribe) and send via SMTP."""

from __future__ import annotations

import hashlib
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP, compat32
from email.utils import make_msgid
from html import escape
from typing import Any
from urllib.parse import quote

from tradewind.i18n import _, current_language
from tradewind.settings import Settings

SMTP_POLICY = SMTP.clone(max_line_length=998)
FAST_POLICY = compat32.clone(max_line_length=998, linesep="\r\n")


@dataclass(frozen=True)
class AlertLine:
    title: str
    kind: str
    market: str | None
    hs_code: str | None
    effective_date: Any
    old_value: str | None
    new_value: str | None
    reminder: bool = False
    deadline: Any = None  # set on a "comment deadline approaching" line
    title_language: str | None = None  # set when the title is not in the reader's language


def alert_line(row: Any, purpose: str = "change", title: Any = None) -> AlertLine:
    """The line of one outbox row joined with its change event; ``title`` (a
    :class:`tradewind.watch.titles.Title`) replaces the stored title of a content event."""
    deadline = None
    if purpose == "deadline":
        details = row.details if isinstance(row.details, dict) else {}
        deadline = details.get("comment_deadline")
    text, language = (title.text, title.language) if title is not None else (row.title, None)
    return AlertLine(text, row.kind, row.market, row.hs_code, row.effective_date,
                     row.old_value, row.new_value, reminder=purpose == "reminder",
                     deadline=deadline,
                     title_language=language if language != getattr(row, "language", None)
                     else None)


def unsubscribe_url(settings: Settings, token: str) -> str:
    return f"{str(settings.public_url).rstrip('/')}/watch/unsubscribe?token={quote(token)}"


def manage_url(settings: Settings, token: str) -> str:
    return f"{str(settings.public_url).rstrip('/')}/watch/manage?token={quote(token)}"


def message_id(keys: Sequence[str]) -> str:
    """The same Message-ID whenever the same deliveries are sent again (receivers dedup)."""
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:40]
    return f"<{digest}@tradewind>"


def _line_text(line: AlertLine, title: str | None = None) -> str:
    """One alert line; ``title`` stands for the title as already rendered (HTML)."""
    title = line.title if title is None else title
    if line.deadline:
        return " ".join([_("Comment deadline approaching:"), title,
                         _("comments by %(date)s", date=str(line.deadline))])
    parts = [_("Reminder:"), title] if line.reminder else [title]
    where = " ".join(filter(None, (line.market, line.hs_code)))
    if where:
        parts.append(f"[{where}]")
    if line.old_value is not None or line.new_value is not None:
        parts.append(f"{line.old_value or '—'} → {line.new_value or '—'}")
    if line.effective_date:
        parts.append(_("from %(date)s", date=str(line.effective_date)))
    return " ".join(parts)


def _line_html(line: AlertLine) -> str:
    """The line in HTML: a title in another language than the reader's is marked with it."""
    title = escape(line.title)
    if line.title_language:
        title = f'<span lang="{escape(line.title_language)}">{title}</span>'
    parts = _line_text(line, "\0").split("\0")
    return title.join(escape(p) for p in parts)


def _drift_texts(notices: Sequence[Any]) -> list[str]:
    return [_("The codes for %(query)r would now be %(proposed)s; you watch %(watched)s. "
              "Accept the new codes on your manage page.", query=n.query,
              proposed=", ".join(n.proposed), watched=", ".join(n.watched))
            for n in notices]


def build_message(settings: Settings, *, to: str, language: str, token: str,
                  lines: Sequence[AlertLine], keys: Sequence[str] = (),
                  subject: str | None = None, drift: Sequence[Any] = ()) -> Message:
    """One message for one subscriber, in their language. ``keys`` are the outbox keys it
    delivers: they make the Message-ID and the ``X-Tradewind-Deliveries`` header.
    ``drift``: finder-query notices (:class:`tradewind.watch.drift.DriftNotice`) told
    after the alerts."""
    reset = current_language.set(language)
    try:
        url = unsubscribe_url(settings, token)
        manage = manage_url(settings, token)
        subject = subject or _("Tradewind: %(count)s change(s) you watch", count=len(lines))
        intro = _("These changes match your Tradewind watch list:")
        footer = _("Unsubscribe:")
        manage_label = _("Manage your watch lists:")
        drifted = _drift_texts(drift)
        drift_head = _("Your product-word watches:") if drifted else ""
        text = "\n".join([intro, "", *(f"- {_line_text(x)}" for x in lines), "",
                          *([drift_head, *(f"- {d}" for d in drifted), ""] if drifted else []),
                          f"{manage_label} {manage}", f"{footer} {url}", ""])
        items = "".join(f"<li>{_line_html(x)}</li>" for x in lines)
        drift_html = (f"<p>{escape(drift_head)}</p><ul>"
                      + "".join(f"<li>{escape(d)}</li>" for d in drifted) + "</ul>"
                      if drifted else "")
        html = (f'<!doctype html><html lang="{language}"><body><p>{escape(intro)}</p>'
                f'<ul>{items}</ul>{drift_html}'
                f'<p><a href="{escape(manage)}">{escape(manage_label)}</a></p>'
                f'<p><a href="{escape(url)}">{escape(footer)}</a></p>'
                "</body></html>")
    finally:
        current_language.reset(reset)
    # The plain email.mime classes (compat32) build a message several times faster than
    # EmailMessage; long lines allowed (RFC 5322: 998) so the unsubscribe URL stays whole.
    msg = MIMEMultipart("alternative", policy=FAST_POLICY)
    msg["Subject"] = Header(subject, "utf-8").encode() if not subject.isascii() else subject
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Message-ID"] = message_id(keys) if keys else make_msgid(domain="tradewind")
    if keys:
        msg["X-Tradewind-Deliveries"] = " ".join(keys)
    msg["List-Unsubscribe"] = f"<{url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Content-Language"] = language
    msg.attach(MIMEText(text, "plain", "utf-8", policy=FAST_POLICY))
    msg.attach(MIMEText(html, "html", "utf-8", policy=FAST_POLICY))
    return msg


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.smtp_host, int(settings.smtp_port),
                        timeout=float(settings.smtp_timeout))
    try:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def send(settings: Settings, message: Message) -> None:
    """Send over SMTP; raises smtplib.SMTPException or OSError on failure."""
    with SmtpSession(settings) as session:
        session.send(message)


class SmtpSession:
    """One SMTP connection reused for many messages; reopened after any failure."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: Message) -> None:
        if self._smtp is None:
            self._smtp = _connect(self.settings)
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise  # smtplib already reset the session: the connection stays usable
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def build_notice(settings: Settings, *, to: str, language: str, token: str, key: str,
                 list_name: str, reason: str) -> Message:
    """Tell a subscriber by e-mail that a list's webhook was disabled, why, and how to turn
    it on again.  The Message-ID comes from the notice key (a repeat is recognisable)."""
    reset = current_language.set(language)
    try:
        manage = manage_url(settings, token)
        url = unsubscribe_url(settings, token)
        subject = _("Tradewind: webhook deliveries stopped for %(name)s", name=list_name)
        lines = [
            _("We stopped sending the alerts of your watch list %(name)s to its webhook.",
              name=list_name),
            _("Reason: %(reason)s", reason=reason), "",
            _("Your e-mail alerts continue. To deliver to the webhook again, fix the receiver "
              "and press “Re-enable webhook” (or set a new URL) on your manage page:"),
            manage, "", f"{_('Unsubscribe:')} {url}", ""]
    finally:
        current_language.reset(reset)
    text = "\n".join(lines)
    html = ('<!doctype html><html lang="' + language + '"><body>'
            + "".join(f"<p>{escape(x)}</p>" for x in lines if x and x != manage)
            + f'<p><a href="{escape(manage)}">{escape(manage)}</a></p></body></html>')
    msg = MIMEMultipart("alternative", policy=FAST_POLICY)
    msg["Subject"] = Header(subject, "utf-8").encode() if not subject.isascii() else subject
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Message-ID"] = message_id([key])
    msg["X-Tradewind-Notice"] = key
    msg["List-Unsubscribe"] = f"<{url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Content-Language"] = language
    msg.attach(MIMEText(text, "plain", "utf-8", policy=FAST_POLICY))
    msg.attach(MIMEText(html, "html", "utf-8", policy=FAST_POLICY))
    return msg
