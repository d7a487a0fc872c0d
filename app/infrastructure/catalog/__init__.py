"""The sample course catalogue bundled with the application (courses.json)."""
