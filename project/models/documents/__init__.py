"""The files: evidence exhibits, the copies derived from them, and what leaves on paper (packets, letters)."""
