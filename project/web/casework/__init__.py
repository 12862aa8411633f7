"""The cases blueprint: the list, intake, the case page and the records on it."""
