"""Request ids, JSON access logs and the Prometheus endpoint."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from tradewind.operations.requestlog import JsonFormatter, incoming_request_id
from tradewind.web.app import create_app


def test_request_id_is_generated_and_echoed(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert len(first) == 32 and first != second


def test_callers_request_id_is_kept_when_plain(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-42.abc"})
    assert response.headers["x-request-id"] == "proxy-42.abc"


@pytest.mark.parametrize("bad", ["a" * 65, "with space", "<script>", ""])
def test_odd_request_ids_are_replaced(bad: str) -> None:
    fresh = incoming_request_id([(b"x-request-id", bad.encode())])
    assert fresh != bad and len(fresh) == 32


def test_access_log_line_carries_request_id_and_route(client, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="tradewind.access"):
        client.get("/hs/0901", headers={"X-Request-ID": "trace-1"})
    records = [r for r in caplog.records if getattr(r, "request_id", None) == "trace-1"]
    assert records, "no access-log record for the request"
    record = records[-1]
    assert record.status == 200 and record.route == "/hs/{code:hscode}"  # type: ignore[attr-defined]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-1" and line["path"] == "/hs/0901"
    assert line["level"] == "info" and isinstance(line["duration_ms"], float)


def test_metrics_expose_latency_by_route_and_database_gauges(client) -> None:  # type: ignore[no-untyped-def]
    client.get("/hs/0901")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'tradewind_http_request_duration_seconds_bucket{' in text
    assert 'route="/hs/{code:hscode}"' in text
    assert "tradewind_dataset_last_import_timestamp_seconds{" in text
    assert "tradewind_watch_outbox_depth" in text


def test_metrics_token_and_switch(hs_db, app_settings) -> None:  # type: ignore[no-untyped-def]
    from tradewind.settings import Settings

    def replace(settings: Settings, **changes: object) -> Settings:
        return Settings({**settings.values, **changes})

    guarded = replace(app_settings, metrics_token="s3cret")
    with TestClient(create_app(guarded, db=hs_db)) as test_client:
        assert test_client.get("/metrics").status_code == 401
        ok = test_client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
    off = replace(app_settings, metrics_enabled=False)
    with TestClient(create_app(off, db=hs_db)) as test_client:
        assert test_client.get("/metrics").status_code == 404


def test_cli_import_writes_metrics_textfile(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from tradewind.cli import app

    target = tmp_path / "tradewind.prom"
    monkeypatch.setenv("TRADEWIND_METRICS_TEXTFILE", str(target))
    missing = tmp_path / "absent.csv"
    CliRunner().invoke(app, ["import", "network", str(missing)])
    text = target.read_text()
    assert 'tradewind_import_duration_seconds_count{importer="network"' in text
