"""Models of the forms app; filled by its own issue."""
