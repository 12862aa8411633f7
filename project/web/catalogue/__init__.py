"""The catalogue blueprint."""
