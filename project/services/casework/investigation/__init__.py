"""The investigation's own records: investigator notes, the interviews and why a subject was not interviewed."""
