"""Each person's inbox of notifications, and the unread count in the page header."""
