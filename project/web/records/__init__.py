"""Records over time (issue 18): a subject's administrative leave, legal holds, and the sealed history."""
