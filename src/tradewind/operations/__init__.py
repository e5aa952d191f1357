"""Running Tradewind: security headers, body limits, health checks, backups."""
