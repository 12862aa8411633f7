"""Keeping the record: the audit trail, records over time (leave, legal holds), the search text, form tokens."""
