"""The life cycle from intake to closing, and review and approval: readiness for review, the supervisor's
decision, the review history and its snapshots, the seven tests of just cause, where a case stands in words."""
