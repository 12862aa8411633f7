"""The case and what its investigation and review record: complaint, posts, subjects and state history;
allegations, findings and speech screens; interviews; notes; the protected people; reviews and just cause."""
