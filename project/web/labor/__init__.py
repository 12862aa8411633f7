"""Labor relations: the per-subject record of meeting, notice, imposition and copy; the grievance page; the
deadline list."""
