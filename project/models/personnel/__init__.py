"""The people: user accounts with their roles and sessions, the employee roster, and notifications."""
