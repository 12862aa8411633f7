"""Intake: logging a complaint with its reported posts, the subject employees, the people of the case and
their protected identifiers, and the posts seen before in earlier cases."""
