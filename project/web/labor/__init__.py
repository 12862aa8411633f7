"""Labor relations: the per-subject record of meeting, notice, imposition, copy and grievance; the deadline list."""
