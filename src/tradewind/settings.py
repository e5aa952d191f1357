"""Settings declared once, as data, and read from ``TRADEWIND_*`` variables and ``.env``.

Every setting is listed in :data:`SETTINGS` with its default and help text; the README's
configuration table is generated from the same list (``tradewind settings``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "TRADEWIND_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type = str

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "sqlite:///var/tradewind.db",
            "SQLAlchemy URL of the database. SQLite (WAL) by default; use "
            "postgresql+psycopg://user@host/db to scale out."),
    Setting("secret_key", "",
            "Key that signs session cookies and CSRF tokens. Generated into var/secret_key "
            "when empty."),
    Setting("host", "127.0.0.1", "Address `tradewind serve` listens on."),
    Setting("port", 8000, "Port `tradewind serve` listens on.", int),
    Setting("default_language", "en", "Language used when neither URL nor browser chooses one."),
    Setting("secure_cookies", False,
            "Mark session cookies Secure (set to true behind HTTPS).", bool),
    Setting("load_samples", True,
            "Load the labelled SAMPLE tariff and trade-flow data at `tradewind init` "
            "when no real data have been imported.", bool),
    Setting("var_dir", "var", "Directory for the embedded database, secret key and caches."),
    Setting("login_max_failures", 5,
            "Failed logins from one address or for one account before throttling.", int),
    Setting("login_lockout_seconds", 300, "How long a throttled login stays blocked.", int),
    Setting("feedback_per_hour", 5, "Feedback submissions accepted per address per hour.", int),
    # --- requirements (issue 9) ---
    # --- watch (issue 10) ---
    Setting("smtp_host", "127.0.0.1", "SMTP server that sends watch-list alerts."),
    Setting("smtp_port", 25, "Port of the SMTP server.", int),
    Setting("smtp_starttls", False, "Use STARTTLS with the SMTP server.", bool),
    Setting("smtp_username", "", "SMTP login (empty: no authentication)."),
    Setting("smtp_password", "", "SMTP password."),
    Setting("mail_from", "Tradewind <alerts@localhost>", "From address of alert e-mails."),
    Setting("public_url", "http://127.0.0.1:8000",
            "Public base URL used in e-mailed links (confirm, unsubscribe)."),
    Setting("smtp_timeout", 30, "Seconds before an SMTP connection or reply times out.", int),
    Setting("watch_webhook_allow_private", False,
            "Allow watch-list webhooks to loopback, private, link-local or reserved addresses "
            "(off: refused, against server-side request forgery; tests and closed networks "
            "only).", bool),
    Setting("watch_webhook_timeout", 10, "Seconds a watch-list webhook receiver may take.", int),
    Setting("watch_reminder_days", 7,
            "Days before a future tariff change takes effect when it is announced again "
            "(0: no reminder).", int),
    Setting("watch_worker_batch", 100,
            "Outbox rows a watch worker claims per transaction (sent over one SMTP "
            "connection, results recorded in bulk).", int),
    Setting("watch_worker_lease", 300,
            "Seconds a watch worker's claim on a batch lasts: rows of a worker killed "
            "mid-batch are sent again by another worker once it expires.", int),
    Setting("watch_signups_per_address", 5,
            "Watch-list sign-ups accepted per e-mail address per hour (0: no limit).", int),
    Setting("watch_signups_per_client", 20,
            "Watch-list sign-ups accepted per client address per hour (0: no limit).", int),
    # --- right answers (issue 11) ---
    Setting("insurance_rate_percent", "0.5",
            "Insurance premium (percent of 110 % of the value) assumed when a landed-cost "
            "calculation needs insurance that was not given; the assumption is shown."),
    # --- operations (issue 12) ---
    Setting("tls_terminated", False,
            "Set to true when HTTPS terminates in front of Tradewind (a reverse proxy): adds "
            "Strict-Transport-Security to every response.", bool),
    Setting("max_body_bytes", 1_048_576,
            "Largest request body accepted, in bytes (larger ones get 413).", int),
    Setting("workers", 0,
            "Worker processes for `tradewind serve`; 0 means one per CPU core (at most 8).", int),
    Setting("forwarded_allow_ips", "127.0.0.1",
            "Proxies whose X-Forwarded-For/-Proto headers are trusted (comma-separated "
            "addresses, or * behind a private network only).", str),
    Setting("rate_limit_api_per_minute", 600,
            "Requests per minute one client may make to /api/v1 (0: no limit). Over it: 429 "
            "with Retry-After. Counted in the database, so shared by all instances.", int),
    Setting("rate_limit_forms_per_minute", 60,
            "Form submissions (POST) per minute one client may make (0: no limit).", int),
    Setting("log_format", "text",
            "Log line format: `text` for people, `json` for log collectors (one JSON object "
            "per line with the request id)."),
    Setting("log_level", "INFO", "Lowest level logged (DEBUG, INFO, WARNING, ERROR)."),
    Setting("metrics_enabled", True, "Serve Prometheus metrics at /metrics.", bool),
    Setting("metrics_token", "",
            "When set, /metrics needs `Authorization: Bearer <token>`."),
    # --- brief and MCP (issue 13) ---
    Setting("mcp_enabled", True,
            "Serve the MCP server for AI assistants at /mcp (Streamable HTTP).", bool),
    Setting("mcp_token", "",
            "Bearer token MCP clients must send to /mcp; empty means no token is asked.", str),
    Setting("mcp_allowed_hosts", "",
            "Host headers accepted by /mcp (comma-separated, e.g. trade.example.org); empty "
            "accepts any host.", str),
    # --- policy (issue 14) ---
    Setting("policy_signals", True,
            "Record anonymised demand signals (questions asked, never who asked) for the "
            "policy dashboard. Visitors sending DNT or Sec-GPC are never recorded.", bool),
    Setting("policy_raw_text", False,
            "Also keep finder search text, after removing e-mail addresses, phone numbers and "
            "numbers longer than 4 digits.", bool),
    Setting("policy_retention_days", 30,
            "Days raw demand events are kept; afterwards only daily/monthly totals remain.", int),
    Setting("policy_min_count", 10,
            "Smallest count shown on the policy dashboard, API and downloads (k-anonymity); "
            "smaller counts are suppressed.", int),
    Setting("policy_public_summary", False,
            "Publish a summary of the policy dashboard at /policy/public.", bool),
    Setting("policy_docs_base_url", "",
            "Web address where this project's docs/ folder is published (e.g. a repository "
            "URL ending in /blob/main/); data-gap links then point to data-import.md there.",
            str),
    Setting("policy_flush_events", 50,
            "Demand signals buffered in memory before one batched write.", int),
    Setting("policy_flush_seconds", 10,
            "Longest time a buffered demand signal waits before it is written.", int),
    # --- finder (issue 15) ---
    Setting("finder_rerank", True,
            "Rank finder candidates with the learned reranker when one has been trained "
            "(`tradewind finder train`); false keeps the lexical ranking.", bool),
    Setting("finder_semantic", False,
            "Fuse the finder's lexical ranking with sentence-encoder similarity (needs "
            "`pip install 'tradewind[semantic]'`; vectors built once per nomenclature).", bool),
    Setting("finder_vector_cache", "var/finder-vectors",
            "Folder where the finder keeps its subheading vectors (one file per "
            "nomenclature text and model).", str),
    Setting("finder_train_at_init", False,
            "Train the finder's reranker at `tradewind init` when no model matches the "
            "current data (off: `tradewind finder train` after imports).", bool),
)

_SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _coerce(setting: Setting, raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    if setting.type is bool:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"{setting.env_var}: expected true/false, got {raw!r}")
    if setting.type is int:
        try:
            return int(raw)
        except ValueError as exc:
            raise ValueError(f"{setting.env_var}: expected an integer, got {raw!r}") from exc
    return raw


@dataclass
class Settings:
    """Resolved settings: environment first, then ``.env``, then the declared default."""

    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, env: dict[str, str] | None = None, dotenv: Path | None = None,
             **overrides: Any) -> Settings:
        env = dict(os.environ) if env is None else env
        file_values = _read_dotenv(dotenv if dotenv is not None else Path(".env"))
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.name in overrides:
                values[setting.name] = overrides[setting.name]
            elif setting.env_var in env:
                values[setting.name] = _coerce(setting, env[setting.env_var])
            elif setting.env_var in file_values:
                values[setting.name] = _coerce(setting, file_values[setting.env_var])
            else:
                values[setting.name] = setting.default
        unknown = set(overrides) - set(_SETTINGS_BY_NAME)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def var_path(self) -> Path:
        return Path(self.values["var_dir"])

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in ``var/secret_key``."""
        if self.values["secret_key"]:
            return str(self.values["secret_key"])
        path = self.var_path / "secret_key"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key


def settings_table_markdown() -> str:
    """The README's configuration table, generated from :data:`SETTINGS`."""
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    for s in SETTINGS:
        rows.append(f"| `{s.env_var}` | `{s.default}` | {s.help} |")
    return "\n".join(rows)
