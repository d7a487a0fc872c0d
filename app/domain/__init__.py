"""Pure business rules and models. Imports nothing from the rest of the project."""
