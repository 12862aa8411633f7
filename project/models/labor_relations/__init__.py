"""After the findings: the discipline settings and proposals, labor relations' actions, grievances."""
