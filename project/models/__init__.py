"""The data model, one module per aggregate. Importing this package registers every table."""
from project.models.audit import AuditEvent
from project.models.catalogue import Clause, Directive, DirectiveReference, DirectiveVersion
from project.models.discipline import DisciplineLadder, DisciplineStep
from project.models.people import Role, User, UserRole, UserSession
from project.models.reference import DeadlineRule, FindingCategory
from project.models.roster import Employee, EmployeeStatus

__all__ = [
    "AuditEvent",
    "Clause",
    "DeadlineRule",
    "Directive",
    "DirectiveReference",
    "DirectiveVersion",
    "DisciplineLadder",
    "DisciplineStep",
    "Employee",
    "EmployeeStatus",
    "FindingCategory",
    "Role",
    "User",
    "UserRole",
    "UserSession",
]
