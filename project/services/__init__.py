"""The rules of the domain as plain functions: no request, no form objects, one commit per use case."""
