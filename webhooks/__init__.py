"""Signed webhooks (Standard Webhooks): outside systems subscribe to events
(certificates issued or revoked, courses completed, people created or
deactivated) and get them POSTed, at least once, with retries for 24 hours."""
