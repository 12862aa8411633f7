"""Redaction: the rectangles a person marks (``regions``), the redacted working copy made from them (``copies``),
and the rectangles proposed for them over faces and protected text (``suggestions``), found by a job
(``suggestion_runs``). The evidence package's ``__init__`` lists what other code may use."""
