"""The rules as data: the directive catalogue, reference lists (finding categories, deadline rules, holidays)
and where a rule comes from (``Sourced``)."""
