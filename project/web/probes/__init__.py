"""The operators' probes: /healthz and /readyz."""
