"""Signed webhooks (Standard Webhooks) with a guard against server-side request forgery.

A watch list may name a URL; each delivery is one POST of a JSON body with the headers
``webhook-id`` (stable per delivery: the receiver drops repeats), ``webhook-timestamp`` and
``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body`` with the list's
``whsec_`` secret), made by the reference library ``standardwebhooks``.

The URL is checked when it is set and again before every send: http(s) only, and every address
its host resolves to must be public (not loopback, private, link-local, multicast, reserved or
unspecified) unless ``watch_webhook_allow_private`` is set.  Redirects are not followed.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
import socket
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from standardwebhooks import Webhook

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_

USER_AGENT = "Tradewind-Webhooks/1"


class UnsafeWebhookURL(InvalidInput):
    """The URL is not http(s) or points to an address Tradewind must not call."""


class WebhookRefused(UnsafeWebhookURL):
    """A well-formed URL whose host does not resolve, or resolves to an address webhooks may
    not call (loopback, private…): the server refuses it (403), the request was valid."""

    status_code = 403
    title = N_("Forbidden")
    machine_code = "webhook_refused"


class PermanentFailure(Exception):
    """The receiver said never again (HTTP 410) or the URL became unsafe: disable the channel."""


class TemporaryFailure(Exception):
    """Try again later (network error, timeout, any other status)."""


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for flag in ("is_loopback", "is_private", "is_link_local", "is_multicast", "is_reserved",
                 "is_unspecified"):
        if getattr(ip, flag):
            return flag.removeprefix("is_").replace("_", "-")
    return None


def check_url(url: str, *, allow_private: bool = False) -> str:
    """The URL, stripped, when it is safe to call; else UnsafeWebhookURL saying why."""
    text = (url or "").strip()
    if len(text) > 2000:
        raise UnsafeWebhookURL("webhook URL is longer than 2000 characters")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise UnsafeWebhookURL(f"webhook URL {text!r} must start with https:// or http://")
    if not parts.hostname:
        raise UnsafeWebhookURL(f"webhook URL {text!r} has no host")
    if parts.username or parts.password:
        raise UnsafeWebhookURL("webhook URL must not contain a user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeWebhookURL(f"webhook URL {text!r} has an invalid port") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookRefused(N_("webhook host %(host)r does not resolve"),
                             host=parts.hostname, field="webhook_url") from exc
    if not allow_private:
        for info in infos:
            address = str(info[4][0]).split("%", 1)[0]
            kind = _blocked(ipaddress.ip_address(address))
            if kind:
                raise WebhookRefused(
                    N_("webhook host %(host)r resolves to %(address)s, a %(kind)s address: "
                       "refused (webhooks may only call public addresses)"),
                    host=parts.hostname, address=address, kind=kind, field="webhook_url")
    return text


def message_id(idempotency_key: str) -> str:
    """The ``webhook-id`` of one delivery: the same on every retry."""
    return "msg_" + idempotency_key.replace(":", "_")


def body(kind: str, watch_list_id: int, event: dict[str, Any], when: datetime) -> bytes:
    data = {"watch_list_id": watch_list_id,
            "event": {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                      for k, v in event.items()}}
    return json.dumps({"type": kind, "timestamp": when.isoformat(), "data": data},
                      ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(secret: str, msg_id: str, when: datetime, payload: bytes) -> dict[str, str]:
    signature = Webhook(secret).sign(msg_id, when, payload.decode())
    return {"webhook-id": msg_id, "webhook-timestamp": str(int(when.timestamp())),
            "webhook-signature": signature, "content-type": "application/json",
            "user-agent": USER_AGENT}


def post(url: str, secret: str, msg_id: str, payload: bytes, *, timeout: float,
         allow_private: bool, client: httpx.Client | None = None) -> None:
    """One signed POST. Raises PermanentFailure or TemporaryFailure; returns on 2xx."""
    try:
        safe = check_url(url, allow_private=allow_private)
    except UnsafeWebhookURL as exc:
        raise PermanentFailure(str(exc)) from None
    headers = signed_headers(secret, msg_id, datetime.now(UTC), payload)
    try:
        if client is None:
            response = httpx.post(safe, content=payload, headers=headers, timeout=timeout,
                                  follow_redirects=False)
        else:
            response = client.post(safe, content=payload, headers=headers, timeout=timeout,
                                   follow_redirects=False)
    except httpx.HTTPError as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from None
    if 200 <= response.status_code < 300:
        return
    if response.status_code == 410:
        raise PermanentFailure("receiver answered HTTP 410 Gone")
    raise TemporaryFailure(f"receiver answered HTTP {response.status_code}")
