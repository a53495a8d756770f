"""Alerts where teams work: rule files (alerts/rules/*.yml) evaluated on each release's
metric marts, written into the release, and delivered to webhooks named by environment
variables (a Slack-compatible message or a plain JSON POST), with retries and a delivery log."""
